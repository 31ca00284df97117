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
    /// sorted and joined by one space, so that "José  Maria" and "maria JOSE" agree.
    public static func names(_ fields: [String]) -> String {
        fields.flatMap { fold($0, options: [.caseInsensitive, .diacriticInsensitive]).split(whereSeparator: \.isWhitespace) }
            .map(String.init).sorted().joined(separator: " ")
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

    /// A citizenship as an ISO 3166 alpha-2 or alpha-3 code in upper case, or nil.
    public static func citizenship(_ text: String) -> String? {
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...3).contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return nil
        }
        return code
    }

    private static func fold(_ text: String, options: String.CompareOptions) -> String {
        text.precomposedStringWithCompatibilityMapping.folding(options: options, locale: nil).precomposedStringWithCompatibilityMapping
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
