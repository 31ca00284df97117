import Foundation
import Recode
import TestSupport
import Testing

/// Country names in English, French, Spanish and Portuguese resolve to ISO 3166-1 alpha-2 codes.
@Suite struct CountryNameTests {
    @Test(arguments: [
        ("Sénégal", "SN"), ("senegal", "SN"), ("SENEGAL", "SN"), ("Côte d'Ivoire", "CI"), ("Cote d’Ivoire", "CI"),
        ("côte-d'ivoire", "CI"), ("Costa do Marfim", "CI"), ("Costa de Marfil", "CI"), ("Níger", "NE"), ("Niger", "NE"),
        ("Nigéria", "NG"), ("Nigeria", "NG"), ("Mali", "ML"), ("Suriname", "SR"), ("Allemagne", "DE"), ("Alemania", "DE"),
        ("Alemanha", "DE"), ("Bolivia", "BO"), ("Plurinational State of Bolivia", "BO"), ("  Guinée-Bissau ", "GW"),
        ("Kosovo", "XK"), ("sen", "SN"), ("sn", "SN"),
    ])
    func namesGiveTheirCode(name: String, code: String) {
        #expect(ISO3166.alpha2(forName: name) == code)
    }

    /// iso-codes' Portuguese catalogue gives Afghanistan's official name Pakistan's translation, so the
    /// folded name belongs to two countries and must not be guessed.
    @Test(arguments: ["República Islâmica do Paquistão", "Atlantis", "", "  ", "S N", "Niger Nigeria"])
    func ambiguousOrUnknownNamesGiveNil(name: String) {
        #expect(ISO3166.alpha2(forName: name) == nil)
    }

    @Test func foldingIgnoresCaseAccentsAndPunctuation() {
        #expect(CountryNameKey.fold("  CÔTE--D’IVOIRE  ") == "cote d ivoire")
        #expect(CountryNameKey.fold("Åland Islands") == "aland islands")
        #expect(CountryNameKey.fold("Korea, Republic of") == "korea republic of")
        #expect(CountryNameKey.fold("São Tomé and Príncipe") == "sao tome and principe")
        #expect(CountryNameKey.fold("İ") == "i")
    }

    /// The generator folds with its own copy of `fold`; a key that runtime folding would change could
    /// never be looked up, so every key must already be folded, and every code must exist.
    @Test func generatedKeysAreFoldedAndCodesExist() {
        let names = ISO3166.foldedNames
        #expect(names.count > 1000)
        for (key, code) in names {
            #expect(CountryNameKey.fold(key) == key, "\(key)")
            #expect(ISO3166.country(code)?.alpha2 == code, "\(key) → \(code)")
        }
        // Every country can be found by at least one name.
        #expect(Set(names.values) == Set(ISO3166.countries.map(\.alpha2)))
    }

    @Test func everyEnglishNameFindsItsCountry() {
        for c in ISO3166.countries {
            #expect(ISO3166.alpha2(forName: c.name) == c.alpha2, "\(c.alpha2)")
        }
    }
}
