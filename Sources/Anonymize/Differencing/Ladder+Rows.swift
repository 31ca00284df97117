extension ReleaseClasses.Ladder {
    /// A ladder from a hierarchy's rows (each row: a value's labels from level 0 to the top) for a
    /// release published at `level`. Every label the release can publish at that level gets its
    /// labels up to the top; when two rows disagree above a shared label the first row wins, as a
    /// hierarchy that is not a tree cannot be coarsened consistently anyway. `blank`, when given,
    /// is the label a blanked cell takes: it stays itself below the top and joins the top there.
    public init(rows: [[String]], level: Int, digest: String, blank: String? = nil) {
        let top = max(0, (rows.map(\.count).max() ?? 1) - 1)
        var ancestors: [String: [String]] = [:]
        for row in rows where row.count == top + 1 && level <= top && ancestors[row[level]] == nil {
            ancestors[row[level]] = Array(row[level...])
        }
        if let blank, ancestors[blank] == nil, level <= top {
            let topLabel = rows.first { $0.count == top + 1 }?.last ?? "*"
            ancestors[blank] = level == top ? [topLabel] : Array(repeating: blank, count: top - level) + [topLabel]
        }
        self.init(level: level, top: top, digest: digest, ancestors: ancestors)
    }
}
