import Export
import Ingest
import Tabular

/// The rejects file: one row per record that could not be used, never inside the published drop.
/// It names the partner, the file, the line, the partner's reference, the field and the reason,
/// and no other value.
final class RejectsLog {
    private var writer: CSVWriter
    private(set) var byReason: [String: Int] = [:]
    /// Cells written in their spreadsheet-safe form (``CellEscaping``), for the report.
    var cellsEscaped: Int { writer.escapedCells }

    init(path: String) throws(RunError) {
        do {
            writer = try CSVWriter(path: path, delimiter: UInt8(ascii: ","))
            try writer.writeRecord(["partner", "file", "line", "reference", "field", "reason"])
        } catch {
            throw .internalError(error.description)
        }
    }

    func record(_ rejection: Rejection, partner: String, file: String, line: Int, reference: String) throws(RunError) {
        byReason[rejection.category, default: 0] += 1
        do {
            try writer.writeRecord([partner, file, String(line), reference, rejection.field, rejection.reason])
        } catch {
            throw .internalError(error.description)
        }
    }

    func finish() throws(RunError) {
        do { try writer.finish() } catch { throw .internalError(error.description) }
    }
}
