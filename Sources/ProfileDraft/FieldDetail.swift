import Ingest
import Recode

/// Fills in a proposal once its field is chosen: date formats, value choices, separators,
/// missing words, and the reasons and alternatives the draft comments with.
enum FieldDetail {
    static func proposal(for e: ColumnEvidence, score: FieldScore, others: [FieldScore]) -> FieldProposal {
        var p = FieldProposal(column: e.column.name, disposition: .field(score.field), confidence: min(1, score.total))
        p.alternatives = alternatives(others, excluding: score.field)
        if let name = score.name {
            p.reasons.append(name.reason(header: e.column.name, field: score.field))
        }
        p.missing = e.missing
        switch ColumnEvidence.kind(of: score.field) {
        case .date:
            p.dateFormats = e.dates.formats
            p.dayMonthAmbiguous = e.dates.dayMonthAmbiguous
            p.reasons.append(dateReason(e.dates))
        case .number:
            p.reasons.append("\(percent(score.values)) of the records hold a whole number from 0 to 120")
        case .coded(let matcher, _):
            let (_, fit) = e.fit(score.field, nearMatches: true)
            if let fit {
                p.split = fit.split
                p.values = fit.values
                for value in e.values.keys where !fit.split.isEmpty {
                    for piece in CodeFit.pieces(value, split: fit.split) where CodeVocabulary.isMissing(piece) && !p.missing.contains(piece) {
                        p.missing.append(piece)
                    }
                }
                p.reasons.append(codedReason(fit, matcher: matcher, field: score.field, alone: score.byValuesAlone))
            }
        case .other:
            break
        }
        if score.total < FieldGuesser.threshold + 0.1 { p.reasons.append("a weak guess: check it") }
        return p
    }

    static func undecided(_ e: ColumnEvidence, scores: [FieldScore]) -> FieldProposal {
        var p = FieldProposal(column: e.column.name, disposition: .undecided,
                              confidence: 0, alternatives: alternatives(scores, excluding: nil))
        p.missing = e.missing
        if e.isEmpty {
            p.reasons.append("column \"\(e.column.name)\" holds no value")
        } else if e.isDates {
            p.dateFormats = e.dates.formats
            p.dayMonthAmbiguous = e.dates.dayMonthAmbiguous
            p.reasons.append(dateReason(e.dates) + ", but the name does not say which date")
        } else {
            p.reasons.append("no field's name or code list fits column \"\(e.column.name)\"")
        }
        return p
    }

    static func alternatives(_ scores: [FieldScore], excluding field: String?) -> [String] {
        Array(scores.filter { $0.field != field && $0.total >= 0.3 }.prefix(3).map(\.field))
    }

    static func dateReason(_ d: DateShape) -> String {
        var text = "\(percent(d.coverage)) of the records read as dates in \(d.formats.joined(separator: " or "))"
        if d.dayMonthAmbiguous { text += "; no day above 12, so day and month could be either way round" }
        return text
    }

    static func codedReason(_ fit: CodeFit, matcher: CodeMatcher, field: String, alone: Bool) -> String {
        let what: String
        switch matcher.target {
        case .country: what = "ISO 3166 countries (codes or names)"
        case .boolean: what = "yes/no answers"
        case .picklist: what = "codes of \(field)"
        }
        var text = "\(percent(fit.coverage)) of the records read as \(what)"
        if !fit.split.isEmpty { text += ", split at \(fit.split.map { "\"\($0)\"" }.joined(separator: " and "))" }
        let todo = fit.values.filter { $0.target == nil }.count
        if todo > 0 { text += "; \(todo) distinct value\(todo == 1 ? "" : "s") without a code" }
        if fit.near > 0 { text += "; \(fit.near) read as near spellings" }
        if alone { text += " (by the values alone: the name says nothing)" }
        return text
    }

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}
