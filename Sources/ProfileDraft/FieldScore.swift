import Ingest
import Recode

/// One candidate field for one column: how well the header names it and the values suit it.
struct FieldScore: Sendable {
    var field: String
    var name: NameMatch?
    /// 0 to 1: how well the values suit the field.
    var values: Double
    /// Whether the values alone single the field out (a code list's words), without the header.
    var byValuesAlone: Bool
    var total: Double

    /// The fields a column may hold: the standard's, less those that identify a person (a column
    /// naming one is ignored instead), and htdx's ext_ fields that a column can carry.
    static let candidates: [String] = HTCDS.fields.filter { !$0.isDeprecated && IdentifyingShapes.reason(forField: $0.name) == nil }.map(\.name)
        + [ExtensionField.countryOfExploitation, .identificationDate, .reportedAge].map(\.rawValue)

    /// Every candidate with a score above zero, best first.
    static func all(for e: ColumnEvidence) -> [FieldScore] {
        var out: [FieldScore] = []
        for field in candidates {
            let name = NameMatch.best(header: e.column.name, field: field)
            let n = name?.score ?? 0
            let kind = ColumnEvidence.kind(of: field)
            var coded = false
            if case .coded(let m, _) = kind, case .picklist = m.target { coded = true }
            // A code list's own words can name the field without the header; dates, countries and
            // numbers cannot tell which date, country or number they are.
            guard n >= 0.3 || (coded && !e.isEmpty) else { continue }
            let (v, _) = e.fit(field)
            let total: Double
            if n >= 0.3 {
                total = n * (0.4 + 0.6 * v)
            } else {
                total = 0.6 * v
            }
            guard total > 0.05 else { continue }
            out.append(FieldScore(field: field, name: n >= 0.3 ? name : nil, values: v, byValuesAlone: n < 0.3, total: total))
        }
        return out.sorted { ($0.total, $1.field) > ($1.total, $0.field) }
    }
}
