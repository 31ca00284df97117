import Tabular

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
