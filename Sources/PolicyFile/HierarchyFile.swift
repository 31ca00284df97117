import Anonymize
import Ingest
import Tabular

/// Reads an ARX hierarchy table (`raw;level1;…;*`, `;`-delimited, no header) into a ``Hierarchy``.
///
/// Lines starting with `#` before the first row are a comment and skipped, so a generated table can
/// name its generator and sources (Policies/hierarchies/country.csv does); after the first row a
/// `#` is data like any other character, so a value such as `#1` stays a value. A comment line is
/// still read as a CSV record before it is skipped, so it must not open a quote it never closes.
///
/// Messages give the row, never a cell: a file named as a hierarchy by mistake could be anything.
enum HierarchyFile {
    struct Failure: Error {
        var file: String
        var line: Int
        var message: String
    }

    static func load(path: String) throws(Failure) -> Hierarchy {
        var rows: [[String]] = []
        var lines: [Int] = []
        do {
            var reader = try CSVReader(path: path, delimiter: UInt8(ascii: ";"))
            while try reader.next() {
                if rows.isEmpty, reader.fieldCount > 0, reader.strings()[0].hasPrefix("#") { continue }
                if let reason = reader.rejectReason { throw Failure(file: path, line: reader.line, message: reason) }
                rows.append(reader.strings())
                lines.append(reader.line)
            }
        } catch let e as CSVError {
            throw Failure(file: path, line: e.line, message: e.message)
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure(file: path, line: 0, message: "cannot read the hierarchy file")
        }
        do {
            return try Hierarchy(rows: rows)
        } catch {
            throw Failure(file: path, line: rows.isEmpty ? 0 : lines[min(error.row, lines.count - 1)], message: error.description)
        }
    }
}
