import Ingest
import Recode
import Tabular

/// What a canonical field accepts as a value once mapped, for checking a profile's map targets and
/// constants when it is loaded: a target outside the list would otherwise reject record after
/// record, naming neither the profile line nor the valid codes.
public struct ProfileCodeList: Sendable {
    public enum Domain: Sendable, Equatable {
        /// A code list: the codes as the profile must write them (for an older standard, its own
        /// codes that translate to v2).
        case codes([String])
        /// An ISO 3166 alpha-2 or alpha-3 code.
        case country
        case integer
        case dates([DateFormat])
    }

    public let field: String
    public let domain: Domain

    /// The list of `rule`'s field as a profile of `standard` must spell it; nil when any text goes.
    public static func of(_ rule: FieldRule, standard: String) -> ProfileCodeList? {
        switch rule.kind {
        case .country: return ProfileCodeList(field: rule.canonical, domain: .country)
        case .integer: return ProfileCodeList(field: rule.canonical, domain: .integer)
        case .date(let formats): return ProfileCodeList(field: rule.canonical, domain: .dates(formats))
        case .text, .code:
            return codes(of: rule.canonical, standard: standard).map { ProfileCodeList(field: rule.canonical, domain: .codes($0)) }
        }
    }

    /// The codes of `field` a partner of `standard` may send, or nil when the field has no list.
    /// ext_DataSource's two codes are htdx's own (see ExtensionField).
    public static func codes(of field: String, standard: String) -> [String]? {
        if field == ExtensionField.dataSource.rawValue { return ["CaseManagement", "Hotline"] }
        guard let v2 = HTCDS.field(named: field), v2.kind == .picklist else { return nil }
        guard let version = HTCDSVersion(rawValue: standard), version != .v2_0 else { return v2.codes }
        // The older version's name of the field, and those of its codes that have a v2 equivalent.
        guard let old = HTCDS.fieldMappings(from: version).first(where: { $0.v2Name == field }) else { return v2.codes }
        return HTCDS.codeMappings(from: version).filter { $0.field == old.name && $0.v2Code != nil }.map(\.code)
    }

    /// Whether `value` is acceptable; empty means "unknown" and always is.
    public func accepts(_ value: String) -> Bool {
        if value.isEmpty { return true }
        switch domain {
        case .codes(let codes): return codes.contains(value)
        case .country: return ISO3166.alpha2(value) != nil
        case .integer: return Int(value) != nil
        case .dates(let formats): return formats.contains { $0.parse(value) != nil }
        }
    }

    /// What the field takes, for a message: every code when there are at most `limit`, else the
    /// few nearest to `value` and where to see the rest.
    public func expected(near value: String, limit: Int = 40) -> String {
        switch domain {
        case .country: return "an ISO 3166 country code, alpha-2 or alpha-3 (FR or FRA); `htdx codes \(field)` lists them"
        case .integer: return "a whole number"
        case .dates(let formats): return "a date in \(formats.map(\.pattern).joined(separator: " or "))"
        case .codes(let codes):
            if codes.count <= limit { return "one of: \(codes.joined(separator: ", "))" }
            return "one of \(codes.count) codes, the nearest \(Self.nearest(value, codes, count: 5).joined(separator: ", ")); "
                + "`htdx codes \(field)` lists them all"
        }
    }

    /// The `count` candidates closest to `word` by edit distance (case ignored), closest first.
    static func nearest(_ word: String, _ candidates: [String], count: Int) -> [String] {
        let w = Array(word.lowercased())
        return candidates.enumerated()
            .map { (i, c) in (c, editDistance(w, Array(c.lowercased())), i) }
            .sorted { ($0.1, $0.2) < ($1.1, $1.2) }
            .prefix(count).map(\.0)
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
