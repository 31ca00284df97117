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
    /// Per sensitive column, the records with each of its values per class.
    private(set) var sensitive: [SensitiveCounts]
    /// Per sensitive column, the value behind each code.
    private(set) var sensitiveValues: [[String]]

    var smallest: Int { classes.counts.min() ?? 0 }

    /// The labels each counted column may hold, and the error for a cell outside them (given
    /// the line, the column and the cell).
    struct Allowed {
        var labels: [[String]]
        var refuse: (Int, Int, String) -> ExportError
    }

    /// Reads `reader` to its end; every record must have `header.count` fields, and, when `allowed`
    /// is given, each counted cell must be one of its column's labels (as the value behind the cell).
    /// `sensitive` lists the sensitive columns to count per class, each with its domain when one is
    /// promised (a value outside it fails) or nil to take the values found.
    init(_ reader: inout CSVReader, columns: [Int], header: [String], allowed: Allowed? = nil,
         sensitive sensitiveColumns: [(column: Int, domain: [String]?)] = [], fail: (String) -> ExportError) throws {
        let fieldCount = header.count
        var dictionaries = allowed.map { $0.labels.map { ValueDictionary(values: $0.map(CellEscaping.escape)) } }
            ?? columns.map { _ in ValueDictionary(values: []) }
        classes = TupleHistogram(width: columns.count)
        sensitive = sensitiveColumns.map { _ in SensitiveCounts() }
        sensitiveValues = []
        var sensitiveCodes = sensitiveColumns.map { ValueDictionary(values: ($0.domain ?? []).map(CellEscaping.escape)) }
        var tuple = [UInt32](repeating: 0, count: columns.count)
        // Unwrapped once: an optional struct of arrays and a closure, unwrapped per record, costs
        // a retain and a release each time.
        let checksLabels = allowed != nil
        let refuse = allowed?.refuse
        let countsSensitive = !sensitiveColumns.isEmpty
        while try reader.next() {
            records += 1
            guard reader.rejectReason == nil, reader.fieldCount == fieldCount else {
                throw fail("line \(reader.line) has \(reader.fieldCount) fields, expected \(fieldCount)")
            }
            for c in 0..<fieldCount where CellEscaping.isDangerous(reader.field(c)) {
                throw fail(CellEscaping.unescapedMessage(line: reader.line, column: header[c]))
            }
            for (j, column) in columns.enumerated() {
                if checksLabels {
                    guard let code = dictionaries[j].code(of: reader.field(column)) else {
                        throw refuse!(reader.line, column, CellEscaping.unescape(reader.string(column)) ?? "")
                    }
                    tuple[j] = code
                } else {
                    tuple[j] = dictionaries[j].insert(reader.field(column))
                }
            }
            let t = tuple.withUnsafeBufferPointer { classes.add($0) }
            guard countsSensitive else { continue }
            for (j, s) in sensitiveColumns.enumerated() {
                var code = sensitiveCodes[j].code(of: reader.field(s.column))
                if code == nil {
                    guard s.domain == nil else {
                        throw fail("line \(reader.line), column \(SafeText.name(header[s.column])): a value outside the reference distribution the release was checked against")
                    }
                    code = sensitiveCodes[j].insert(reader.field(s.column))
                }
                sensitive[j].add(tuple: t, code: code!)
            }
        }
        sensitiveValues = sensitiveCodes.map { d in (0..<d.count).map { d.value(UInt32($0)) } }
    }
}
