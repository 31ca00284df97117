import Tabular

/// A cross-tabulation ready to publish: every cell either its true count or suppressed, with the
/// audit already passed.
///
/// CSV layout (comma-separated, RFC 4180 quoting, LF line ends), one row per cell, margins
/// included, row-major with the last dimension fastest and each margin after the values it sums:
///
/// ```
/// year,country,margin,count
/// 2019,GB,,42
/// 2019,NL,,
/// 2019,,country,57
/// ,GB,year,80
/// ,,year;country,130
/// ```
///
/// The first columns are the dimensions, in order; the last two are always `margin` and `count`,
/// whatever the dimensions are called. `margin` lists the dimensions a row is summed over,
/// percent-escaped as in ``CombinationLabel`` and joined by `;`; it is empty for an interior cell,
/// and a summed dimension's own column is empty. Values are never empty (the empty string means
/// missing), so a margin row can never be mistaken for a value. An empty `count` is a suppressed
/// cell; the file never says which suppressions were primary and which secondary.
public struct PublishedTable: Sendable, Equatable {
    public let dimensions: [String]
    public let values: [[String]]
    public let shape: TableShape
    /// Indexed by ``TableShape``; `nil` is suppressed.
    public let cells: [Int?]
    /// Kept in memory for the report; never written, so `nil` for a table read back from a file.
    public let summary: SuppressionSummary?

    public static let marginColumn = "margin"
    public static let countColumn = "count"

    public init(dimensions: [String], values: [[String]], cells: [Int?], summary: SuppressionSummary?) {
        self.dimensions = dimensions
        self.values = values
        shape = TableShape(sizes: values.map(\.count))
        precondition(cells.count == shape.cellCount)
        self.cells = cells
        self.summary = summary
    }

    public var header: [String] { dimensions + [Self.marginColumn, Self.countColumn] }

    /// Every row after the header, in file order.
    public func rows() -> [[String]] {
        (0..<shape.cellCount).map { cell in
            var row: [String] = []
            var summed: [String] = []
            for d in dimensions.indices {
                if shape.isMargin(cell, in: d) {
                    row.append("")
                    summed.append(CombinationLabel.escape(dimensions[d]))
                } else {
                    row.append(values[d][shape.coordinate(cell, d)])
                }
            }
            row.append(summed.joined(separator: ";"))
            row.append(cells[cell].map(String.init) ?? "")
            return row
        }
    }

    public func csvBytes() -> [UInt8] {
        ([header] + rows()).flatMap { CSVWriter.encode(record: $0, delimiter: UInt8(ascii: ",")) }
    }
}

/// How much a table lost to suppression, for the report. Counts only, never which cells.
public struct SuppressionSummary: Sendable, Equatable {
    public var cells: Int
    public var primary: Int
    public var secondary: Int
    /// Rounds of audit and added suppressions after the first choice.
    public var rounds: Int

    public init(cells: Int, primary: Int, secondary: Int, rounds: Int) {
        self.cells = cells
        self.primary = primary
        self.secondary = secondary
        self.rounds = rounds
    }
}
