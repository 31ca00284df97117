import Foundation
import Ingest
import PolicyFile
import Tabular

/// The distinct source values of each field of a profile in one sample export, read through the
/// profile's layout and encoding as a run reads it, with what was wrong in its shape.
struct ProfileSampleTally {
    /// How often a value occurs, and where first.
    struct Seen {
        var records = 0
        var firstLine = 0
    }

    /// For each field of the profile (by index), its distinct values, split and trimmed.
    var values: [[String: Seen]]
    /// Per field, records whose value holds a byte the encoding does not define, and the first.
    var undefinedBytes: [Seen]
    var records = 0
    /// Findings about the sample's shape (header, encoding, layout), already placed.
    var findings: [Diagnostic] = []

    init(fieldCount: Int) {
        values = Array(repeating: [:], count: fieldCount)
        undefinedBytes = Array(repeating: Seen(), count: fieldCount)
    }

    /// Tallies one record's raw values of field `index`.
    mutating func add(_ raw: [String], field index: Int, rule: FieldRule, line: Int) {
        for value in Set(RecordMapper.sourceValues(raw, rule)) {
            values[index][value, default: Seen(records: 0, firstLine: line)].records += 1
        }
    }

    mutating func addUndefinedByte(field index: Int, line: Int) {
        if undefinedBytes[index].records == 0 { undefinedBytes[index].firstLine = line }
        undefinedBytes[index].records += 1
    }
}

/// Where a value count or a line is said in a finding.
extension ProfileSampleTally.Seen {
    static func sum(_ seen: [Self]) -> Self {
        Self(records: seen.reduce(0) { $0 + $1.records }, firstLine: seen.map(\.firstLine).filter { $0 > 0 }.min() ?? 0)
    }
}
