import TableProtection
import Tabular

/// Reads a published cross-tabulation back from its CSV (the layout of ``PublishedTable``) and
/// audits it from the file alone, so that a drop can be checked without the data behind it.
public enum PublishedTableFile {
    /// The table in the file. The layout must be exact: the fixed last columns, every cell of the
    /// grid once, the margin column agreeing with the empty dimension columns, counts as
    /// non-negative decimal integers or empty.
    public static func read(path: String) throws(ExportError) -> PublishedTable {
        func fail(_ message: String) -> ExportError { .verification(path: path, message: message) }
        var header: [String] = []
        var rows: [(line: Int, fields: [String])] = []
        do {
            var reader = try CSVReader(path: path, delimiter: UInt8(ascii: ","))
            guard try reader.next() else { throw fail("the file is empty; a header was expected") }
            // Labels and dimension names are read as the values behind the cells (``CellEscaping``).
            func values(_ cells: [String], line: Int, names: [String]?) throws(ExportError) -> [String] {
                if let c = CellEscaping.firstUnescaped(cells) {
                    throw fail(CellEscaping.unescapedMessage(line: line, column: names?[c] ?? "\(c + 1)"))
                }
                return CellEscaping.unescape(record: cells)
            }
            header = try values(reader.strings(), line: 1, names: nil)
            while try reader.next() {
                guard reader.rejectReason == nil, reader.fieldCount == header.count else {
                    throw fail("line \(reader.line) does not have the \(header.count) fields of the header")
                }
                rows.append((reader.line, try values(reader.strings(), line: reader.line, names: header)))
            }
        } catch let e as ExportError {
            throw e
        } catch {
            throw fail("\(error)")
        }
        let dims = header.count - 2
        guard (1...3).contains(dims), header.suffix(2) == [PublishedTable.marginColumn, PublishedTable.countColumn] else {
            throw fail("the header must be 1 to 3 dimensions, then margin and count: \(header)")
        }
        let dimensions = Array(header.prefix(dims))
        guard Set(dimensions).count == dims, !dimensions.contains("") else { throw fail("dimension names must be distinct") }
        var values = [[String]](repeating: [], count: dims)
        var position = [[String: Int]](repeating: [:], count: dims)
        for (_, f) in rows {
            for d in 0..<dims where !f[d].isEmpty && position[d][f[d]] == nil {
                position[d][f[d]] = values[d].count
                values[d].append(f[d])
            }
        }
        let shape = TableShape(sizes: values.map(\.count))
        var cells = [Int?](repeating: nil, count: shape.cellCount)
        var seen = [Bool](repeating: false, count: shape.cellCount)
        for (line, f) in rows {
            var summed: [String] = []
            for part in f[dims].split(separator: ";", omittingEmptySubsequences: false) where !f[dims].isEmpty {
                guard let name = CombinationLabel.unescape(String(part)) else {
                    throw fail("line \(line): the margin column \"\(f[dims])\" is not escaped as written")
                }
                summed.append(name)
            }
            var coordinates: [Int] = []
            for d in 0..<dims {
                let isSummed = summed.contains(dimensions[d])
                guard isSummed == f[d].isEmpty else { throw fail("line \(line): the margin column disagrees with the empty cells") }
                coordinates.append(isSummed ? shape.sizes[d] : position[d][f[d]]!)
            }
            guard summed.allSatisfy(dimensions.contains), Set(summed).count == summed.count,
                  summed == dimensions.filter(summed.contains)
            else { throw fail("line \(line): the margin column \"\(f[dims])\" does not list dimensions in order") }
            let cell = shape.index(coordinates)
            guard !seen[cell] else { throw fail("line \(line): the same cell appears twice") }
            seen[cell] = true
            let text = f[dims + 1]
            if !text.isEmpty {
                guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int(text) else {
                    throw fail("line \(line): the count \"\(text)\" is not a non-negative integer")
                }
                cells[cell] = v
            }
        }
        guard seen.allSatisfy({ $0 }) else { throw fail("\(seen.filter { !$0 }.count) cells of the table are missing") }
        return PublishedTable(dimensions: dimensions, values: values, cells: cells, summary: nil)
    }

    /// Reads the file and audits it with ``TableAudit``: fails if the published cells do not add
    /// up or if any suppressed cell could be narrowed below `threshold`.
    ///
    /// Without the true counts every suppressed cell goes through the exact simplex, which is
    /// quick for 1-D and 2-D tables (a 40 × 100 table with about a thousand suppressed cells took
    /// under a second) but grows fast for 3-D ones: about a minute for 440 suppressed cells in one
    /// connected group of a 10 × 20 × 4 table, and a group of three thousand (a heavily suppressed
    /// 20 × 50 × 8 table) overflows the 64-bit fractions, so the file fails verification.
    @discardableResult
    public static func verify(path: String, threshold: Int, integerSearchLimit: Int = 64) throws(ExportError) -> TableAudit.Report {
        try verify(try read(path: path), path: path, threshold: threshold, integerSearchLimit: integerSearchLimit)
    }

    /// The audit of a table already read from `path`, which names it in messages.
    @discardableResult
    public static func verify(_ table: PublishedTable, path: String, threshold: Int, integerSearchLimit: Int = 64) throws(ExportError) -> TableAudit.Report {
        let report = TableAudit.audit(
            shape: table.shape, published: table.cells, threshold: threshold, integerSearchLimit: integerSearchLimit)
        guard report.inconsistentEquations == 0 else {
            throw .verification(path: path, message: "\(report.inconsistentEquations) published margins do not add up")
        }
        guard report.passed else {
            throw .verification(path: path, message: "\(report.failing.count) suppressed cells can be narrowed below \(threshold)")
        }
        return report
    }
}

extension PublishedTable {
    /// Writes the file at `path` and syncs it to disk.
    public func write(toPath path: String) throws(ExportError) {
        var writer = try CSVWriter(path: path, delimiter: UInt8(ascii: ","))
        try writer.writeRecord(header)
        for r in rows() { try writer.writeRecord(r) }
        try writer.finish()
    }
}
