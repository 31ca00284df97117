import Foundation

/// The normal forms hashed for pseudonyms and person keys, so that spellings of one value that
/// differ only in case, width, compatibility characters or spacing give one hash.
public enum PseudonymText {
    /// A pseudonymised value: Unicode NFKC, case-folded, NFKC again (folding can undo it),
    /// trimmed, and each run of inner white space made one space.
    public static func value(_ text: String) -> String {
        collapse(fold(text, options: [.caseInsensitive]))
    }

    /// A person's names: the parts of every name field, NFKC, case-folded, without diacritics,
    /// sorted and joined by one space, so that "José  Maria" and "maria JOSE" agree. Hyphens and
    /// white space separate parts ("Jean-Pierre" is "Jean Pierre"); other punctuation is dropped
    /// ("O'Brien" is "OBrien").
    public static func names(_ fields: [String]) -> String {
        let parts = fields.flatMap { field in
            let folded = fold(field, options: [.caseInsensitive, .diacriticInsensitive])
            let separated = String(folded.unicodeScalars.compactMap { (c: Unicode.Scalar) -> Character? in
                if c.properties.isWhitespace || c.properties.generalCategory == .dashPunctuation { return " " }
                // Letters, digits and combining marks (which many scripts write vowels with) stay.
                let category = c.properties.generalCategory
                let mark = category == .nonspacingMark || category == .spacingMark || category == .enclosingMark
                return c.properties.isAlphabetic || c.properties.numericType != nil || mark ? Character(c) : nil
            })
            return separated.split(separator: " ")
        }
        return parts.map(String.init).sorted().joined(separator: " ")
    }

    /// A birth date as ISO yyyy-MM-dd (a profile's date field already stores it so), or nil.
    public static func birthDate(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bytes = Array(trimmed.utf8)
        let digit = { (i: Int) in bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy(digit) else { return nil }
        return trimmed
    }

    /// A citizenship as ISO 3166 alpha-2 or alpha-3 codes in upper case, several (a multi-select
    /// joined by `;`) sorted and joined by `;`; nil when a code is not two or three letters.
    public static func citizenship(_ text: String) -> String? {
        var codes: [String] = []
        for part in text.split(separator: ";") {
            let code = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard (2...3).contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
                return nil
            }
            codes.append(code)
        }
        return codes.isEmpty ? nil : codes.sorted().joined(separator: ";")
    }

    private static func fold(_ text: String, options: String.CompareOptions) -> String {
        text.precomposedStringWithCompatibilityMapping.folding(options: options, locale: nil).precomposedStringWithCompatibilityMapping
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
