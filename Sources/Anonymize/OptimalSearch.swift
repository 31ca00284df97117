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
        var evaluator = NodeEvaluator(
            hierarchies: hierarchies, histogram: histogram, k: model.k, maxSuppressed: maxSuppressed)

        guard records >= model.k else {
            let top = evaluator.evaluate(lattice.levels(of: lattice.top), metric: metric)
            throw .infeasible(k: model.k, records: records, maxSuppressed: maxSuppressed, closest: top)
        }

        let bounds = lowerBounds(lattice: lattice, evaluator: evaluator, histogram: histogram)
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
            // Unreachable while records ≥ k: the top node is one class holding every record.
            let top = evaluator.evaluate(lattice.levels(of: lattice.top), metric: metric)
            throw .infeasible(k: model.k, records: records, maxSuppressed: maxSuppressed, closest: top)
        }
        return SearchResult(
            best: best, latticeSize: lattice.nodeCount, nodesEvaluated: evaluated,
            maxSuppressed: maxSuppressed, records: records)
    }

    /// Per tuple of `histogram`, whether its records are suppressed under `levels`.
    public func suppressedTuples(in histogram: TupleHistogram, levels: [Int]) -> [Bool] {
        var evaluator = NodeEvaluator(
            hierarchies: hierarchies, histogram: histogram, k: model.k,
            maxSuppressed: model.maxSuppressed(records: histogram.recordCount))
        return evaluator.suppressedTuples(levels)
    }

    /// Scores one transformation, as the search would.
    public func evaluate(_ levels: [Int], on histogram: TupleHistogram) -> NodeEvaluation {
        var evaluator = NodeEvaluator(
            hierarchies: hierarchies, histogram: histogram, k: model.k,
            maxSuppressed: model.maxSuppressed(records: histogram.recordCount))
        return evaluator.evaluate(levels, metric: metric)
    }

    private func lowerBounds(lattice: Lattice, evaluator: NodeEvaluator, histogram: TupleHistogram) -> [Double] {
        switch metric {
        case .loss:
            return (0..<lattice.nodeCount).map { evaluator.lossLowerBound(lattice.levels(of: $0)) }
        case .discernibility:
            // Every record scores at least the size of its class, and m classes of N records score
            // at least N²/m (Cauchy–Schwarz); m is at most the tuples and the product of domains.
            let n = Double(histogram.recordCount)
            return (0..<lattice.nodeCount).map { node in
                let levels = lattice.levels(of: node)
                var domain = Double(1)
                for i in levels.indices { domain *= Double(hierarchies[i].labels[levels[i]].count) }
                return n * n / max(1, min(domain, Double(histogram.tupleCount)))
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
