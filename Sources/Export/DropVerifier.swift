import Anonymize
import Tabular

/// Re-reads a written `anonymized.csv` and checks it against the promise made for it, from the
/// file alone: the expected header, every quasi-identifier value a label of its chosen level, and
/// every equivalence class at least k records. A drop that fails is never published.
public struct DropVerifier {
    public struct Expectation {
        public var columns: [String]
        /// For each quasi-identifier column, the labels its chosen level can publish.
        public var allowedLabels: [String: [String]]
        public var k: Int
        public var records: Int
        /// Rows between the header and the records (an HXL hashtag row).
        public var extraHeaderRows: Int

        public init(columns: [String], extraHeaderRows: Int = 0, allowedLabels: [String: [String]], k: Int, records: Int) {
            self.columns = columns
            self.extraHeaderRows = extraHeaderRows
            self.allowedLabels = allowedLabels
            self.k = k
            self.records = records
        }
    }

    public struct Findings: Sendable, Equatable {
        public var records: Int
        public var classes: Int
        public var smallestClass: Int
    }

    public static func verify(path: String, delimiter: UInt8, expecting e: Expectation) throws(ExportError) -> Findings {
        func fail(_ message: String) -> ExportError { .verification(path: path, message: message) }
        do {
            var reader = try CSVReader(path: path, delimiter: delimiter)
            guard try reader.next() else { throw fail("the file is empty; a header was expected") }
            let cells = reader.strings()
            if let c = CellEscaping.firstUnescaped(cells) {
                throw fail(CellEscaping.unescapedMessage(line: 1, column: "\(c + 1)"))
            }
            let header = CellEscaping.unescape(record: cells)
            guard header == e.columns else {
                throw fail("the header is not the \(e.columns.count) columns that were written")
            }
            for _ in 0..<e.extraHeaderRows {
                guard try reader.next(), reader.fieldCount == header.count else { throw fail("the row under the header is missing or malformed") }
                if let c = CellEscaping.firstUnescaped(reader.strings()) {
                    throw fail(CellEscaping.unescapedMessage(line: reader.line, column: header[c]))
                }
            }
            let qiColumns = header.indices.filter { e.allowedLabels[header[$0]] != nil }
            let labels = PublishedClasses.Allowed(labels: qiColumns.map { e.allowedLabels[header[$0]]! }) { line, column, cell in
                fail("line \(line), column \(SafeText.name(header[column])): a value that is not a label of its chosen generalisation level")
            }
            let counted = try PublishedClasses(&reader, columns: qiColumns, header: header, allowed: labels, fail: fail)
            let rows = counted.records
            guard rows == e.records else { throw fail("it holds \(rows) records, but \(e.records) were written") }
            let smallest = counted.smallest
            if rows > 0 && smallest < e.k {
                throw fail("an equivalence class has \(smallest) records, fewer than k = \(e.k)")
            }
            return Findings(records: rows, classes: counted.classes.tupleCount, smallestClass: smallest)
        } catch let error as ExportError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }
}
