/// The true counts of a cross-tabulation, every margin included: what suppression protects and
/// what never leaves the process.
///
/// `cells` is indexed by ``TableShape``; `values[d]` names the coordinates of dimension `d`.
public struct TableCounts: Sendable, Equatable {
    public let dimensions: [String]
    public let values: [[String]]
    public let shape: TableShape
    public let cells: [Int]

    /// A table from interior counts in row-major order (the last dimension fastest); the margins
    /// are computed, so they always add up.
    public init(dimensions: [String], values: [[String]], interior: [Int]) throws(AggregateError) {
        try CrossTabulation.check(dimensions: dimensions)
        guard values.count == dimensions.count else { throw .configuration("one list of values per dimension is needed") }
        for (d, list) in values.enumerated() where Set(list).count != list.count || list.contains("") {
            throw .configuration("the values of \(dimensions[d]) must be distinct and not empty")
        }
        let shape = TableShape(sizes: values.map(\.count))
        guard interior.count == shape.sizes.reduce(1, *), interior.allSatisfy({ $0 >= 0 }) else {
            throw .configuration("one non-negative count per interior cell is needed")
        }
        self.dimensions = dimensions
        self.values = values
        self.shape = shape
        cells = shape.withMargins(interior: interior)
    }

    public var grandTotal: Int { cells[shape.cellCount - 1] }
}
