import Foundation

extension ISO3166 {
    /// The alpha-2 code of a country written by name in English, French, Spanish or Portuguese
    /// (iso-codes' names and their translations), compared without case, accents or punctuation:
    /// `"Sénégal"`, `"senegal"` and `"Senegal"` give `"SN"`. Also accepts alpha-2 and alpha-3
    /// codes. Nil when unknown, or when the name belongs to two countries.
    public static func alpha2(forName name: String) -> String? {
        if let code = alpha2(name) { return code }
        return generatedNames[CountryNameKey.fold(name)]
    }

    /// Every folded name ``alpha2(forName:)`` knows, with its alpha-2 code (for drafting profiles
    /// and for tests of the generated table).
    public static var foldedNames: [String: String] { generatedNames }
}

/// How country names are compared: lower-cased, accents and punctuation removed, white space
/// collapsed.
///
/// `Tools/countries/generate.swift` folds the names it writes with a copy of this function (a
/// script cannot import the package); `CountryNameTests` checks that every generated key is
/// already folded, so the two cannot drift apart unnoticed.
public enum CountryNameKey {
    /// `"Côte d’Ivoire"` and `"COTE D'IVOIRE "` both give `"cote d ivoire"`: canonical
    /// decomposition splits accents off their letters so they can be dropped, and every run of
    /// punctuation, symbols and spaces becomes one space, so hyphens and apostrophes of any shape
    /// compare equal.
    public static func fold(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        var gap = false
        for scalar in name.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter,
                 .decimalNumber, .letterNumber, .otherNumber:
                if gap && !out.isEmpty { out.append(" ") }
                gap = false
                out.append(scalar)
            default:
                gap = true
            }
        }
        return String(out)
    }
}
