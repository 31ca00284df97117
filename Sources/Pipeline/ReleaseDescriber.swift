import Anonymize
import Export
import Ingest
import PolicyFile
import Recode

/// Builds the ``ReleaseDescription`` of a run's record-level file from the policy, the chosen
/// levels and the standard's catalogue: what each published column means, the values it can
/// hold, and how it was made.
enum ReleaseDescriber {
    /// `listFields` are the fields a cell may hold several codes of: the standard's multi-selects,
    /// and any field a partner profile splits (the XForm sends several industries, for one).
    static func microdata(policy: Policy, published: [String], hierarchies: [Hierarchy], levels: [Int],
                          publishable: [[String]], listFields: Set<String>, delimiter: UInt8, termsOfUse: String? = nil,
                          hxl: Bool = false) -> ReleaseDescription.Table {
        let qis = policy.quasiIdentifiers.map(\.name)
        let columns = published.map { name -> ReleaseDescription.Column in
            let attribute = policy.attribute(named: name)
            var derivation: [String] = []
            var values: [String]?
            var isList = false
            if attribute?.role == .pseudonymised {
                // The codes of the standard's list are not what the column holds.
                derivation.append("published as a keyed pseudonym: HMAC-SHA-256 of the normalised value, in hexadecimal; "
                                  + (attribute?.pseudonymScope == .stable ? "the same in every release under the same key"
                                                                         : "scoped to this release"))
            } else if let q = qis.firstIndex(of: name) {
                let h = hierarchies[q]
                let level = levels[q]
                values = Array(Set(publishable[q])).sorted()
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
            var meaning = attribute?.description ?? meaning(of: name)
            if let d = policy.derived.first(where: { $0.name == name }) {
                let (m, how) = derivedMeaning(d)
                meaning = attribute?.description ?? m
                derivation.insert(how, at: 0)
                if case .indicator = d.kind, values == nil { values = ["0", "1"] }
            }
            var column = ReleaseDescription.Column(name: name, role: attribute?.role.rawValue ?? "insensitive",
                                                   meaning: meaning, values: values, derivation: derivation)
            column.isList = isList
            return column
        }
        var protection = "k-anonymous with k = \(policy.privacy.k) over \(qis.filter(published.contains).joined(separator: ", "))."
        let others = policy.privacy.models.filter { !($0 is KAnonymity) }
        if !others.isEmpty {
            protection += " Every equivalence class also meets " + others.map(\.description).joined(separator: " and ") + "."
        }
        if !policy.filters.isEmpty {
            protection += " Records excluded before anonymisation: " + policy.filters.map { "\($0.when.text) (\($0.name))" }.joined(separator: "; ") + "."
        }
        var all = columns
        if let termsOfUse {
            all.insert(.init(name: termsOfUse, role: "terms of use", meaning: "the terms of use of the data; every cell is empty", values: [""]), at: 0)
        }
        if let d = derivedNote(policy, published) { protection += " " + d }
        return .init(path: "anonymized.csv", title: "anonymised records, one per victim", protection: protection,
                     delimiter: String(UnicodeScalar(delimiter)), columns: all, extraHeaderRows: hxl ? 1 : 0)
    }

    /// A derived column's meaning and derivation, from its kind.
    static func derivedMeaning(_ column: DerivedColumn) -> (String, String) {
        let from = column.sourceFields.joined(separator: ", ")
        switch column.kind {
        case .year: return ("the year of \(from)", "the year of the ISO date")
        case .ageBand(_, let bands):
            return ("the age band at registration", "whole years from \(from) (birth date to registration date, else the reported age), banded "
                    + bands.labels.joined(separator: ", "))
        case .majorityStatus(_, let ageOfMajority, let unknown):
            return ("Minor or Adult", "from the age in \(from): under \(ageOfMajority) is Minor; \(unknown) when the age is unknown")
        case .category(let crosswalk):
            return ("\(crosswalk.field) in the release's categories", "through the crosswalk \(crosswalk.name.split(separator: "/").last ?? "")")
        case .country: return ("a country code", "ISO 3166 code of \(from)")
        case .indicator(let crosswalk, _):
            return ("1 when the record has this category, 0 when it has others, empty when unknown",
                    "from \(from) through \(crosswalk.name.split(separator: "/").last ?? "")")
        case .concatenation(let crosswalk, let separator):
            return ("the categories present, joined by \"\(separator)\"", "from \(from) through \(crosswalk.name.split(separator: "/").last ?? "")")
        case .unsourced: return ("no source in HTCDS", "always empty: HTCDS records nothing it could be derived from")
        }
    }

    /// Says which published columns are derived, and which have no source in the standard.
    static func derivedNote(_ policy: Policy, _ published: [String]) -> String? {
        let derived = policy.derived.filter { published.contains($0.name) }
        guard !derived.isEmpty else { return nil }
        let unsourced = derived.filter { if case .unsourced = $0.kind { true } else { false } }.map(\.name)
        return "\(derived.count) columns are derived from the HTCDS fields before anonymisation (Policies/ctdc/README.md gives each derivation)"
            + (unsourced.isEmpty ? "." : "; these have no source in HTCDS and are always empty: \(unsourced.joined(separator: ", ")).")
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
        return Set(profile.fields.filter(\.isMultiSelect).map(\.canonical))
    }
}
