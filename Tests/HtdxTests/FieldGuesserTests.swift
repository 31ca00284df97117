@testable import ProfileDraft
import Recode
import Testing

/// A column summary as the summariser would give it, from the values of its records.
func column(_ name: String, _ position: Int, _ cells: [String]) -> ColumnSummary {
    var values: [String: Int] = [:]
    for c in cells where !c.isEmpty { values[c, default: 0] += 1 }
    return ColumnSummary(name: name, position: position, records: cells.count, filled: cells.filter { !$0.isEmpty }.count,
                         values: values, longest: cells.map(\.count).max() ?? 0)
}

/// `n` cells cycling through `pool`, so that every value occurs and counts differ.
func cycle(_ pool: [String], _ n: Int) -> [String] { (0..<n).map { pool[($0 * 7 + $0 / 3) % pool.count] } }

/// A French field office's export, as a data officer receives it.
enum FrenchExport {
    static let n = 60
    static let firstNames = ["Awa", "Fatou", "Moussa", "Ibrahima", "Aminata", "Ousmane", "Mariama", "Cheikh", "Khady", "Abdoulaye"]
    static let lastNames = ["Diallo", "Ndiaye", "Traoré", "Sow", "Ba", "Fall", "Camara", "Cissé", "Keïta", "Sy", "Diop"]

    static var columns: [ColumnSummary] {
        let ids = (1...n).map { "DOS-2023-\(1000 + $0)" }
        let names = (0..<n).map { "\(firstNames[$0 % 10]) \(lastNames[($0 * 3) % 11])" }
        let phones = (0..<n).map { "+221 77 \(100 + $0) \(10 + $0 % 80) \(20 + $0 % 70)" }
        let births = (0..<n).map { "\(String(format2(1 + ($0 * 5) % 28)))/\(format2(1 + $0 % 12))/\(1970 + $0 % 35)" }
        let identified = (0..<n).map { "2023-\(format2(1 + $0 % 12))-\(format2(1 + ($0 * 3) % 28))" }
        let notes = (0..<n).map { "Entretien mené au centre d'accueil numéro \($0); la personne décrit un trajet long et des promesses d'emploi non tenues." }
        return [
            column("N° de dossier", 0, ids),
            column("Nom complet", 1, names),
            column("Téléphone", 2, phones),
            column("Date de naissance", 3, births),
            column("Sexe", 4, cycle(["F", "M", "femme", "homme", "inconnu"], n)),
            column("Nationalité", 5, cycle(["SEN", "MLI", "NER", "GIN", "CIV"], n)),
            column("Pays d'exploitation", 6, cycle(["SN", "ML", "MR", "GM"], n)),
            column("Date d'identification", 7, identified),
            column("Type d'exploitation", 8, cycle(["exploitation sexuelle", "travail forcé; mendicité", "mariage forcé",
                                                     "travail domestique", "Exploitation_Sexuelle;travail forcé", "n/a"], n)),
            column("Moyens de contrôle", 9, cycle(["menaces + dette", "fausses promesses", "documents confisqués + violences",
                                                   "isolement"], n)),
            column("Lien avec le recruteur", 10, cycle(["famille", "ami", "inconnu", "employeur"], n)),
            column("Consentement", 11, cycle(["oui", "oui", "non"], n)),
            column("Âge", 12, (0..<n).map { String(15 + $0 % 40) }),
            column("Remarques", 13, notes),
            column("Courriel", 14, (0..<n).map { "contact\($0)@exemple.sn" }),
            column("Code interne", 15, (0..<n).map { "X\(90_000 + $0 * 13)" }),
            column("Colonne 17", 16, cycle(["bleu", "quartz", "vélo", "marée", "sapin", "orgue"], n)),
        ]
    }
}

func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

extension ProfileProposal {
    func proposal(_ column: String) -> FieldProposal? { columns.first { $0.column == column } }
    func field(of column: String) -> String? {
        if case .field(let f)? = proposal(column)?.disposition { return f }
        return nil
    }
}

@Suite struct FieldGuesserTests {
    static let frenchProposal = FieldGuesser.propose(FrenchExport.columns)
    var french: ProfileProposal { Self.frenchProposal }

    @Test func frenchHeadersFindTheirFields() {
        let expected: [String: String] = [
            "Date de naissance": "prs_Birthdate", "Sexe": "prs_Gender", "Nationalité": "prs_Citizenship",
            "Pays d'exploitation": "ext_CountryOfExploitation", "Date d'identification": "ext_IdentificationDate",
            "Type d'exploitation": "vic_TypeOfExploitation", "Moyens de contrôle": "vic_MethodsOfControl",
            "Lien avec le recruteur": "vic_RelationshipToTrafficker", "Consentement": "con_Consent", "Âge": "ext_ReportedAge",
        ]
        for (column, field) in expected {
            #expect(french.field(of: column) == field, "\(column): \(String(describing: french.proposal(column)))")
        }
        #expect(french.columns.map(\.column) == FrenchExport.columns.map(\.name), "one proposal per column, in order")
        #expect(french.proposal("Nationalité")?.reasons.contains { $0.contains("name \"Nationalité\"") } == true)
    }

    @Test func identifyingColumnsAreKeptOut() {
        #expect(french.proposal("N° de dossier")?.disposition == .reference)
        #expect(french.proposal("Nom complet")?.disposition == .ignore("names"))
        #expect(french.proposal("Téléphone")?.disposition == .ignore("phone numbers"))
        #expect(french.proposal("Remarques")?.disposition == .ignore("free text"))
        #expect(french.proposal("Courriel")?.disposition == .ignore("e-mail addresses"))
        #expect(french.proposal("Code interne")?.disposition == .ignore("identifiers"), "a second identifier is not the reference")
        #expect(french.columns.filter { $0.disposition == .reference }.count == 1)
    }

    @Test func randomWordsStayUndecided() {
        #expect(french.proposal("Colonne 17")?.disposition == .undecided)
    }

    @Test func datesGetTheirFormats() {
        let birth = french.proposal("Date de naissance")
        #expect(birth?.dateFormats == ["dd/MM/yyyy"])
        #expect(birth?.dayMonthAmbiguous == false, "days above 12 settle the order")
        let identified = french.proposal("Date d'identification")
        #expect(identified?.dateFormats == ["yyyy-MM-dd"])
        #expect(identified?.dayMonthAmbiguous == false)
    }

    @Test func codedValuesAreMappedInTheirWords() {
        let gender = french.proposal("Sexe")
        #expect(target(gender, "femme") == "Feminine")
        #expect(target(gender, "F") == "Feminine")
        #expect(target(gender, "homme") == "Masculine")
        #expect(gender?.missing == ["inconnu"])

        let exploitation = french.proposal("Type d'exploitation")
        #expect(exploitation?.split == [";"])
        #expect(target(exploitation, "exploitation sexuelle") == "SexualExploitation")
        #expect(target(exploitation, "Exploitation_Sexuelle") == "SexualExploitation")
        #expect(target(exploitation, "travail forcé") == "ForcedLabour")
        #expect(target(exploitation, "mendicité") == "ForcedBegging")
        #expect(target(exploitation, "mariage forcé") == "ForcedMarriage")
        #expect(target(exploitation, "travail domestique") == "Servitude")
        #expect(exploitation?.missing == ["n/a"])

        let control = french.proposal("Moyens de contrôle")
        #expect(control?.split == [" + "])
        #expect(target(control, "dette") == "DebtBondage")
        #expect(target(control, "documents confisqués") == "WithholdsDocuments")

        #expect(target(french.proposal("Lien avec le recruteur"), "famille") == "Familial")
        #expect(french.proposal("Lien avec le recruteur")?.missing == ["inconnu"])
        #expect(target(french.proposal("Consentement"), "oui") == "TRUE")
        #expect(target(french.proposal("Consentement"), "non") == "FALSE")
        #expect(french.proposal("Nationalité")?.values == [], "ISO alpha-3 codes need no map")
    }

    @Test func derivedFieldsFollowTheMappedOnes() {
        #expect(french.derived.contains { $0.canonical == "ext_AgeAtIdentification" && $0.source == .age(birth: "prs_Birthdate", at: "ext_IdentificationDate") })
        #expect(french.derived.contains { $0.canonical == "ext_DataSource" && $0.source == .constant(nil) })
        #expect(!french.derived.contains { $0.canonical == "con_Consent" }, "the export has a consent column")
        let noConsent = FieldGuesser.propose(FrenchExport.columns.filter { $0.name != "Consentement" })
        let consent = noConsent.derived.first { $0.canonical == "con_Consent" }
        #expect(consent?.source == .constant(nil))
        #expect(consent?.reason.contains("policy") == true)
        let noBirth = FieldGuesser.propose(FrenchExport.columns.filter { $0.name != "Date de naissance" })
        #expect(!noBirth.derived.contains { $0.canonical == "ext_AgeAtIdentification" })
    }

    @Test func spanishAndAmbiguousDates() {
        let n = 40
        let p = FieldGuesser.propose([
            column("Número de expediente", 0, (0..<n).map { "EXP\(5000 + $0)" }),
            column("Fecha de nacimiento", 1, (0..<n).map { "\(format2(1 + $0 % 12))/\(format2(1 + ($0 * 5) % 12))/\(1980 + $0 % 20)" }),
            column("Sexo", 2, cycle(["mujer", "hombre", "Mujer", "desconocido"], n)),
            column("Nacionalidad", 3, cycle(["COL", "VEN", "ECU"], n)),
            column("Tipo de explotación", 4, cycle(["explotación sexual", "trabajo forzoso | mendicidad", "matrimonio forzado"], n)),
            column("Consentimiento", 5, cycle(["sí", "no", "Sí"], n)),
            column("Observaciones", 6, (0..<n).map { "Relato largo número \($0) sobre el viaje, el empleo prometido y la llegada a la ciudad." }),
            column("Teléfono", 7, (0..<n).map { "+57 300 \(1_000_000 + $0 * 17)" }),
        ])
        #expect(p.proposal("Número de expediente")?.disposition == .reference)
        #expect(p.field(of: "Fecha de nacimiento") == "prs_Birthdate")
        #expect(p.proposal("Fecha de nacimiento")?.dayMonthAmbiguous == true, "no day above 12")
        #expect(p.proposal("Fecha de nacimiento")?.dateFormats.first == "dd/MM/yyyy")
        #expect(target(p.proposal("Sexo"), "Mujer") == "Feminine")
        #expect(p.proposal("Sexo")?.missing == ["desconocido"])
        #expect(p.field(of: "Nacionalidad") == "prs_Citizenship")
        #expect(p.proposal("Tipo de explotación")?.split == ["|"])
        #expect(target(p.proposal("Tipo de explotación"), "mendicidad") == "ForcedBegging")
        #expect(target(p.proposal("Consentimiento"), "sí") == "TRUE")
        #expect(p.proposal("Observaciones")?.disposition == .ignore("free text"))
        #expect(p.proposal("Teléfono")?.disposition == .ignore("phone numbers"))
    }

    @Test func portugueseAndEnglishHeaders() {
        let n = 30
        let p = FieldGuesser.propose([
            column("Data de nascimento", 0, (0..<n).map { "\(1985 + $0 % 15)-\(format2(1 + $0 % 12))-\(format2(1 + $0 % 28))" }),
            column("Sexo", 1, cycle(["feminino", "masculino"], n)),
            column("Nacionalidade", 2, cycle(["BR", "PY", "BO"], n)),
            column("Tipo de exploração", 3, cycle(["trabalho forçado", "exploração sexual", "servidão doméstica"], n)),
            column("Consentimento", 4, cycle(["sim", "não"], n)),
            column("Idade", 5, (0..<n).map { String(18 + $0) }),
            column("Nome", 6, (0..<n).map { "Pessoa \($0)" }),
        ])
        #expect(p.field(of: "Data de nascimento") == "prs_Birthdate")
        #expect(p.proposal("Data de nascimento")?.dateFormats == ["yyyy-MM-dd"])
        #expect(target(p.proposal("Sexo"), "feminino") == "Feminine")
        #expect(p.field(of: "Nacionalidade") == "prs_Citizenship")
        #expect(target(p.proposal("Tipo de exploração"), "servidão doméstica") == "Servitude")
        #expect(target(p.proposal("Consentimento"), "não") == "FALSE")
        #expect(p.field(of: "Idade") == "ext_ReportedAge")
        #expect(p.proposal("Nome")?.disposition == .ignore("names"))

        let us = FieldGuesser.propose([
            column("DOB", 0, (0..<n).map { "\(format2(1 + $0 % 12))/\(format2(13 + $0 % 15))/\(1990 + $0 % 10)" }),
            column("Gender", 1, cycle(["Female", "Male", "female"], n)),
            column("prs_First_Name", 2, cycle(FrenchExport.firstNames, n)),
            column("vic_Methods_of_Control", 3, cycle(["DebtBondage", "FalsePromises PhysicalThreats"], n)),
        ])
        #expect(us.field(of: "DOB") == "prs_Birthdate")
        #expect(us.proposal("DOB")?.dateFormats == ["MM/dd/yyyy"], "days above 12 in second place: month first")
        #expect(us.field(of: "Gender") == "prs_Gender")
        #expect(us.proposal("prs_First_Name")?.disposition == .ignore("names"), "the XForm's name for prs_FirstName")
        #expect(us.field(of: "vic_Methods_of_Control") == "vic_MethodsOfControl", "the XForm's spelling")
    }

    @Test func codesAloneNameTheirField() {
        let p = FieldGuesser.propose([column("Q7", 0, cycle(["SexualExploitation", "ForcedLabour", "ForcedBegging"], 20))])
        #expect(p.field(of: "Q7") == "vic_TypeOfExploitation")
        #expect(p.proposal("Q7")?.values == [], "codes as the reader accepts them need no map")
    }

    /// Reasons become comments in a file that may be shared: they name columns, never values.
    @Test func reasonsQuoteNoValue() {
        for (summary, proposal) in zip(FrenchExport.columns, french.columns) {
            for value in summary.values.keys where value.count >= 4 {
                #expect(!proposal.reasons.contains { $0.contains(value) }, "\(summary.name) quotes a value")
            }
        }
        for d in french.derived { #expect(!d.reason.isEmpty) }
    }
}

/// The value chosen for `source`, or nil when there is none (or it is a TODO).
func target(_ p: FieldProposal?, _ source: String) -> String? {
    p?.values.first { $0.source == source }?.target
}
