import Anonymize
import Export
import Ingest

/// Builds the ``ReleaseDescription`` of a run's record-level file from the policy, the chosen
/// levels and the standard's catalogue: what each published column means, the values it can
/// hold, and how it was made.
enum ReleaseDescriber {
    /// `listFields` are the fields a cell may hold several codes of: the standard's multi-selects,
    /// and any field a partner profile splits (the XForm sends several industries, for one).
    static func microdata(policy: Policy, published: [String], hierarchies: [Hierarchy], levels: [Int],
                          blankLabels: [String]?, listFields: Set<String>, delimiter: UInt8) -> ReleaseDescription.Table {
        let qis = policy.quasiIdentifiers.map(\.name)
        let columns = published.map { name -> ReleaseDescription.Column in
            let attribute = policy.attribute(named: name)
            var derivation: [String] = []
            var values: [String]?
            var isList = false
            if let q = qis.firstIndex(of: name) {
                let h = hierarchies[q]
                let level = levels[q]
                var labels = h.labels[level]
                if let blank = blankLabels?[q], !labels.contains(blank) { labels.append(blank) }
                values = Array(Set(labels)).sorted()
                // A file is named without its directory: the codebook holds no machine paths.
                let source = attribute?.hierarchySource.map { " (\($0.split(separator: "/").last.map(String.init) ?? $0))" } ?? ""
                derivation.append(level == 0 ? "published as recorded: its hierarchy\(source) was not needed"
                                  : "generalised to level \(level) of \(h.maxLevel) of its hierarchy\(source)")
                if let rule = policy.cellSuppression, rule.priority.contains(name) {
                    derivation.append("may be blanked by cell suppression (priority \(rule.priority.firstIndex(of: name)! + 1) of \(rule.priority.count))")
                }
            } else if let field = HTCDS.field(named: name), !field.codes.isEmpty {
                values = field.codes
                isList = field.isMultiSelect || listFields.contains(name)
                if isList { derivation.append("a set of codes, sorted, joined by `;`") }
            }
            for rule in policy.blanks where rule.fields.contains(name) {
                derivation.append("blanked where \(rule.when.text) (rule \(rule.name))")
            }
            if qis.firstIndex(of: name) == nil, values != nil {
                // What the rules below can publish in place of a code.
                values! += policy.codings.filter { $0.field == name }.map(\.label)
                values! += policy.folds.filter { $0.field == name }.map(\.replacement)
            }
            for rule in policy.codings where rule.field == name {
                derivation.append(rule.side == .top ? "values of \(rule.threshold) and above published as \(rule.label) (rule \(rule.name))"
                                                    : "values below \(rule.threshold) published as \(rule.label) (rule \(rule.name))")
            }
            for rule in policy.folds where rule.field == name {
                derivation.append("values held by fewer than \(rule.below) records published as "
                                  + (rule.replacement.isEmpty ? "empty" : rule.replacement) + " (rule \(rule.name))")
            }
            var column = ReleaseDescription.Column(name: name, role: attribute?.role.rawValue ?? "insensitive",
                                                   meaning: attribute?.description ?? meaning(of: name), values: values, derivation: derivation)
            column.isList = isList
            return column
        }
        var protection = "k-anonymous with k = \(policy.privacy.k) over \(qis.filter(published.contains).joined(separator: ", "))."
        if !policy.filters.isEmpty {
            protection += " Records excluded before anonymisation: " + policy.filters.map { "\($0.when.text) (\($0.name))" }.joined(separator: "; ") + "."
        }
        return .init(path: "anonymized.csv", title: "anonymised records, one per victim", protection: protection,
                     delimiter: String(UnicodeScalar(delimiter)), columns: columns)
    }

    /// The standard's label for an HTCDS field, the extension's meaning for an `ext_` field, and a
    /// plain note for a column of a plain CSV input.
    static func meaning(of name: String) -> String {
        if let field = HTCDS.field(named: name) { return "HTCDS 2.0 \(field.name): \(field.label)" }
        if let ext = ExtensionField(rawValue: name) { return "htdx extension: \(ext.meaning)" }
        return "the input column \(name)"
    }
}

extension RunInput {
    /// The canonical fields this input's profile splits into several codes.
    var splitFields: Set<String> {
        guard case .profiled(let profile) = kind else { return [] }
        return Set(profile.fields.filter { $0.split != nil }.map(\.canonical))
    }
}
