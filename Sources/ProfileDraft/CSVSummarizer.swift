import Ingest
import Tabular

/// Summarises a CSV export: sniffs its shape, then reads every record once.
enum CSVSummarizer {
    static func summarize(path: String) throws(DraftError) -> ExportSummary {
        let encoding = try EncodingSniffer.sniff(path: path)
        var notes: [String] = []
        if let n = encoding.note { notes.append(n) }
        if encoding.hasBOM { notes.append("starts with a UTF-8 byte-order mark, which is skipped") }
        let (delimiter, delimiterNote) = try CSVSniffer.delimiter(path: path, encoding: encoding.encoding)
        if let delimiterNote { notes.append(delimiterNote) }

        var reader: CSVReader
        do { reader = try CSVReader(path: path, delimiter: delimiter) } catch { throw DraftError(error.description, isData: true) }
        reader.singleByteEncoding = encoding.encoding != .utf8
        func row() throws(DraftError) -> [String]? {
            do {
                guard try reader.next() else { return nil }
            } catch { throw DraftError(error.description, isData: true) }
            return (0..<reader.fieldCount).map { encoding.encoding.utf8(reader.field($0)) ?? "" }
        }
        guard let first = try row() else { throw DraftError("\(path): is empty; a draft needs a header and some records", isData: true) }
        let second = try row()
        let header = CSVSniffer.headerRows(first: first, second: second)
        if let n = header.note { notes.append(n) }
        let names = header.nameRow == 1 ? first : second ?? first

        var columns = names.enumerated().map { i, name in
            let trimmed = ColumnSummary.trimmed(name)
            return ColumnSummary(name: trimmed.isEmpty ? "#\(i + 1)" : trimmed, position: i)
        }
        let duplicates = Dictionary(grouping: columns, by: \.name).filter { $0.value.count > 1 }.count
        if duplicates > 0 { notes.append("\(duplicates) column name(s) occur more than once; a profile can name only the first of each") }
        var records = 0, malformed = 0, wider = 0
        func take(_ cells: [String]) {
            records += 1
            if cells.count > columns.count {
                wider += 1
                for i in columns.count..<cells.count {
                    var c = ColumnSummary(name: "#\(i + 1)", position: i)
                    c.records = records - 1
                    columns.append(c)
                }
            }
            for i in columns.indices {
                if i < cells.count { columns[i].add(cells[i]) } else { columns[i].addEmpty() }
            }
        }
        if header.rows == 1, let second { take(second) }
        while let cells = try row() {
            if reader.rejectReason != nil { malformed += 1; continue }
            take(cells)
        }
        if malformed > 0 { notes.append("\(malformed) malformed record(s) skipped (text after a closing quote)") }
        if wider > 0 { notes.append("\(wider) record(s) have more fields than the header; the extra columns are named by position (#N)") }
        let shape = CSVShape(delimiter: delimiter, encoding: encoding.encoding, headerRows: header.rows, nameRow: header.nameRow, notes: notes)
        return ExportSummary(path: path, shape: .csv(shape), records: records, columns: columns)
    }
}
