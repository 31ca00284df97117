/// Finds the optimal full-domain generalisation under k-anonymity with record suppression.
///
/// The search visits nodes in increasing order of a lower bound of the metric that holds for the
/// node itself. It stops as soon as the next bound exceeds the best value found, so every node it
/// skips provably cannot win. Feasibility is monotone (Samarati 2001; used by ARX's Flash and OLA):
/// when a node suppresses too much, so does every node below it, and those are never counted. The
/// metric with suppression is not monotone, so no node is skipped merely for lying above a
/// feasible one.
///
/// Ties break by fewer suppressed records, then the smaller sum of levels, then the
/// lexicographically smaller level vector.
public struct OptimalSearch {
    public static let maximumLatticeSize = 20_000_000

    public let hierarchies: [Hierarchy]
    public let model: KAnonymity
    public let metric: Metric

    public init(hierarchies: [Hierarchy], model: KAnonymity, metric: Metric) {
        self.hierarchies = hierarchies
        self.model = model
        self.metric = metric
    }

    public func run(on histogram: TupleHistogram) throws(AnonymizationError) -> SearchResult {
        let lattice = Lattice(dimensions: hierarchies.map(\.levelCount))
        guard lattice.nodeCount <= Self.maximumLatticeSize else {
            throw .latticeTooLarge(nodes: lattice.nodeCount, limit: Self.maximumLatticeSize)
        }
        let records = histogram.recordCount
        let maxSuppressed = model.maxSuppressed(records: records)
        let evaluator = NodeEvaluator(
            hierarchies: hierarchies, histogram: histogram, k: model.k)

        guard records >= model.k else {
            let top = evaluator.evaluate(lattice.levels(of: lattice.top), metric: metric)
            throw .infeasible(k: model.k, records: records, maxSuppressed: maxSuppressed, closest: top)
        }

        let suppression = SuppressionBounds(hierarchies: hierarchies, histogram: histogram, k: model.k)
        let forced = (0..<lattice.nodeCount).map { suppression.forced(lattice.levels(of: $0)) }
        let bounds = lowerBounds(lattice: lattice, evaluator: evaluator, histogram: histogram, forced: forced)
        let levelSums = (0..<lattice.nodeCount).map { lattice.levels(of: $0).reduce(0, +) }
        // Equal bounds visit in tie-break order, so a later equal node cannot displace an earlier one.
        let order = (0..<lattice.nodeCount).sorted { (a: Int, b: Int) -> Bool in
            if bounds[a] != bounds[b] { return bounds[a] < bounds[b] }
            if levelSums[a] != levelSums[b] { return levelSums[a] < levelSums[b] }
            return a < b
        }

        var infeasible = [Bool](repeating: false, count: lattice.nodeCount)
        var best: NodeEvaluation?
        var evaluated = 0
        var stack: [Int] = []
        for node in order {
            if let b = best, bounds[node] > b.metricValue + Self.tolerance(b.metricValue) { break }
            if infeasible[node] { continue }
            if forced[node] > maxSuppressed {
                infeasible[node] = true
                continue
            }
            let result = evaluator.evaluate(lattice.levels(of: node), metric: metric)
            evaluated += 1
            if result.suppressed > maxSuppressed {
                // Everything below a node that suppresses too much suppresses at least as much.
                infeasible[node] = true
                stack.append(node)
                while let n = stack.popLast() {
                    lattice.forEachPredecessor(of: n) { p in
                        if !infeasible[p] { infeasible[p] = true; stack.append(p) }
                    }
                }
                continue
            }
            if best.map({ Self.isBetter(result, than: $0) }) ?? true { best = result }
        }
        guard let best else {
            // Even the most general node suppresses too much: a hierarchy stops short of one group.
            let top = evaluator.evaluate(lattice.levels(of: lattice.top), metric: metric)
            throw .infeasible(k: model.k, records: records, maxSuppressed: maxSuppressed, closest: top)
        }
        return SearchResult(
            best: best, latticeSize: lattice.nodeCount, nodesEvaluated: evaluated,
            maxSuppressed: maxSuppressed, records: records)
    }

    /// Per tuple of `histogram`, whether its records are suppressed under `levels`.
    public func suppressedTuples(in histogram: TupleHistogram, levels: [Int]) -> [Bool] {
        let evaluator = NodeEvaluator(hierarchies: hierarchies, histogram: histogram, k: model.k)
        return evaluator.suppressedTuples(levels)
    }

    /// Scores one transformation, as the search would.
    public func evaluate(_ levels: [Int], on histogram: TupleHistogram) -> NodeEvaluation {
        let evaluator = NodeEvaluator(hierarchies: hierarchies, histogram: histogram, k: model.k)
        return evaluator.evaluate(levels, metric: metric)
    }

    /// A lower bound of the metric at each node, valid for that node itself. Records that the node
    /// certainly suppresses (``SuppressionBounds``) each raise an attribute's loss from at most its
    /// worst group's loss to 1, and cost N each under discernibility.
    private func lowerBounds(
        lattice: Lattice, evaluator: NodeEvaluator, histogram: TupleHistogram, forced: [Int]
    ) -> [Double] {
        let n = Double(histogram.recordCount)
        switch metric {
        case .loss:
            let worst = hierarchies.map { h in
                (0..<h.levelCount).map { level in
                    (0..<h.labels[level].count).map { h.loss(level: level, group: UInt32($0)) }.max() ?? 1
                }
            }
            return (0..<lattice.nodeCount).map { node in
                let levels = lattice.levels(of: node)
                guard n > 0 else { return 0 }
                let f = Double(forced[node])
                return Metric.combinedLoss(levels.indices.map { i in
                    hierarchies[i].rawCount > 1
                        ? (evaluator.unsuppressedLoss[i][levels[i]] + f * (1 - worst[i][levels[i]])) / n : 0
                })
            }
        case .discernibility:
            // m classes holding the unsuppressed records score at least (N − f)²/m (Cauchy–Schwarz);
            // m is at most the distinct tuples and the product of the generalised domains.
            return (0..<lattice.nodeCount).map { node in
                let levels = lattice.levels(of: node)
                var domain = Double(1)
                for i in levels.indices { domain *= Double(hierarchies[i].labels[levels[i]].count) }
                let f = Double(forced[node])
                return (n - f) * (n - f) / max(1, min(domain, Double(histogram.tupleCount))) + n * f
            }
        }
    }

    static func tolerance(_ value: Double) -> Double { 1e-12 * max(1, abs(value)) }

    static func isBetter(_ a: NodeEvaluation, than b: NodeEvaluation) -> Bool {
        if abs(a.metricValue - b.metricValue) > tolerance(b.metricValue) { return a.metricValue < b.metricValue }
        if a.suppressed != b.suppressed { return a.suppressed < b.suppressed }
        if a.levelSum != b.levelSum { return a.levelSum < b.levelSum }
        return a.levels.lexicographicallyPrecedes(b.levels)
    }
}
