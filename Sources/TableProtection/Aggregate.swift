/// An open-access aggregate counted from the accepted records: the combination counts and the
/// cross-tabulations, and whatever kind comes next.
///
/// The release's aggregate builder knows aggregates only through this: it hands each one its
/// attributes' values, record by record, so a new kind needs no change to the counting pass. What
/// an aggregate publishes, and how it is protected first, stays with its own type.
public protocol Aggregate: Sendable {
    /// The attributes it counts, in the order ``add(_:)`` takes their values.
    var attributes: [String] { get }

    /// Counts one record: one value per attribute, `""` for a missing value.
    mutating func add(_ values: [String]) throws(AggregateError)
}

extension CombinationCounts: Aggregate {}

extension CrossTabulation: Aggregate {
    public var attributes: [String] { dimensions }
}
