import Export
import Foundation
import Ingest
import PolicyFile

/// Counts, per partner and date field, the values that failed the profile's format and those
/// that would have parsed with day and month swapped. A profile that says `MM/dd/yyyy` for a
/// `dd/MM/yyyy` export rejects every record whose day is over 12 and publishes the rest with
/// day and month exchanged; this is how a run notices.
struct DateSwapCheck {
    /// A column that fails on at least this share of its values, every failure parsing in the
    /// swapped order, is a likely swap. A real swap fails on about 19 days in 31, some 60 %.
    static let likelyShare = 0.2

    struct Column {
        var partner: String
        var field: String
        var formats: [DateFormat]
        /// The profile file that declares the format, when the input was read through one.
        var profilePath: String?
        /// Non-empty values seen: those of accepted records, and those that failed the format. A
        /// record rejected for another field first is not seen, so the counts are a lower bound.
        var values = 0
        var failing = 0
        var parsesSwapped = 0

        var failingShare: Double { values == 0 ? 0 : Double(failing) / Double(values) }

        /// Every failure parses when day and month are swapped, and they are a sizeable share.
        var likelySwap: Bool {
            failing > 0 && parsesSwapped == failing && failingShare >= DateSwapCheck.likelyShare
        }

        var patterns: String { formats.map(\.pattern).joined(separator: " or ") }
        var swappedPatterns: String { formats.compactMap { $0.swapped?.pattern }.joined(separator: " or ") }

        /// What the run says of a likely swap: the field, the profile line, the counts, the fix.
        var message: String {
            var place = "profile " + (profilePath ?? partner)
            if let profilePath, let line = ProfileLines.formatLine(path: profilePath, field: field) { place += " line \(line)" }
            return "likely day/month swap in \(field) (\(place)): \(LossReport.number(failing)) of \(LossReport.number(values)) "
                + "values fail as \(patterns), all parse as \(swappedPatterns); set the format"
        }
    }

    /// Keyed by partner and field; in order of first sight, so messages come out the same every run.
    private(set) var columns: [Column] = []
    private var index: [String: Int] = [:]

    /// The column of `field` for `partner`, made on first use.
    mutating func column(partner: String, field: String, formats: [DateFormat], profilePath: String?) -> Int {
        let key = partner + "\u{0}" + field
        if let i = index[key] { return i }
        columns.append(Column(partner: partner, field: field, formats: formats, profilePath: profilePath))
        index[key] = columns.count - 1
        return columns.count - 1
    }

    mutating func countValue(_ column: Int) { columns[column].values += 1 }

    mutating func countFailure(_ column: Int, parsesSwapped: Bool) {
        columns[column].values += 1
        columns[column].failing += 1
        if parsesSwapped { columns[column].parsesSwapped += 1 }
    }

    var likelySwaps: [Column] { columns.filter(\.likelySwap) }

    /// The report's view: every date column that had a failure.
    var report: [Report.DateFormatCheck] {
        columns.filter { $0.failing > 0 }.map {
            Report.DateFormatCheck(partner: $0.partner, field: $0.field, format: $0.patterns, values: $0.values,
                                   failing: $0.failing, parseSwapped: $0.parsesSwapped, likelySwap: $0.likelySwap)
        }
    }
}
