/// Why an aggregate table was not built or not published.
///
/// Every case stops the table: an aggregate that cannot be protected is never written.
public enum AggregateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The table or the counts were configured with something they cannot work with.
    case configuration(String)
    /// A record did not have one value per attribute or dimension.
    case recordShape(expected: Int, got: Int)
    /// Secondary suppression ran out of cells to suppress and some suppressed cell could still be
    /// narrowed; the table is not published.
    case cannotProtect(table: String, unprotectedCells: Int)

    public var description: String {
        switch self {
        case .configuration(let message):
            return "aggregate configuration: \(message)"
        case .recordShape(let expected, let got):
            return "a record has \(got) values, but \(expected) were expected"
        case .cannotProtect(let table, let cells):
            return "table \(table): \(cells) suppressed cells could still be narrowed below the threshold "
                + "after every candidate cell was suppressed; the table was not published"
        }
    }
}
