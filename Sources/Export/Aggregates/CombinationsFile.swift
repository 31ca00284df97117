import TableProtection
import Tabular

/// `aggregates/combinations.csv`: the published combination counts, and the check that a written
/// file keeps the rounding promise.
///
/// Layout (comma-separated, RFC 4180 quoting, LF line ends):
///
/// ```
/// combination,length,count
/// sex:female,1,120
/// sex:female;country:GB,2,40
/// ```
///
/// `combination` is a ``CombinationLabel``; `length` is its number of attributes; `count` is a
/// positive multiple of the resolution, or empty for a withheld combination: one whose count
/// differs from an earlier release's by fewer than k, which a run guarding against earlier
/// releases must not publish (a file written without that guard has no empty count). Rows are
/// sorted by length, then by the bytes of the label. The resolution is not in the file: the
/// reader must be told it, as the report states it.
public enum CombinationsFile {
    public static let header = ["combination", "length", "count"]

    /// The file's bytes.
    public static func bytes(_ rows: [CombinationCounts.Row], withholding withheld: Set<String> = []) -> [UInt8] {
        var out = CSVWriter.encode(record: header, delimiter: UInt8(ascii: ","))
        for r in records(rows, withholding: withheld) { out += CSVWriter.encode(record: r, delimiter: UInt8(ascii: ",")) }
        return out
    }

    /// Writes the file at `path` and syncs it to disk. `withheld`: labels (as counted) written with
    /// an empty count, whether or not `rows` holds them; each must be a well-formed label.
    public static func write(_ rows: [CombinationCounts.Row], withholding withheld: Set<String> = [],
                             toPath path: String) throws(ExportError) {
        var writer = try CSVWriter(path: path, delimiter: UInt8(ascii: ","))
        try writer.writeRecord(header)
        for r in records(rows, withholding: withheld) { try writer.writeRecord(r) }
        try writer.finish()
    }

    /// The rows after the header: the published rows, and the withheld ones in their sorted place.
    static func records(_ rows: [CombinationCounts.Row], withholding withheld: Set<String>) -> [[String]] {
        if withheld.isEmpty { return rows.map { [$0.combination, String($0.length), String($0.count)] } }
        var all: [(label: String, length: Int, count: String)] = rows.filter { !withheld.contains($0.combination) }
            .map { ($0.combination, $0.length, String($0.count)) }
        for label in withheld { all.append((label, CombinationLabel.split(label)?.count ?? 0, "")) }
        all.sort { x, y in x.length != y.length ? x.length < y.length : x.label.utf8.lexicographicallyPrecedes(y.label.utf8) }
        return all.map { [$0.label, String($0.length), $0.count] }
    }

    public struct Findings: Sendable, Equatable {
        public var rows: Int
        public var longestCombination: Int
        public var smallestCount: Int?
        /// Rows with an empty count.
        public var withheld = 0
    }

    /// Reads a written file back and checks, from the file alone: the header; every label well
    /// formed and of the stated length; when `attributes` is given, only those names, each at most
    /// once and in their order; every count a positive multiple of `resolution`; strictly sorted
    /// rows (so no duplicates); and, because rounding down keeps order, every shorter combination
    /// inside a published one is in the file, withheld or with at least its count.
    public static func verify(
        path: String, resolution: Int, attributes: [String]? = nil, maximumLength: Int? = nil
    ) throws(ExportError) -> Findings {
        func fail(_ line: Int, _ message: String) -> ExportError {
            .verification(path: path, message: line > 0 ? "line \(line): \(message)" : message)
        }
        guard resolution >= 1 else { throw fail(0, "the resolution must be at least 1") }
        let order = attributes.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) }
        var published: [String: Int?] = [:]
        var labels: [(line: Int, pairs: [(attribute: String, value: String)], count: Int)] = []
        var previous: (length: Int, label: String)?
        var findings = Findings(rows: 0, longestCombination: 0, smallestCount: nil)
        do {
            var reader = try CSVReader(path: path, delimiter: UInt8(ascii: ","))
            guard try reader.next() else { throw fail(0, "the file is empty; a header was expected") }
            guard reader.strings() == header else { throw fail(1, "the header is \(reader.strings()), expected \(header)") }
            while try reader.next() {
                let line = reader.line
                guard reader.rejectReason == nil, reader.fieldCount == 3 else { throw fail(line, "expected 3 fields") }
                if let c = CellEscaping.firstUnescaped(reader.strings()) {
                    throw fail(0, CellEscaping.unescapedMessage(line: line, column: header[c]))
                }
                // The label as counted; the file may hold it escaped (``CellEscaping``).
                let label = CellEscaping.unescape(reader.string(0)) ?? ""
                guard let pairs = CombinationLabel.split(label) else { throw fail(line, "malformed combination \"\(label)\"") }
                guard let length = Int(reader.string(1)), length == pairs.count else {
                    throw fail(line, "the length \"\(reader.string(1))\" is not the \(pairs.count) attributes of the combination")
                }
                if let m = maximumLength, length > m { throw fail(line, "a combination of \(length) attributes; at most \(m) are published") }
                let names = pairs.map(\.attribute)
                if let order {
                    let positions = names.map { order[$0] }
                    guard !positions.contains(nil) else { throw fail(line, "an unknown attribute in \"\(label)\"") }
                    guard zip(positions, positions.dropFirst()).allSatisfy({ $0! < $1! }) else {
                        throw fail(line, "attributes repeated or out of order in \"\(label)\"")
                    }
                } else if Set(names).count != names.count {
                    throw fail(line, "an attribute repeated in \"\(label)\"")
                }
                let text = reader.string(2)
                guard text.isEmpty || (text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && (Int(text) ?? 0) > 0
                                       && Int(text)! % resolution == 0)
                else { throw fail(line, "the count \"\(text)\" is not a positive multiple of \(resolution), nor empty") }
                if let p = previous,
                   !(p.length < length || (p.length == length && p.label.utf8.lexicographicallyPrecedes(label.utf8))) {
                    throw fail(line, "rows are not strictly sorted by length, then combination")
                }
                previous = (length, label)
                let count = Int(text)
                published[label] = .some(count)
                if let count { labels.append((line, pairs, count)) } else { findings.withheld += 1 }
                findings.rows += 1
                findings.longestCombination = max(findings.longestCombination, length)
                if let count { findings.smallestCount = min(findings.smallestCount ?? count, count) }
            }
        } catch let e as ExportError {
            throw e
        } catch {
            throw fail(0, "\(error)")
        }
        for (line, pairs, count) in labels where pairs.count > 1 {
            for drop in pairs.indices {
                var shorter = pairs
                shorter.remove(at: drop)
                let label = CombinationLabel.join(shorter)
                guard let found = published[label], (found ?? count) >= count else {
                    throw fail(line, "the combination inside it, \"\(label)\", is missing or has a smaller count")
                }
            }
        }
        return findings
    }
}
