import Anonymize
import Tabular

/// Re-reads a record-level file and checks it against its promise, from the file alone: the
/// header, every quasi-identifier value a label of its chosen level (when the labels are known),
/// the record count, and every equivalence class meeting every privacy model. One verifier serves
/// the check before publishing and `htdx verify`, so the two cannot drift apart.
public struct MicrodataVerifier {
    public struct Promise {
        /// The exact header expected, or nil to accept any header that holds the named columns.
        public var header: [String]?
        /// Rows before the records: the header, and an HXL hashtag row when there is one.
        public var headerRows: Int
        public var quasiIdentifiers: [String]
        /// For each quasi-identifier, the labels its chosen level can publish, when known.
        public var allowedLabels: [String: [String]]?
        public var models: PrivacyModels
        /// For models that compare a class with the whole table (t-closeness): the attribute's
        /// domain and reference counts, by attribute name.
        public var references: [String: SensitiveColumn]
        public var records: Int

        public init(header: [String]?, headerRows: Int, quasiIdentifiers: [String], allowedLabels: [String: [String]]?,
                    models: PrivacyModels, references: [String: SensitiveColumn] = [:], records: Int) {
            self.header = header
            self.headerRows = headerRows
            self.quasiIdentifiers = quasiIdentifiers
            self.allowedLabels = allowedLabels
            self.models = models
            self.references = references
            self.records = records
        }
    }

    public struct Findings: Sendable, Equatable {
        public var records: Int
        public var classes: Int
        public var smallestClass: Int
        public var models: [ModelAudit.Outcome]
    }

    public static func verify(path: String, delimiter: UInt8, promise p: Promise) throws(ExportError) -> Findings {
        func fail(_ message: String) -> ExportError { .verification(path: path, message: message) }
        guard p.headerRows >= 1 else { throw fail("the promise gives \(p.headerRows) header rows; the header is one") }
        do {
            var reader = try CSVReader(path: path, delimiter: delimiter)
            guard try reader.next() else { throw fail("the file is empty; a header was expected") }
            let cells = reader.strings()
            if let c = CellEscaping.firstUnescaped(cells) {
                throw fail(CellEscaping.unescapedMessage(line: 1, column: "\(c + 1)"))
            }
            // The names behind the cells: a column name is escaped like any other cell.
            let header = CellEscaping.unescape(record: cells)
            if let expected = p.header, header != expected {
                throw fail("the header is not the \(expected.count) columns that were written")
            }
            for _ in 1..<p.headerRows {
                guard try reader.next(), reader.fieldCount == header.count else { throw fail("a header row is missing or malformed") }
                if let c = CellEscaping.firstUnescaped(reader.strings()) {
                    throw fail(CellEscaping.unescapedMessage(line: reader.line, column: header[c]))
                }
            }
            func column(_ name: String, _ role: String) throws(ExportError) -> Int {
                guard let c = header.firstIndex(of: name) else { throw fail("has no column \(SafeText.name(name)), which the promise names as \(role)") }
                return c
            }
            var qiColumns: [Int] = []
            for name in p.quasiIdentifiers { qiColumns.append(try column(name, "a quasi-identifier")) }
            let sensitiveNames = p.models.sensitiveAttributes
            var sensitiveColumns: [Int] = []
            for name in sensitiveNames { sensitiveColumns.append(try column(name, "a sensitive attribute")) }
            let allowed = p.allowedLabels.map { labels in
                PublishedClasses.Allowed(labels: p.quasiIdentifiers.map { labels[$0] ?? [] }) { line, column, _ in
                    fail("line \(line), column \(SafeText.name(header[column])): a value that is not a label of its chosen generalisation level")
                }
            }
            let counted = try PublishedClasses(
                &reader, columns: qiColumns, header: header, allowed: allowed,
                sensitive: sensitiveColumns.enumerated().map { j, c in (c, p.references[sensitiveNames[j]]?.values) }, fail: fail)
            let rows = counted.records
            guard rows == p.records else { throw fail("holds \(rows) records, but \(p.records) were published") }
            let tables = sensitiveNames.indices.map { j in
                counted.sensitive[j].table(
                    tupleCount: counted.classes.tupleCount,
                    column: p.references[sensitiveNames[j]] ?? SensitiveColumn(
                        name: sensitiveNames[j], values: counted.sensitiveValues[j],
                        referenceCounts: [Int](repeating: 0, count: counted.sensitiveValues[j].count)))
            }
            let audit = ModelAudit(models: p.models, sizes: counted.classes.counts, sensitive: tables)
            if let failed = audit.firstFailure {
                throw fail("\(failed.failingClasses) equivalence class\(failed.failingClasses == 1 ? "" : "es") over "
                           + "\(p.quasiIdentifiers.map(SafeText.name).joined(separator: ", ")) (\(failed.failingRecords) records) "
                           + "fail \(failed.model)")
            }
            return Findings(records: rows, classes: counted.classes.tupleCount, smallestClass: counted.smallest, models: audit.outcomes)
        } catch let error as ExportError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }
}
