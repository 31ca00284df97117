/// Lower bounds of the metric that the search orders and prunes by.
struct MetricBound {
    let metric: Metric
    let hierarchies: [Hierarchy]
    let records: Int
    let tupleCount: Int
    /// `unsuppressedLoss[i][level]`: Σ over records of their loss at that level, before suppression.
    let unsuppressedLoss: [[Double]]
    /// `worstLoss[i][level]`: the largest loss of any group at that level.
    let worstLoss: [[Double]]
    let weights: [Double]?

    init(metric: Metric, hierarchies: [Hierarchy], records: Int, tupleCount: Int, unsuppressedLoss: [[Double]], weights: [Double]?) {
        self.weights = weights
        self.metric = metric
        self.hierarchies = hierarchies
        self.records = records
        self.tupleCount = tupleCount
        self.unsuppressedLoss = unsuppressedLoss
        worstLoss = hierarchies.map { h in
            (0..<h.levelCount).map { level in
                (0..<h.labels[level].count).map { h.loss(level: level, group: UInt32($0)) }.max() ?? 1
            }
        }
    }

    /// A lower bound of the metric at a node that certainly suppresses `forced` records, valid for
    /// that node itself. Each such record raises an attribute's loss from at most its worst group's
    /// loss to 1, and costs N under discernibility.
    func callAsFunction(_ levels: [Int], forced: Int) -> Double {
        let n = Double(records)
        guard n > 0 else { return 0 }
        let f = Double(forced)
        switch metric {
        case .loss:
            return Metric.combinedLoss(levels.indices.map { i in
                hierarchies[i].rawCount > 1
                    ? (unsuppressedLoss[i][levels[i]] + f * (1 - worstLoss[i][levels[i]])) / n : 0
            }, weights: weights)
        case .discernibility:
            // With S suppressed, m classes hold the other N − S records and score at least
            // (N − S)²/m (Cauchy–Schwarz), so the node scores at least g(S) = (N − S)²/m + N·S for
            // some S ≥ f. m is at most the distinct tuples and the product of the generalised
            // domains. g falls until S = N(1 − m/2), so the bound takes g there when that exceeds f.
            var domain = Double(1)
            for i in levels.indices { domain *= Double(hierarchies[i].labels[levels[i]].count) }
            let m = max(1, min(domain, Double(tupleCount)))
            let s = max(f, n * (1 - m / 2))
            return (n - s) * (n - s) / m + n * s
        }
    }
}
