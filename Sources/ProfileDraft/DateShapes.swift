import Ingest

/// Which date layouts read a column's values: the fewest formats that read them all (a profile may
/// list several), and whether day and month could be either way round.
struct DateShape: Sendable, Equatable {
    /// Best first; empty when the column holds no dates.
    var formats: [String]
    /// Share of the records' values that one of ``formats`` reads.
    var coverage: Double
    /// No value had a day above 12: the swapped order reads every value too.
    var dayMonthAmbiguous: Bool
    /// Median year of the dates read, to tell birth dates from events.
    var medianYear: Int?
}

enum DateShapes {
    /// In order of preference when several read the same values: ISO first, then the day-first
    /// orders most of the partners' countries write, then the month-first one.
    static let patterns = ["yyyy-MM-dd", "dd/MM/yyyy", "dd.MM.yyyy", "dd-MM-yyyy", "yyyy/MM/dd", "MM/dd/yyyy", "MM-dd-yyyy", "iso-datetime"]

    static let formats: [DateFormat] = patterns.compactMap(DateFormat.init)

    /// `values` are distinct values → records, missing words already left out.
    static func shape(of values: [String: Int]) -> DateShape {
        let total = values.values.reduce(0, +)
        guard total > 0 else { return DateShape(formats: [], coverage: 0, dayMonthAmbiguous: false, medianYear: nil) }
        var remaining = values
        var chosen: [DateFormat] = []
        // Greedy cover: the format reading most of what is left, never a format beside its swap
        // (a date read either way round would be read wrongly by one of them).
        while !remaining.isEmpty {
            var best: (format: DateFormat, records: Int)?
            for f in formats where !chosen.contains(where: { $0 == f || $0.swapped == f }) {
                let read = remaining.filter { f.parse($0.key) != nil }.values.reduce(0, +)
                if read > (best?.records ?? 0) { best = (f, read) }
            }
            guard let best else { break }
            chosen.append(best.format)
            remaining = remaining.filter { best.format.parse($0.key) == nil }
        }
        let read = total - remaining.values.reduce(0, +)
        // Year-first layouts are not written day last; the others are ambiguous when every value
        // the chosen order reads, the swapped order reads too.
        let ambiguous = chosen.contains { f in
            guard !f.pattern.hasPrefix("yyyy"), let swapped = f.swapped, swapped != f else { return false }
            let readHere = values.keys.filter { f.parse($0) != nil }
            return !readHere.isEmpty && readHere.allSatisfy { swapped.parse($0) != nil }
        }
        var years: [Int] = []
        for (value, count) in values {
            if let iso = chosen.lazy.compactMap({ $0.parse(value) }).first, let y = Int(iso.prefix(4)) {
                years += [Int](repeating: y, count: min(count, 50))
            }
        }
        years.sort()
        return DateShape(formats: chosen.map(\.pattern), coverage: Double(read) / Double(total),
                         dayMonthAmbiguous: ambiguous, medianYear: years.isEmpty ? nil : years[years.count / 2])
    }
}
