import Foundation
import TableProtection
import Tabular

/// The aggregate cells one release published, as a later release compares them: aggregate file
/// (its path in the release, e.g. `aggregates/combinations.csv`) → cell key → the value published,
/// `nil` where the file withholds or suppresses it. A cell the file does not hold is absent.
///
/// The cell key is the cell's labels joined by U+001F (``AggregateCells/separator``):
/// - in `aggregates/combinations.csv`, the combination's `attribute:value` pairs as its label
///   writes them, percent-escaped as in ``CombinationLabel`` (so `sex:female;country:GB` has the
///   key `sex:female` U+001F `country:GB`);
/// - in a cross-tabulation, one label per dimension in the table's order: the value, or in a
///   margin the table's total label, ``AggregateCells/totalLabel``, the empty string (a value is
///   never empty, so it cannot be mistaken for one). A 1-D table's grand total has the empty key.
///
/// Labels are the values behind the cells, before any formula escaping of the CSV layer.
public typealias PublishedCells = [String: [String: Int?]]

public enum AggregateCells {
    public static let separator = "\u{1F}"
    public static let totalLabel = ""

    /// The key of a combination from its label (``CombinationLabel/join(_:)``). Separators inside
    /// names and values are escaped, so every `;` of the label is one between pairs.
    public static func key(combination label: String) -> String {
        label.split(separator: ";", omittingEmptySubsequences: false).joined(separator: separator)
    }

    /// The label of a combination from its key: the inverse of ``key(combination:)``.
    public static func combination(key: String) -> String {
        key.split(separator: Character(separator), omittingEmptySubsequences: false).joined(separator: ";")
    }

    /// The key of one cell of a table.
    public static func key(_ table: PublishedTable, cell: Int) -> String {
        table.dimensions.indices.map { d in
            table.shape.isMargin(cell, in: d) ? totalLabel : table.values[d][table.shape.coordinate(cell, d)]
        }.joined(separator: separator)
    }

    /// Every cell of a table, margins included, zeros as 0.
    public static func cells(of table: PublishedTable) -> [String: Int?] {
        var out: [String: Int?] = [:]
        for cell in 0..<table.shape.cellCount { out.updateValue(table.cells[cell], forKey: key(table, cell: cell)) }
        return out
    }

    /// The cells of a written combinations file: every row, withheld ones as `nil`. The file is
    /// read as ``CombinationsFile`` lays it out; ``CombinationsFile/verify(path:resolution:attributes:maximumLength:)``
    /// checks the rest.
    public static func combinationCells(path: String) throws(ExportError) -> [String: Int?] {
        func fail(_ line: Int, _ message: String) -> ExportError { .verification(path: path, message: "line \(line): \(message)") }
        var out: [String: Int?] = [:]
        do {
            var reader = try CSVReader(path: path, delimiter: UInt8(ascii: ","))
            guard try reader.next(), reader.strings() == CombinationsFile.header else {
                throw fail(1, "the header is not \(CombinationsFile.header.joined(separator: ","))")
            }
            while try reader.next() {
                let line = reader.line
                guard reader.rejectReason == nil, reader.fieldCount == 3 else { throw fail(line, "expected 3 fields") }
                guard let label = CellEscaping.unescape(reader.string(0)), CombinationLabel.split(label) != nil else {
                    throw fail(line, "the combination is not a well-formed label")
                }
                let text = reader.string(2)
                let count = Int(text)
                guard text.isEmpty || (count != nil && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw fail(line, "the count is neither a non-negative integer nor empty")
                }
                guard out.updateValue(count, forKey: key(combination: label)) == nil else {
                    throw fail(line, "the combination appears twice")
                }
            }
        } catch let e as ExportError {
            throw e
        } catch {
            throw .verification(path: path, message: "\(error)")
        }
        return out
    }

    /// Every aggregate file a release lists in its manifest, read back from the files alone.
    public static func publishedCells(inRelease directory: String) throws(ExportError) -> PublishedCells {
        let manifestPath = directory + "/" + Manifest.fileName
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw .verification(path: manifestPath, message: "is missing or unreadable; the release's aggregates cannot be found without it")
        }
        let manifest: Manifest
        do { manifest = try Manifest.decode(data) } catch {
            throw .verification(path: manifestPath, message: "is not a valid htdx manifest: \(error)")
        }
        var out: PublishedCells = [:]
        for aggregate in manifest.aggregates {
            let path = directory + "/" + aggregate.file
            switch aggregate.kind {
            case .combinations: out[aggregate.file] = try combinationCells(path: path)
            case .crossTabulation: out[aggregate.file] = cells(of: try PublishedTableFile.read(path: path))
            }
        }
        return out
    }
}
