/// Builds the hierarchies that a policy states inline, as the rows of an ARX table, so that the
/// search and the Loss metric treat them exactly as they treat hierarchy files.
public enum HierarchyBuilder {
    /// Integers `min...max`; level j groups them into buckets of `widths[j-1]` aligned at `min`,
    /// labelled `lo-hi`; a final level is `*`. Each width must be a multiple of the one before, so
    /// that every bucket lies inside one bucket of the next level.
    /// With `missing`, the empty value (an unknown number) is covered too: it stays empty until `*`.
    public static func intervals(min: Int, max: Int, widths: [Int], missing: Bool = false) throws(HierarchyError) -> Hierarchy {
        guard min <= max else { throw invalid("intervals: min (\(min)) must not exceed max (\(max))") }
        let (span, overflow) = max.subtractingReportingOverflow(min)
        guard !overflow, span < 1_000_000 else { throw invalid("intervals: min...max spans more than 1,000,000 values") }
        var previous = 1
        for w in widths {
            guard w > previous && w % previous == 0 && w <= 1_000_000 else {
                throw invalid("intervals: widths must increase, each a multiple of the one before (found \(w) after \(previous))")
            }
            previous = w
        }
        let rows = (min...max).map { v -> [String] in
            var row = [String(v)]
            for w in widths {
                let lo = min + (v - min) / w * w
                let hi = lo > max - (w - 1) ? max : lo + w - 1
                row.append(lo == hi ? String(lo) : "\(lo)-\(hi)")
            }
            row.append("*")
            return row
        }
        let empty = missing ? [[String](repeating: "", count: widths.count + 1) + ["*"]] : []
        return try Hierarchy(rows: rows + empty)
    }

    public enum DateLevel: String, CaseIterable, Sendable {
        case month, quarter, year, decade
    }

    /// ISO dates `yyyy-MM-dd` from `min` to `max`, generalised to the given levels in order, then `*`.
    public static func dates(min: String, max: String, levels: [DateLevel]) throws(HierarchyError) -> Hierarchy {
        guard let first = CivilDate(iso: min) else { throw invalid("dates: min is not a yyyy-MM-dd date") }
        guard let last = CivilDate(iso: max) else { throw invalid("dates: max is not a yyyy-MM-dd date") }
        guard first.dayNumber <= last.dayNumber else { throw invalid("dates: min must not be after max") }
        guard last.dayNumber - first.dayNumber < 200_000 else { throw invalid("dates: min...max spans more than 200,000 days") }
        let ordered = DateLevel.allCases.filter(levels.contains)
        guard ordered == levels, Set(levels).count == levels.count else {
            throw invalid("dates: levels must be distinct and ordered from fine to coarse: month, quarter, year, decade")
        }
        let rows = (first.dayNumber...last.dayNumber).map { day -> [String] in
            let d = CivilDate(dayNumber: day)
            var row = [d.iso]
            for level in levels {
                switch level {
                case .month: row.append("\(pad(d.year, 4))-\(pad(d.month, 2))")
                case .quarter: row.append("\(pad(d.year, 4))-Q\((d.month - 1) / 3 + 1)")
                case .year: row.append(pad(d.year, 4))
                case .decade: row.append("\(pad(d.year / 10 * 10, 4))-\(pad(d.year / 10 * 10 + 9, 4))")
                }
            }
            row.append("*")
            return row
        }
        return try Hierarchy(rows: rows)
    }

    /// Every value seen, published raw at level 0 or as `*` at level 1: for a quasi-identifier
    /// that the policy gives no hierarchy.
    public static func flat(values: [String]) throws(HierarchyError) -> Hierarchy {
        try Hierarchy(rows: values.map { [$0, "*"] })
    }

    private static func invalid(_ message: String) -> HierarchyError {
        HierarchyError(row: 0, problem: .invalidDefinition(message))
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// A proleptic Gregorian date, with Howard Hinnant's day-number conversions (no time zones involved).
struct CivilDate {
    var year: Int, month: Int, day: Int

    init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y) else { return nil }
        year = y; month = m; day = d
    }

    init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    var iso: String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
