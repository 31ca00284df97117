/// ISO 3166-1 country codes, as HTCDS country fields (`prs_Citizenship`, `prs_MailingCountry`,
/// `org_ShippingCountry`) hold them.
///
/// The table is generated from Debian's iso-codes package by `Tools/htcds/generate.swift` and
/// shipped in `ISO3166+Generated.swift`, so htdx does not need iso-codes installed. It adds one
/// entry ISO has not assigned: Kosovo, XK / XKX, the user-assigned codes that UNHCR, IOM and the
/// European Commission use, because partners' case data holds it. Its ``Country/isISOAssigned`` is
/// false and it has no numeric code.
///
/// Lookups accept alpha-2 or alpha-3, in any case, with surrounding whitespace; anything else
/// (numeric codes, names, non-ASCII letters) is unknown and gives nil, so a caller fails closed.
public enum ISO3166 {
    public struct Country: Sendable, Hashable {
        /// `UA`
        public let alpha2: String
        /// `UKR`
        public let alpha3: String
        /// `804`, three digits with leading zeros; nil for Kosovo.
        public let numeric: String?
        /// The ISO English short name: `Ukraine`, `Bolivia, Plurinational State of`.
        public let name: String
        /// False only for Kosovo (XK), which ISO has not assigned.
        public let isISOAssigned: Bool
    }

    /// Every country, by alpha-2 code.
    public static var countries: [Country] { generatedCountries }

    /// The country with alpha-2 or alpha-3 code `code`, or nil.
    public static func country(_ code: String) -> Country? {
        guard let key = normalised(code), let i = index[key] else { return nil }
        return generatedCountries[i]
    }

    /// The canonical alpha-2 code of an alpha-2 or alpha-3 code: `"UKR"` and `" ua "` give `"UA"`.
    public static func alpha2(_ code: String) -> String? { country(code)?.alpha2 }

    /// The alpha-3 code of an alpha-2 or alpha-3 code: `"UA"` gives `"UKR"`.
    public static func alpha3(_ code: String) -> String? { country(code)?.alpha3 }

    /// The English short name of an alpha-2 or alpha-3 code.
    public static func name(_ code: String) -> String? { country(code)?.name }

    /// Alpha-2 and alpha-3 codes (they cannot collide: their lengths differ) to table positions.
    private static let index: [String: Int] = {
        var index: [String: Int] = [:]
        for (i, c) in generatedCountries.enumerated() {
            precondition(index.updateValue(i, forKey: c.alpha2) == nil && index.updateValue(i, forKey: c.alpha3) == nil,
                         "ISO 3166 table lists \(c.alpha2)/\(c.alpha3) twice; regenerate it")
        }
        return index
    }()

    /// `code` trimmed and upper-cased, when it is two or three ASCII letters; nil otherwise.
    /// Upper-casing is ASCII only, so no Unicode case mapping can turn other text into a code.
    private static func normalised(_ code: String) -> String? {
        let trimmed = HTCDS.trimmed(code)
        let bytes = Array(trimmed.utf8)
        guard bytes.count == 2 || bytes.count == 3 else { return nil }
        var upper: [UInt8] = []
        upper.reserveCapacity(3)
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper.append(b)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): upper.append(b - 32)
            default: return nil
            }
        }
        return String(decoding: upper, as: UTF8.self)
    }
}
