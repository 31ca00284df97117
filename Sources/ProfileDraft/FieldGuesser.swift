import Ingest
import Recode

/// Proposes a canonical field for each column of an export: by its name (English, French, Spanish,
/// Portuguese) and by its values (dates, ISO countries, HTCDS code lists, identifying shapes).
/// Each canonical field goes to one column at most, the best-scoring one.
///
/// Reasons name columns, fields and counts, never a value: they become the draft's comments.
public enum FieldGuesser {
    /// A field is proposed from this score on; below it the column stays undecided.
    static let threshold = 0.5
    /// From this score on a header's match outweighs identifying words and shapes.
    static let sure = 0.75

    /// - Parameter standard: the HTCDS version whose codes the values are compared with. Values
    ///   are compared with the 2.0 lists whatever the version; a profile of an older version
    ///   should check each map's targets against that version's codes.
    public static func propose(_ columns: [ColumnSummary], standard: String = "2.0") -> ProfileProposal {
        let evidence = columns.map(ColumnEvidence.init)
        var proposals = columns.map { FieldProposal(column: $0.name, disposition: .undecided) }
        var scored: [[FieldScore]] = []
        var idColumns: [Int] = []
        for (i, e) in evidence.enumerated() {
            let scores = FieldScore.all(for: e)
            scored.append(scores)
            if let reason = identifying(e, best: scores.first) {
                if reason == IdentifyingShapes.identifiers { idColumns.append(i) }
                proposals[i].disposition = .ignore(reason)
                proposals[i].confidence = 0.8
                proposals[i].reasons = [identifyingReason(reason, column: e.column.name)]
            }
        }
        assignReference(idColumns, evidence, &proposals)

        // Greedy: the best (column, field) pair first, each column and each field once.
        var pairs: [(column: Int, score: FieldScore)] = []
        for (i, scores) in scored.enumerated() where proposals[i].disposition == .undecided {
            for s in scores where s.total >= threshold { pairs.append((i, s)) }
        }
        pairs.sort { ($0.score.total, -$0.column) > ($1.score.total, -$1.column) }
        var taken = Set<String>(), placed = Set<Int>()
        for (i, s) in pairs where !taken.contains(s.field) && !placed.contains(i) {
            taken.insert(s.field)
            placed.insert(i)
            proposals[i] = FieldDetail.proposal(for: evidence[i], score: s, others: scored[i])
        }
        for i in proposals.indices where proposals[i].disposition == .undecided {
            proposals[i] = FieldDetail.undecided(evidence[i], scores: scored[i])
        }
        return ProfileProposal(columns: proposals, derived: derived(taken))
    }

    /// Why a column is kept out, or nil: a header naming one of the standard's identifying fields,
    /// identifying words in the header (unless it surely names a field), then the values' shapes.
    static func identifying(_ e: ColumnEvidence, best: FieldScore?) -> String? {
        let header = e.column.name
        let compact = TextFold.compact(header)
        for field in HTCDS.fields {
            if let reason = IdentifyingShapes.reason(forField: field.name),
               compact == TextFold.compact(field.name) || compact == TextFold.compact(field.label) {
                return reason
            }
        }
        if let best, best.total >= sure { return nil }
        if let reason = IdentifyingShapes.byHeader(header) {
            // An "id" header over dates or a code list is not the record's identifier.
            if reason != IdentifyingShapes.identifiers || !e.isDates { return reason }
        }
        if e.isDates || e.isEmpty { return nil }
        if let best, best.total >= threshold, best.values >= 0.8 { return nil }
        if let reason = IdentifyingShapes.byValues(e.column, missing: Set(CodeVocabulary.missing)) { return reason }
        return IdentifyingShapes.isIdentifierColumn(e.column) ? IdentifyingShapes.identifiers : nil
    }

    static func identifyingReason(_ reason: String, column: String) -> String {
        "column \"\(column)\" holds \(reason)"
    }

    /// One identifier column becomes the reference: the one whose header says so most plainly
    /// and whose values are all unique; the others stay ignored.
    static func assignReference(_ candidates: [Int], _ evidence: [ColumnEvidence], _ proposals: inout [FieldProposal]) {
        func rank(_ i: Int) -> (Int, Int, Int) {
            let c = evidence[i].column
            let unique = (c.isTruncated || c.values.count == c.filled) && c.filled == c.records ? 1 : 0
            let words = TextFold.words(c.name)
            let named = words.contains(where: IdentifyingShapes.strongIdentifierWords.contains) || words.contains("dossier") || words.contains("case") ? 1 : 0
            return (unique, named, -i)
        }
        guard let best = candidates.filter({ IdentifyingShapes.isIdentifierColumn(evidence[$0].column) }).max(by: { rank($0) < rank($1) }) else { return }
        proposals[best].disposition = .reference
        proposals[best].reasons = ["column \"\(evidence[best].column.name)\" holds a unique identifier in every record: the partner's reference"]
    }

    /// Fields the export implies without a column of its own.
    static func derived(_ mapped: Set<String>) -> [DerivedProposal] {
        var out: [DerivedProposal] = []
        let birth = "prs_Birthdate", at = ExtensionField.identificationDate.rawValue
        if mapped.contains(birth) && mapped.contains(at) {
            out.append(DerivedProposal(canonical: ExtensionField.ageAtIdentification.rawValue, source: .age(birth: birth, at: at),
                                       reason: "whole years from \(birth) to \(at), both mapped"))
        }
        if !mapped.contains(ExtensionField.dataSource.rawValue) {
            // TODO: a partner's kind of system could be asked once in `profile draft`; until then a person gives it.
            out.append(DerivedProposal(canonical: ExtensionField.dataSource.rawValue, source: .constant(nil),
                                       reason: "the export does not say where its records come from: CaseManagement or Hotline"))
        }
        if !mapped.contains("con_Consent") {
            out.append(DerivedProposal(canonical: "con_Consent", source: .constant(nil),
                                       reason: "no consent column: the partners policy excludes every record without consent TRUE; "
                                           + "set TRUE only if the data-sharing agreement covers consent for every exported record"))
        }
        return out
    }
}
