import Anonymize
import Tabular

/// The equivalence classes of a published file's records over some of its columns, counted as
/// a reader would count them: every distinct combination of cells, an empty cell a value of its
/// own. Shared by the check before publishing and by `htdx verify`.
///
/// Cells are compared as published, escaped form included (``CellEscaping``): escaping maps
/// distinct values to distinct cells, so the classes are the same either way. A cell that a
/// spreadsheet would run as a formula, unescaped, fails: htdx never writes one.
struct PublishedClasses {
    private(set) var records = 0
    private(set) var classes: TupleHistogram

    var smallest: Int { classes.counts.min() ?? 0 }

    /// The labels each counted column may hold, and the error for a cell outside them (given
    /// the line, the column and the cell).
    struct Allowed {
        var labels: [[String]]
        var refuse: (Int, Int, String) -> ExportError
    }

    /// Reads `reader` to its end; every record must have `header.count` fields, and, when `allowed`
    /// is given, each counted cell must be one of its column's labels (as the value behind the cell).
    init(_ reader: inout CSVReader, columns: [Int], header: [String], allowed: Allowed? = nil,
         fail: (String) -> ExportError) throws {
        let fieldCount = header.count
        var dictionaries = allowed.map { $0.labels.map { ValueDictionary(values: $0.map(CellEscaping.escape)) } }
            ?? columns.map { _ in ValueDictionary(values: []) }
        classes = TupleHistogram(width: columns.count)
        var tuple = [UInt32](repeating: 0, count: columns.count)
        while try reader.next() {
            records += 1
            guard reader.rejectReason == nil, reader.fieldCount == fieldCount else {
                throw fail("line \(reader.line) has \(reader.fieldCount) fields, expected \(fieldCount)")
            }
            for c in 0..<fieldCount where CellEscaping.isDangerous(reader.field(c)) {
                throw fail(CellEscaping.unescapedMessage(line: reader.line, column: header[c]))
            }
            for (j, column) in columns.enumerated() {
                if let allowed {
                    guard let code = dictionaries[j].code(of: reader.field(column)) else {
                        throw allowed.refuse(reader.line, column, CellEscaping.unescape(reader.string(column)) ?? "")
                    }
                    tuple[j] = code
                } else {
                    tuple[j] = dictionaries[j].insert(reader.field(column))
                }
            }
            tuple.withUnsafeBufferPointer { _ = classes.add($0) }
        }
    }
}
