/// What one transformation (a level per quasi-identifier) does to the data: the outcome of
/// grouping the histogram at those levels and suppressing every class smaller than k.
public struct NodeEvaluation: Sendable, Equatable {
    /// One generalisation level per quasi-identifier, in the policy's attribute order.
    public var levels: [Int]
    public var suppressed: Int
    /// Of those, the records in classes smaller than the smallest class the models allow: a part
    /// that only shrinks as the transformation is generalised, whatever the models.
    public var suppressedBySize: Int = 0
    /// Equivalence classes that are published (size ≥ k).
    public var publishedClasses: Int
    /// The smallest published class; 0 when nothing is published.
    public var smallestClass: Int
    /// The metric's value for this transformation, suppression included.
    public var metricValue: Double
    /// ARX's Loss per quasi-identifier, suppression included (reported whatever the metric).
    public var attributeLoss: [Double]
    /// The combined Loss, Π(1 + Lᵢ)^(1/n) − 1.
    public var informationLoss: Double
    /// Σ |E|² over published classes plus N per suppressed record.
    public var discernibility: Double

    public var levelSum: Int { levels.reduce(0, +) }
}

/// The result of the optimal search.
public struct SearchResult: Sendable {
    public var best: NodeEvaluation
    public var latticeSize: Int
    /// Nodes whose classes were actually counted; the rest were pruned by bounds or monotonicity.
    public var nodesEvaluated: Int
    public var maxSuppressed: Int
    public var records: Int
}
