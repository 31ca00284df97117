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

    /// Per field, whether any value could be refused; the others' values (names, free text) are
    /// not held at all.
    let judged: [Bool]

    init(profile: PartnerProfile) {
        values = Array(repeating: [:], count: profile.fields.count)
        undefinedBytes = Array(repeating: Seen(), count: profile.fields.count)
        judged = profile.fields.map { rule in
            if !rule.valueMap.isEmpty || profile.standard != "2.0" { return true }
            switch rule.kind {
            case .date, .country, .integer, .code: return true
            case .text: return ProfileCodeList.codes(of: rule.canonical, standard: profile.standard) != nil
            }
        }
    }

    /// Tallies one record's raw values of field `index`.
    mutating func add(_ raw: [String], field index: Int, rule: FieldRule, line: Int) {
        guard judged[index] else { return }
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
