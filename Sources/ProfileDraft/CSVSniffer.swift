import Ingest
import Recode
import Tabular

/// Guesses a CSV export's delimiter and header rows from its first records, read the way a run
/// reads them (quotes and all), so that a delimiter inside quoted text does not mislead it.
enum CSVSniffer {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")]
    static let sampleRecords = 100

    static func delimiter(path: String, encoding: TextEncoding) throws(DraftError) -> (UInt8, String?) {
        // Best: the header splits like most records, then the most records alike, then the most columns.
        var best: (delimiter: UInt8, headerFits: Bool, consistency: Double, fields: Int)?
        var scores: [(UInt8, Double, Int)] = []
        for candidate in candidates {
            guard let counts = try? fieldCounts(path: path, delimiter: candidate, encoding: encoding), !counts.isEmpty else { continue }
            var tally: [Int: Int] = [:]
            for c in counts { tally[c, default: 0] += 1 }
            let (mode, hits) = tally.max { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }!
            let consistency = Double(hits) / Double(counts.count)
            scores.append((candidate, consistency, mode))
            guard mode > 1 else { continue }
            let headerFits = counts[0] == mode
            if let b = best {
                let better = (headerFits && !b.headerFits)
                    || (headerFits == b.headerFits && (consistency > b.consistency || (consistency == b.consistency && mode > b.fields)))
                if !better { continue }
            }
            best = (candidate, headerFits, consistency, mode)
        }
        guard let best else {
            return (UInt8(ascii: ","), "no delimiter among , ; tab | splits the records into several columns; read as one column with ,")
        }
        let rivals = scores.filter { $0.0 != best.delimiter && $0.2 > 1 && $0.1 >= 0.95 }
        var note: String?
        if best.consistency < 0.95 {
            note = "the delimiter \(name(best.delimiter)) gives \(best.fields) columns in only \(Int(best.consistency * 100))% of the first records"
        } else if !rivals.isEmpty {
            note = "\(name(best.delimiter)) chosen for the most columns; \(rivals.map { name($0.0) }.joined(separator: ", ")) would also split every record alike"
        }
        return (best.delimiter, note)
    }

    static func name(_ d: UInt8) -> String {
        switch d {
        case 9: return "tab"
        default: return "\"\(Character(Unicode.Scalar(d)))\""
        }
    }

    private static func fieldCounts(path: String, delimiter: UInt8, encoding: TextEncoding) throws -> [Int] {
        var reader = try CSVReader(path: path, delimiter: delimiter)
        reader.singleByteEncoding = encoding != .utf8
        var counts: [Int] = []
        while counts.count < sampleRecords, try reader.next() {
            if reader.rejectReason != nil { counts.append(-1); continue }
            counts.append(reader.fieldCount)
        }
        return counts
    }

    /// One header row, or two when the HTCDS template's rows are there: system names and labels,
    /// in either order. The names row is the one a profile refers to.
    static func headerRows(first: [String], second: [String]?) -> (rows: Int, nameRow: Int, note: String?) {
        guard let second else { return (1, 1, nil) }
        let names = Set(HTCDS.fields.map { $0.name.lowercased() })
        let labels = Set(HTCDS.fields.map { $0.label.lowercased() })
        func hits(_ row: [String], _ set: Set<String>) -> Int {
            row.filter { set.contains(ColumnSummary.trimmed($0).lowercased()) }.count
        }
        let note = "two header rows: HTCDS field names and the template's labels"
        if hits(first, names) >= 3 && hits(second, labels) >= 3 { return (2, 1, note) }
        if hits(second, names) >= 3 && hits(first, labels) >= 3 { return (2, 2, note) }
        return (1, 1, nil)
    }
}
