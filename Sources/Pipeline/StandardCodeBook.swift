import Ingest
import Recode

/// The canonical standard as the mapper sees it: HTCDS v2's code lists, the translations from
/// v0.2 and v1.0, ISO 3166, and htdx's extension fields.
public struct StandardCodeBook: CodeBook {
    /// For each older version, the old field name that became each v2 field.
    private static let oldNames: [HTCDSVersion: [String: String]] = {
        var result: [HTCDSVersion: [String: String]] = [:]
        for version in [HTCDSVersion.v0_2, .v1_0] {
            var names: [String: String] = [:]
            for mapping in HTCDS.fieldMappings(from: version) {
                if let v2 = mapping.v2Name { names[v2] = mapping.name }
            }
            result[version] = names
        }
        return result
    }()

    public init() {}

    public func country(_ text: String) -> String? { ISO3166.alpha2(text) }

    public func translate(_ code: String, field: String, from version: String) -> String? {
        guard let v = HTCDSVersion(rawValue: version), v != .v2_0,
              let old = Self.oldNames[v]?[field] else {
            // An extension field, or a v2 field the old version did not have: nothing to translate.
            return code
        }
        switch HTCDS.translate(code, field: old, from: v) {
        case .translated(let new): return new
        case .unchanged: return code
        case .noEquivalent, .unknownField, .unknownCode: return nil
        }
    }

    public func accepts(_ code: String, field: String) -> Bool? {
        guard let f = HTCDS.field(named: field), f.kind == .picklist else { return nil }
        return f.codes.contains(code)
    }
}
