/// Finds the optimal full-domain generalisation under a policy's privacy models with record
/// suppression: a class that fails any model is suppressed.
///
/// The search visits nodes in increasing order of a lower bound of the metric that holds for the
/// node itself. It stops as soon as the next bound exceeds the best value found, so every node it
/// skips provably cannot win. Feasibility is monotone (Samarati 2001; used by ARX's Flash and OLA):
/// when a node suppresses too much, so does every node below it, and those are never counted. The
/// metric with suppression is not monotone, so no node is skipped merely for lying above a
/// feasible one. Monotonicity holds only when every model is monotone (k-anonymity and distinct
/// ℓ-diversity are; entropy and recursive ℓ-diversity and t-closeness are not, since merging a
/// class that meets them with one that does not can fail): otherwise only the records of classes
/// smaller than the models allow are certain to stay suppressed below a node, and the search
/// prunes by those alone.
///
/// Most nodes under the bound are infeasible, and counting each would dominate the run. So before
/// counting a node, the search bisects a chain of its generalisations: an infeasible node on the
/// chain settles this node and its whole down-set at once, and feasible ones are candidates too.
/// Which nodes get counted changes the work, never the result: every node is either counted,
/// proved infeasible, or proved unable to beat the best.
///
/// Ties break by fewer suppressed records, then the smaller sum of levels, then the
/// lexicographically smaller level vector.
public struct OptimalSearch {
    public static let maximumLatticeSize = 1_000_000

    public let hierarchies: [Hierarchy]
    public let models: PrivacyModels
    public let metric: Metric
    /// Per quasi-identifier, its weight in the loss (nil: equal).
    public let weights: [Double]?
    /// Per quasi-identifier, the highest level the search may choose (nil: its top).
    public let maxLevels: [Int]?

    public init(hierarchies: [Hierarchy], models: PrivacyModels, metric: Metric, weights: [Double]? = nil, maxLevels: [Int]? = nil) {
        precondition(weights.map { $0.count == hierarchies.count } ?? true && maxLevels.map { $0.count == hierarchies.count } ?? true)
        self.hierarchies = hierarchies
        self.models = models
        self.metric = metric
        self.weights = weights
        self.maxLevels = maxLevels
    }

    /// Levels per quasi-identifier that the lattice spans.
    var dimensions: [Int] {
        hierarchies.indices.map { i in min(hierarchies[i].levelCount, (maxLevels?[i]).map { max(0, $0) + 1 } ?? .max) }
    }

    /// Searches `histogram`; `sensitive` holds, per sensitive attribute the models read, its value
    /// counts per tuple of `histogram`.
    public func run(on histogram: TupleHistogram, sensitive: [SensitiveHistogram] = []) throws(AnonymizationError) -> SearchResult {
        let lattice = Lattice(dimensions: dimensions)
        guard lattice.nodeCount <= Self.maximumLatticeSize else {
            throw .latticeTooLarge(nodes: lattice.nodeCount, limit: Self.maximumLatticeSize)
        }
        let records = histogram.recordCount
        let maxSuppressed = models.maxSuppressed(records: records)
        let evaluator = NodeEvaluator(hierarchies: hierarchies, histogram: histogram, models: models,
                                      sensitive: sensitive, weights: weights)
        let minimum = models.minimumClassSize
        let monotone = models.isMonotone

        guard records >= minimum else {
            let top = evaluator.evaluate(lattice.levels(of: lattice.top), metric: metric)
            throw .infeasible(models: models.description, minimumClassSize: minimum, records: records,
                              maxSuppressed: maxSuppressed, closest: top)
        }

        let suppression = SuppressionBounds(hierarchies: hierarchies, histogram: histogram, k: minimum)
        let forced = (0..<lattice.nodeCount).map { suppression.forced(lattice.levels(of: $0)) }
        let bound = MetricBound(
            metric: metric, hierarchies: hierarchies, records: records, tupleCount: histogram.tupleCount,
            unsuppressedLoss: evaluator.unsuppressedLoss, weights: evaluator.weights)
        let bounds = (0..<lattice.nodeCount).map { bound(lattice.levels(of: $0), forced: forced[$0]) }
        let levelSums = (0..<lattice.nodeCount).map { lattice.levels(of: $0).reduce(0, +) }
        // Equal bounds visit in tie-break order, so a later equal node cannot displace an earlier one.
        let order = (0..<lattice.nodeCount).sorted { (a: Int, b: Int) -> Bool in
            if bounds[a] != bounds[b] { return bounds[a] < bounds[b] }
            if levelSums[a] != levelSums[b] { return levelSums[a] < levelSums[b] }
            return a < b
        }

        var best: NodeEvaluation?
        var evaluated = 0
        var feasibleKnown = [Bool](repeating: false, count: lattice.nodeCount)
        var counted = [Bool](repeating: false, count: lattice.nodeCount)
        // What evaluated generalisations prove about each node's suppression: a node suppresses
        // at least as much as any node above it (Samarati's monotonicity, used as a bound).
        var inherited = [Int](repeating: 0, count: lattice.nodeCount)
        var stack: [Int] = []

        func provablyInfeasible(_ node: Int) -> Bool {
            max(forced[node], inherited[node]) > maxSuppressed
        }

        /// Counts a node's classes and records what that proves; returns whether it is feasible.
        func evaluate(_ node: Int) -> Bool {
            let result = evaluator.evaluate(lattice.levels(of: node), metric: metric)
            evaluated += 1
            counted[node] = true
            // With non-monotone models only the records of too-small classes are certain to stay
            // suppressed below this node.
            let certain = monotone ? result.suppressed : result.suppressedBySize
            if certain > inherited[node] {
                inherited[node] = certain
                stack.append(node)
                while let n = stack.popLast() {
                    lattice.forEachPredecessor(of: n) { p in
                        if inherited[p] < certain { inherited[p] = certain; stack.append(p) }
                    }
                }
            }
            guard result.suppressed <= maxSuppressed else { return false }
            feasibleKnown[node] = true
            if best.map({ Self.isBetter(result, than: $0) }) ?? true { best = result }
            return true
        }

        for node in order {
            if let b = best, bounds[node] > b.metricValue + Self.tolerance(b.metricValue) { break }
            if counted[node] || provablyInfeasible(node) { continue }
            let levels = lattice.levels(of: node)
            let mustSuppress = max(forced[node], inherited[node])
            if mustSuppress > forced[node], let b = best,
               bound(levels, forced: mustSuppress) > b.metricValue + Self.tolerance(b.metricValue) {
                continue
            }
            // Probe a chain of generalisations above the node by bisection, as Flash does: one
            // node found infeasible there proves this one and everything below it infeasible.
            let chain = lattice.chain(upFrom: node)
            var high = chain.count - 1
            var settled = false
            while high > 1 {
                let mid = chain[high / 2]
                if provablyInfeasible(mid) { settled = true; break }
                if !counted[mid] && !evaluate(mid) && (monotone || provablyInfeasible(node)) { settled = true; break }
                high /= 2
            }
            if !settled { _ = evaluate(node) }
        }
        guard let best else {
            // Even the most general node suppresses too much: a hierarchy stops short of one group.
            let top = evaluator.evaluate(lattice.levels(of: lattice.top), metric: metric)
            throw .infeasible(models: models.description, minimumClassSize: minimum, records: records,
                              maxSuppressed: maxSuppressed, closest: top)
        }
        return SearchResult(
            best: best, latticeSize: lattice.nodeCount, nodesEvaluated: evaluated,
            maxSuppressed: maxSuppressed, records: records)
    }

    /// Per tuple of `histogram`, whether its records are suppressed under `levels`.
    public func suppressedTuples(in histogram: TupleHistogram, levels: [Int], sensitive: [SensitiveHistogram] = []) -> [Bool] {
        let evaluator = NodeEvaluator(hierarchies: hierarchies, histogram: histogram, models: models,
                                      sensitive: sensitive, weights: weights)
        return evaluator.suppressedTuples(levels)
    }

    static func tolerance(_ value: Double) -> Double { 1e-12 * max(1, abs(value)) }

    static func isBetter(_ a: NodeEvaluation, than b: NodeEvaluation) -> Bool {
        if abs(a.metricValue - b.metricValue) > tolerance(b.metricValue) { return a.metricValue < b.metricValue }
        if a.suppressed != b.suppressed { return a.suppressed < b.suppressed }
        if a.levelSum != b.levelSum { return a.levelSum < b.levelSum }
        return a.levels.lexicographicallyPrecedes(b.levels)
    }
}
