extension ColumnSummary {
    /// Counts one record's value: trimmed as a run trims it, kept while fewer than
    /// ``distinctLimit`` distinct values are known, so that memory stays bounded on any export.
    mutating func add(_ raw: String) {
        records += 1
        let value = ColumnSummary.trimmed(raw)
        guard !value.isEmpty else { return }
        filled += 1
        longest = max(longest, value.count)
        if let n = values[value] {
            values[value] = n + 1
        } else if values.count < ColumnSummary.distinctLimit {
            values[value] = 1
        } else {
            isTruncated = true
        }
    }

    /// Counts a record in which the column is absent (a short CSV row, a missing XML path).
    mutating func addEmpty() { records += 1 }

    /// Spaces, tabs, line breaks and non-breaking spaces, as the profiled readers trim.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        var s = Substring(text)
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return String(s)
    }
}

extension ColumnSummary {
    /// Counts one record in which the path occurs several times: each distinct value once for the
    /// record, and the record as repeated.
    mutating func add(all raws: [String]) {
        guard raws.count > 1 else { add(raws.first ?? ""); return }
        records += 1
        repeated += 1
        var seen = Set<String>()
        for raw in raws {
            let value = ColumnSummary.trimmed(raw)
            guard !value.isEmpty, seen.insert(value).inserted else { continue }
            longest = max(longest, value.count)
            if let n = values[value] {
                values[value] = n + 1
            } else if values.count < ColumnSummary.distinctLimit {
                values[value] = 1
            } else {
                isTruncated = true
            }
        }
        if !seen.isEmpty { filled += 1 }
    }
}
