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
        let bound = MetricBound(
            metric: metric, hierarchies: hierarchies, records: records, tupleCount: histogram.tupleCount,
            unsuppressedLoss: evaluator.unsuppressedLoss)
        let bounds = (0..<lattice.nodeCount).map { bound(lattice.levels(of: $0), forced: forced[$0]) }
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
        // What evaluated generalisations prove about each node's suppression: a node suppresses
        // at least as much as any node above it.
        var inherited = [Int](repeating: 0, count: lattice.nodeCount)
        for node in order {
            if let b = best, bounds[node] > b.metricValue + Self.tolerance(b.metricValue) { break }
            if infeasible[node] { continue }
            let mustSuppress = max(forced[node], inherited[node])
            if mustSuppress > maxSuppressed {
                infeasible[node] = true
                continue
            }
            let levels = lattice.levels(of: node)
            if mustSuppress > forced[node], let b = best,
               bound(levels, forced: mustSuppress) > b.metricValue + Self.tolerance(b.metricValue) {
                continue
            }
            let result = evaluator.evaluate(levels, metric: metric)
            evaluated += 1
            if result.suppressed > 0 {
                stack.append(node)
                while let n = stack.popLast() {
                    lattice.forEachPredecessor(of: n) { p in
                        if inherited[p] < result.suppressed { inherited[p] = result.suppressed; stack.append(p) }
                    }
                }
            }
            if result.suppressed > maxSuppressed { continue }
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

    static func tolerance(_ value: Double) -> Double { 1e-12 * max(1, abs(value)) }

    static func isBetter(_ a: NodeEvaluation, than b: NodeEvaluation) -> Bool {
        if abs(a.metricValue - b.metricValue) > tolerance(b.metricValue) { return a.metricValue < b.metricValue }
        if a.suppressed != b.suppressed { return a.suppressed < b.suppressed }
        if a.levelSum != b.levelSum { return a.levelSum < b.levelSum }
        return a.levels.lexicographicallyPrecedes(b.levels)
    }
}
