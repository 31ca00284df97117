/// A version of IOM's Human Trafficking Case Data Standard.
///
/// Partners export records in whichever version their case-management system was set up with;
/// htdx works in 2.0 and translates the older two with ``HTCDS/translate(_:field:from:)``.
public enum HTCDSVersion: String, Sendable, CaseIterable {
    case v0_2 = "0.2"
    case v1_0 = "1.0"
    case v2_0 = "2.0"
}

/// One field of HTCDS 2.0, as the standard's field-standards sheet defines it.
///
/// The catalogue is generated from the sheet by `Tools/htcds/generate.swift`; see
/// `HTCDSCatalogue+Generated.swift` for the sources it was generated from.
public struct HTCDSField: Sendable, Hashable {
    /// What a field holds, read from the sheet's Field Type column and, where the type says only
    /// "Text" or "Picklist", from the value and note columns.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case text, longText, date, number, boolean
        /// Latitude or longitude (Salesforce geolocation). Some coordinates are typed Number instead.
        case geolocation
        /// One of ``HTCDSField/codes``.
        case picklist
        /// ISO 3166 country codes: the sheet names the standard instead of listing codes.
        case country
        /// ISO 639-2 language codes: the sheet names the standard instead of listing codes.
        case language
        /// A reference to another record (``HTCDSField/lookupTarget`` says which kind).
        case lookup
        /// Typed Text in the sheet; the field holds an e-mail address.
        case email
        /// Typed Text in the sheet, with a note requiring E.164 numbers.
        case phone
    }

    /// The full name, prefix included: `prs_Gender`.
    public let name: String
    /// The sheet's section, whitespace collapsed: `Person - Victim Context`.
    public let section: String
    public let label: String
    public let kind: Kind
    /// Whether a record may hold several values (Salesforce separates them with `;`). Applies to
    /// picklists and to country fields alike (`prs_Citizenship`).
    public let isMultiSelect: Bool
    /// Whether the standard marks the field Core.
    public let isCore: Bool
    /// Whether 2.0 marks the field DEPRECATED (kept for old records, not for new ones).
    public let isDeprecated: Bool
    /// For a lookup, what it points to: `organisation`, `person` or `user`.
    public let lookupTarget: String?
    /// A picklist's codes (the sheet's Value Names), trimmed, in the standard's order; empty for
    /// every other kind.
    public let codes: [String]
    /// The label of each code, in the same order as ``codes``.
    public let labels: [String]

    init(name: String, section: String, label: String, kind: Kind, isMultiSelect: Bool, isCore: Bool,
         isDeprecated: Bool, lookupTarget: String?, codes: [String], labels: [String]) {
        self.name = name
        self.section = section
        self.label = label
        self.kind = kind
        self.isMultiSelect = isMultiSelect
        self.isCore = isCore
        self.isDeprecated = isDeprecated
        self.lookupTarget = lookupTarget
        self.codes = codes
        self.labels = labels
    }

    /// The label of `code`, or nil when the field has no such code.
    public func label(of code: String) -> String? {
        codes.firstIndex(of: code).map { labels[$0] }
    }
}

/// How an older version's field or code was matched to 2.0. The CSV tables under `Policies/htcds/`
/// spell these `same-name`, `same-code`, `same-label`, `manual` and `none`.
public enum HTCDSMappingBasis: String, Sendable, Hashable {
    /// The field kept its full name.
    case sameName = "same-name"
    /// The code exists unchanged in the 2.0 field.
    case sameCode = "same-code"
    /// The code changed but its label did not (compared ignoring case and whitespace).
    case sameLabel = "same-label"
    /// A rename found by reading the standards, listed with its reason in the generator.
    case manual
    /// Reviewed: 2.0 has no equivalent.
    case noEquivalent = "none"
}

/// An older version's field and the 2.0 field it became.
public struct HTCDSFieldMapping: Sendable, Hashable {
    public let version: HTCDSVersion
    /// The field's name in ``version``.
    public let name: String
    /// The field's kind in ``version``; the generator refuses a kind that changes in 2.0.
    public let kind: HTCDSField.Kind
    /// Whether the field was multi-select in ``version``.
    public let isMultiSelect: Bool
    /// The 2.0 field, or nil when 2.0 has none.
    public let v2Name: String?
    public let basis: HTCDSMappingBasis

    /// True when the old field took several values and the 2.0 field takes one
    /// (`vic_ForcedLabourIndustry` from 0.2): a record holding more than one value cannot be
    /// carried over value by value, whatever ``HTCDS/translate(_:field:from:)`` says of each.
    public var narrowsToSingleSelect: Bool {
        guard isMultiSelect, let v2Name, let field = HTCDS.field(named: v2Name) else { return false }
        return !field.isMultiSelect
    }
}

/// An older version's picklist code and the 2.0 code it became.
public struct HTCDSCodeMapping: Sendable, Hashable {
    public let version: HTCDSVersion
    /// The field's name in ``version`` (which may differ from its 2.0 name).
    public let field: String
    public let code: String
    /// The 2.0 code, or nil when 2.0 has no equivalent.
    public let v2Code: String?
    public let basis: HTCDSMappingBasis
}

/// What a value of an older version becomes in 2.0.
public enum CodeTranslation: Sendable, Hashable {
    /// 2.0 writes the value differently: use the associated code.
    case translated(String)
    /// The value is valid in 2.0 as it is (trimmed of surrounding whitespace).
    case unchanged
    /// The old version defines the value (or the whole field), but 2.0 has no equivalent:
    /// the record cannot be carried over without a decision about this value.
    case noEquivalent
    /// The version has no field of that name: check the column header and the version.
    case unknownField
    /// The field has no such code (or, for a country field, ISO 3166 has no such country):
    /// the value is malformed, or the export is of another version.
    case unknownCode
}

/// The HTCDS 2.0 field catalogue and the translations from 0.2 and 1.0.
///
/// Everything is built once, on first use, from generated static tables; lookups are dictionary
/// reads and safe from any thread.
public enum HTCDS {
    /// Every HTCDS 2.0 field, in the standard's order.
    public static var fields: [HTCDSField] { generatedFields }

    /// The 2.0 field named `name` (full name with prefix, exact case), or nil. Old versions'
    /// names are not accepted here: see ``fieldMapping(_:from:)``.
    public static func field(named name: String) -> HTCDSField? {
        fieldIndex[name].map { generatedFields[$0] }
    }

    /// What the field `name` of `version` became in 2.0; nil when `version` has no such field.
    /// For 2.0 itself, every field maps to itself.
    public static func fieldMapping(_ name: String, from version: HTCDSVersion) -> HTCDSFieldMapping? {
        if version == .v2_0 {
            return field(named: name).map {
                HTCDSFieldMapping(version: .v2_0, name: $0.name, kind: $0.kind, isMultiSelect: $0.isMultiSelect,
                                  v2Name: $0.name, basis: .sameName)
            }
        }
        return tables[version]?.fields[name]
    }

    /// Every field of `version` and what it became, in that version's order (empty for 2.0).
    public static func fieldMappings(from version: HTCDSVersion) -> [HTCDSFieldMapping] {
        switch version {
        case .v0_2: generatedFieldMappings0_2
        case .v1_0: generatedFieldMappings1_0
        case .v2_0: []
        }
    }

    /// Every picklist code of `version` and what it became, in that version's order (empty for 2.0).
    /// The same rows as `Policies/htcds/translations-<version>-to-2.0.csv`.
    public static func codeMappings(from version: HTCDSVersion) -> [HTCDSCodeMapping] {
        switch version {
        case .v0_2: generatedCodeMappings0_2
        case .v1_0: generatedCodeMappings1_0
        case .v2_0: []
        }
    }

    /// Translates one value of `field`, as `version` names the field, to 2.0.
    ///
    /// Surrounding whitespace (no-break spaces included) is ignored; codes are otherwise compared
    /// exactly, case included. A multi-select value (`A;B`) must be split by the caller first, and
    /// a blank value is the caller's to handle: for a picklist it is ``CodeTranslation/unknownCode``.
    ///
    /// - Picklists: ``CodeTranslation/unchanged``, ``CodeTranslation/translated(_:)`` or
    ///   ``CodeTranslation/noEquivalent`` as the tables say; ``CodeTranslation/unknownCode`` for a
    ///   code `version` does not list.
    /// - Country fields: ``CodeTranslation/unchanged`` for an ISO 3166 alpha-2 or alpha-3 code (or
    ///   Kosovo's XK/XKX), else ``CodeTranslation/unknownCode``. Use ``ISO3166/alpha2(_:)`` to
    ///   normalise.
    /// - Every other kind (text, dates, numbers, ISO 639 languages, which htdx has no table of):
    ///   ``CodeTranslation/unchanged``.
    /// - A field that 2.0 dropped: ``CodeTranslation/noEquivalent`` whatever the value.
    public static func translate(_ code: String, field: String, from version: HTCDSVersion) -> CodeTranslation {
        let value = String(trimmed(code))
        guard let mapping = fieldMapping(field, from: version) else { return .unknownField }
        guard mapping.v2Name != nil else { return .noEquivalent }
        switch mapping.kind {
        case .picklist:
            if version == .v2_0 {
                guard let f = self.field(named: field) else { return .unknownField }
                return f.codes.contains(value) ? .unchanged : .unknownCode
            }
            return tables[version]?.codes[field]?[value] ?? .unknownCode
        case .country:
            return ISO3166.country(value) != nil ? .unchanged : .unknownCode
        case .text, .longText, .date, .number, .boolean, .geolocation, .language, .lookup, .email, .phone:
            return .unchanged
        }
    }

    // MARK: Tables, built once

    private static let fieldIndex: [String: Int] = {
        var index: [String: Int] = [:]
        for (i, f) in generatedFields.enumerated() {
            precondition(index.updateValue(i, forKey: f.name) == nil, "HTCDS catalogue lists \(f.name) twice; regenerate it")
        }
        return index
    }()

    private struct VersionTables: Sendable {
        var fields: [String: HTCDSFieldMapping] = [:]
        var codes: [String: [String: CodeTranslation]] = [:]
    }

    private static let tables: [HTCDSVersion: VersionTables] = {
        var all: [HTCDSVersion: VersionTables] = [:]
        for version in [HTCDSVersion.v0_2, .v1_0] {
            var t = VersionTables()
            for m in fieldMappings(from: version) { t.fields[m.name] = m }
            for m in codeMappings(from: version) {
                let translation: CodeTranslation
                switch (m.basis, m.v2Code) {
                case (.sameCode, _): translation = .unchanged
                case (_, let v2Code?): translation = v2Code == m.code ? .unchanged : .translated(v2Code)
                case (_, nil): translation = .noEquivalent
                }
                t.codes[m.field, default: [:]][m.code] = translation
            }
            all[version] = t
        }
        return all
    }()

    /// `s` without leading and trailing whitespace, Unicode's (U+00A0 included, which the HTCDS
    /// sheets and spreadsheet exports leave behind). Ingest does not import Foundation.
    static func trimmed(_ s: String) -> Substring {
        var sub = s[...]
        while let first = sub.first, first.isWhitespace { sub = sub.dropFirst() }
        while let last = sub.last, last.isWhitespace { sub = sub.dropLast() }
        return sub
    }
}
