import Ingest
import Recode

/// What a draft asks of the person who finishes it, for the command's summary line.
public struct DraftStats: Sendable, Equatable {
    public var fieldsProposed = 0
    public var todos = 0
    public var reviews = 0
    /// Source values written although fewer than k records hold them (each marked rare).
    public var rareValues = 0
}

/// Writes a proposal as a profile YAML that `htdx check` and a run read, with a comment on every
/// guess and `TODO` wherever a person must decide.
public enum ProfileDraftWriter {
    /// - Parameters:
    ///   - partner: the profile's `partner:` name.
    ///   - k: values held by fewer than k records are marked as such wherever they are written.
    public static func yaml(summary: ExportSummary, proposal: ProfileProposal, partner: String, k: Int) -> String {
        draft(summary: summary, proposal: proposal, partner: partner, k: k).text
    }

    /// The YAML and what it leaves to decide.
    public static func draft(summary: ExportSummary, proposal: ProfileProposal, partner: String, k: Int,
                             standard: String = "2.0") -> (text: String, stats: DraftStats) {
        var body = DraftBody(summary: summary, k: k)
        body.write(proposal: proposal, partner: partner, standard: standard)
        return (header(summary: summary, stats: body.stats, k: k) + body.lines.joined(separator: "\n") + "\n", body.stats)
    }

    private static func header(summary: ExportSummary, stats: DraftStats, k: Int) -> String {
        let file = summary.path.split(separator: "/").last.map(String.init) ?? summary.path
        var lines = [
            "Profile drafted by `htdx profile draft` from \(file): \(summary.records) records, \(summary.columns.count) columns.",
        ]
        let notes: [String]
        switch summary.shape {
        case .csv(let s):
            lines.append("Read as CSV: delimiter \(CSVSniffer.name(s.delimiter)) (the one that splits the first records alike), "
                         + "encoding \(s.encoding.rawValue), \(s.headerRows) header row(s), names on row \(s.nameRow).")
            notes = s.notes
        case .xml(let s):
            lines.append("Read as XML: record element \(s.record)\(s.submissions ? ", one submission per file" : ""), "
                         + "\(s.namespaces.count) namespace(s).")
            notes = s.notes
        }
        lines += notes.map { "Note: \($0)." }
        lines += [
            "Check every line marked TODO or REVIEW (\(stats.todos) TODO, \(stats.reviews) REVIEW), then run:",
            "  htdx check PROFILE.yaml --sample EXPORT",
            "PRIVATE: this file holds values of the export (the distinct values of its coded columns);",
            "keep it as private as the export itself.",
            "\(stats.rareValues) value(s) held by fewer than \(k) records are written below, each marked \"rare: fewer than \(k) records\".",
        ]
        return lines.map { "# \($0)" }.joined(separator: "\n") + "\n"
    }
}

/// The profile's lines, built in the export's order, and the counts the header reports.
struct DraftBody {
    let summary: ExportSummary
    let k: Int
    var lines: [String] = []
    var stats = DraftStats()

    init(summary: ExportSummary, k: Int) {
        self.summary = summary
        self.k = k
    }

    mutating func write(proposal: ProfileProposal, partner: String, standard: String) {
        lines += ["version: 1", "partner: \(YAMLText.quoted(partner))"]
        switch summary.shape {
        case .csv(let s):
            lines += ["format: csv", "standard: \(YAMLText.quoted(standard))",
                      "csv: {delimiter: \(YAMLText.quoted(String(Character(Unicode.Scalar(s.delimiter))))), encoding: \(s.encoding.rawValue), "
                      + "headerRows: \(s.headerRows), nameRow: \(s.nameRow)}"]
        case .xml(let s):
            lines += ["format: xml", "standard: \(YAMLText.quoted(standard))", "xml:", "  record: \(YAMLText.quoted(s.record))"]
            if !s.namespaces.isEmpty {
                lines.append("  namespaces:")
                for (p, uri) in s.namespaces.sorted(by: { $0.key < $1.key }) { lines.append("    \(YAMLText.quoted(p)): \(YAMLText.quoted(uri))") }
            }
            if s.submissions { lines.append("  submissions: true") }
        }
        var reference: String?
        var ignored: [String] = []
        var fields: [[String]] = []
        var used = Set<String>()
        for p in proposal.columns {
            let column = YAMLText.quoted(p.column)
            let why = p.reasons.isEmpty ? "" : " (\(p.reasons.joined(separator: "; ")))"
            switch p.disposition {
            case .reference where reference == nil:
                reference = "reference: \(column)    # the partner's own reference, kept in the rejects file only\(why)"
            case .reference:
                ignored.append("  - \(column)    # identifiers: a second reference column")
            case .ignore(let reason):
                ignored.append("  - \(column)    # \(reason): kept out of htdx\(why)")
            case .field(let canonical) where used.insert(canonical).inserted:
                fields.append(field(canonical, p))
            case .field(let canonical):
                stats.todos += 1
                ignored.append("  - \(column)    # TODO: decide: \(canonical) is already filled by another column")
            case .undecided:
                stats.todos += 1
                ignored.append("  - \(column)    # TODO: decide: map it under fields, or leave it ignored\(undecidedFacts(p.column))")
            }
        }
        for d in proposal.derived where !used.contains(d.canonical) {
            used.insert(d.canonical)
            switch d.source {
            case .age(let birth, let at) where used.contains(birth) && used.contains(at):
                stats.fieldsProposed += 1
                fields.append(["  \(d.canonical): {age: {birth: \(birth), at: \(at)}}    # \(d.reason)"])
            case .age(let birth, let at):
                fields.append(["  # \(d.canonical): {age: {birth: \(birth), at: \(at)}}    # needs both dates mapped: \(d.reason)"])
            case .constant(let value?):
                stats.fieldsProposed += 1
                fields.append(["  \(d.canonical): {constant: \(YAMLText.quoted(value))}    # \(d.reason)"])
            case .constant(nil):
                stats.todos += 1
                fields.append(["  \(d.canonical): {constant: TODO}    # TODO: give its value; \(d.reason); htdx codes \(d.canonical)"])
            }
        }
        if let reference { lines.append(reference) }
        lines.append(ignored.isEmpty ? "ignore: []" : "ignore:")
        lines += ignored
        lines.append("fields:")
        if fields.isEmpty { lines.append("  # TODO: no column is mapped yet; map at least one canonical field here") }
        for f in fields { lines += f }
    }

    /// What a person needs to decide on a column, without any of its values.
    private func undecidedFacts(_ column: String) -> String {
        guard let c = summary.columns.first(where: { $0.name == column }) else { return "" }
        let distinct = c.isTruncated ? "over \(ColumnSummary.distinctLimit)" : "\(c.values.count)"
        return " (\(distinct) distinct values, filled in \(c.filled) of \(c.records) records)"
    }

    private mutating func field(_ canonical: String, _ p: FieldProposal) -> [String] {
        stats.fieldsProposed += 1
        var out: [String] = []
        let review = p.confidence < 0.5
        if review { stats.reviews += 1 }
        let reasons = p.reasons.isEmpty ? "" : p.reasons.joined(separator: "; ")
        let comment = [review ? "REVIEW: confidence \(String(format2(p.confidence)))" : nil, reasons.isEmpty ? nil : reasons]
            .compactMap { $0 }.joined(separator: "; ")
        out.append("  \(canonical):" + (comment.isEmpty ? "" : "    # \(comment)"))
        if !p.alternatives.isEmpty { out.append("    # also considered: \(p.alternatives.joined(separator: ", "))") }
        out.append("    from: \(YAMLText.quoted(p.column))")
        if !p.dateFormats.isEmpty {
            let formats = p.dateFormats.count == 1 ? YAMLText.plain(p.dateFormats[0])
                : "[" + p.dateFormats.map(YAMLText.plain).joined(separator: ", ") + "]"
            var line = "    format: \(formats)"
            if p.dayMonthAmbiguous {
                stats.reviews += 1
                line += "    # REVIEW: no day above 12 was seen, so day and month could be either way round"
            }
            out.append(line)
        }
        let column = summary.columns.first { $0.name == p.column }
        if !p.split.isEmpty {
            out.append("    split: " + (p.split.count == 1 ? YAMLText.quoted(p.split[0]) : "[" + p.split.map(YAMLText.quoted).joined(separator: ", ") + "]"))
        } else if let column, column.repeated > 0 {
            // A reader takes a repeated element as one value unless the field is a multi-select.
            out.append("    split: \";\"    # the element is repeated in \(column.repeated) records: each occurrence is one value")
        }
        let pieces = PieceCounts(column, split: p.split)
        if !p.values.isEmpty {
            out.append("    map:")
            for v in p.values.sorted(by: { $0.records > $1.records || ($0.records == $1.records && $0.source < $1.source) }) {
                var notes = ["\(v.records) record\(v.records == 1 ? "" : "s")"]
                if v.records < k || pieces.records(v.source) < k {
                    stats.rareValues += 1
                    notes.append("rare: fewer than \(k) records")
                }
                let target: String
                if let t = v.target {
                    target = YAMLText.plain(t)
                } else {
                    stats.todos += 1
                    target = "TODO"
                    notes.insert("TODO: give its code (htdx codes \(canonical))", at: 0)
                }
                out.append("      \(YAMLText.quoted(v.source)): \(target)    # \(notes.joined(separator: "; "))")
            }
        }
        if !p.missing.isEmpty {
            out.append("    missing:")
            for m in p.missing {
                var line = "      - \(YAMLText.quoted(m))    # means unknown"
                if pieces.records(m) < k {
                    stats.rareValues += 1
                    line += "; rare: fewer than \(k) records"
                }
                out.append(line)
            }
        }
        return out
    }

    private func format2(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

/// Records holding each value of a column, or each piece of it when the column is a multi-select,
/// counted from the summary. A value the summary does not hold counts as 0: it is then written as
/// rare, which errs on the side of saying so.
struct PieceCounts {
    private var counts: [String: Int] = [:]

    init(_ column: ColumnSummary?, split: [String]) {
        guard let column else { return }
        for (value, n) in column.values {
            var parts = [Substring(value)]
            for s in split.sorted(by: { $0.count > $1.count }) {
                parts = parts.flatMap { $0.split(separator: s, omittingEmptySubsequences: true) }
            }
            for piece in Set(parts.map { ColumnSummary.trimmed(String($0)) }) where !piece.isEmpty {
                counts[piece, default: 0] += n
            }
        }
    }

    func records(_ value: String) -> Int { counts[ColumnSummary.trimmed(value)] ?? 0 }
}
