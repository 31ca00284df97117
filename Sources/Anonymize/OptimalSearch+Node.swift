extension OptimalSearch {
    /// One given transformation scored exactly as the search scores the nodes it visits, so that a
    /// transformation chosen from outside the search (an earlier release's, which the differencing
    /// guard may keep) is judged and reported as the search's own would be. The caller checks
    /// `best.suppressed` against `maxSuppressed`.
    public func evaluate(levels: [Int], on histogram: TupleHistogram, sensitive: [SensitiveHistogram] = []) -> SearchResult {
        precondition(levels.count == hierarchies.count)
        let evaluator = NodeEvaluator(hierarchies: hierarchies, histogram: histogram, models: models,
                                      sensitive: sensitive, weights: weights)
        let records = histogram.recordCount
        return SearchResult(best: evaluator.evaluate(levels, metric: metric), latticeSize: Lattice(dimensions: dimensions).nodeCount,
                            nodesEvaluated: 1, maxSuppressed: models.maxSuppressed(records: records), records: records)
    }
}
