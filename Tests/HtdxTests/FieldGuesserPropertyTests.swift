import Ingest
@testable import ProfileDraft
import Recode
import Testing
import TestSupport

/// Properties of every proposal, over random exports drawn from realistic headers and values.
@Suite struct FieldGuesserPropertyTests {
    static let headers = ["Sexe", "Sexo", "Gender", "Nationalité", "Nacionalidad", "Citizenship", "Pays d'exploitation",
                          "Date de naissance", "Fecha de nacimiento", "DOB", "Date d'identification", "Type d'exploitation",
                          "Tipo de explotación", "Moyens de contrôle", "Relation", "Consentement", "Âge", "Idade", "Statut",
                          "Secteur", "Nom", "Téléphone", "Remarques", "ID", "Référence", "Colonne", "X", "Statut du dossier"]

    static let pools: [[String]] = [
        ["F", "M", "femme", "homme", "inconnu", "mujer", "X"],
        ["SEN", "MLI", "FR", "Sénégal", "??", "BR"],
        ["12/03/1990", "1990-03-12", "03/12/1990", "31.12.1985", "2023-01-05T10:00:00", "n/a"],
        ["exploitation sexuelle", "travail forcé; mendicité", "labour + sexual", "domestic_work", "autre", "SexualExploitation"],
        ["menaces + dette", "violence", "isolation", "DebtBondage;FalsePromises"],
        ["oui", "non", "sí", "TRUE", "FALSE", "peut-être"],
        ["famille", "ami", "inconnu", "stranger", "Familial"],
        ["agriculture", "construction", "hôtellerie", "pêche, agriculture", "mines"],
        ["bleu", "quartz", "vélo", "marée"],
        ["12", "45", "7", "99", "130"],
        ["Awa Diallo", "Moussa Sow", "Fatou Ndiaye", "Cheikh Ba", "Khady Fall"],
        ["+221 77 123 45 67", "+221 76 000 11 22", "77 555 66 77"],
    ]

    @Test(arguments: 0..<40) func everyProposalKeepsTheRules(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
        let count = Int.random(in: 1...12, using: &rng)
        var columns: [ColumnSummary] = []
        for i in 0..<count {
            let header = Self.headers.randomElement(using: &rng)! + (Bool.random(using: &rng) ? "" : " \(i)")
            let pool = Self.pools.randomElement(using: &rng)!
            let n = Int.random(in: 0...30, using: &rng)
            columns.append(column(header, i, (0..<n).map { _ in pool.randomElement(using: &rng)! }))
        }
        let p = FieldGuesser.propose(columns)
        #expect(p.columns.map(\.column) == columns.map(\.name))

        var fields: [String] = []
        for (summary, proposal) in zip(columns, p.columns) {
            #expect((0...1).contains(proposal.confidence))
            for f in proposal.dateFormats { #expect(DateFormat(f) != nil, "\(f) is not a format profiles accept") }
            for value in summary.values.keys where value.count >= 4 {
                #expect(!proposal.reasons.contains { $0.contains(value) }, "a reason quotes a value of \(summary.name)")
            }
            guard case .field(let field) = proposal.disposition else {
                #expect(proposal.values.isEmpty || proposal.disposition == .undecided)
                continue
            }
            fields.append(field)
            let valid = Self.validTargets(field)
            for choice in proposal.values {
                if let t = choice.target { #expect(valid(t), "\(t) is not a code of \(field)") }
            }
            if !proposal.split.isEmpty {
                #expect(HTCDS.field(named: field)?.isMultiSelect == true, "split proposed for single-valued \(field)")
            }
        }
        #expect(Set(fields).count == fields.count, "a field proposed for two columns: \(fields)")
        let derived = p.derived.map(\.canonical)
        #expect(Set(derived).isDisjoint(with: fields))
        #expect(p.columns.filter { $0.disposition == .reference }.count <= 1)
    }

    static func validTargets(_ field: String) -> (String) -> Bool {
        if field == ExtensionField.countryOfExploitation.rawValue { return { ISO3166.country($0) != nil } }
        guard let f = HTCDS.field(named: field) else { return { _ in false } }
        switch f.kind {
        case .country: return { ISO3166.country($0) != nil }
        case .boolean: return { $0 == "TRUE" || $0 == "FALSE" }
        default: return { f.codes.contains($0) }
        }
    }

    /// Every word of the vocabulary leads to a code of its field, so no draft can propose a
    /// target the reader refuses.
    @Test func vocabularyTargetsAreCodes() {
        for (field, byCode) in CodeVocabulary.words {
            let codes = HTCDS.field(named: field)?.codes ?? []
            #expect(!codes.isEmpty, "\(field) has no code list")
            for code in byCode.keys { #expect(codes.contains(code), "\(code) is not a code of \(field)") }
        }
        for field in FieldVocabulary.phrases.keys {
            #expect(HTCDS.field(named: field) != nil || ExtensionField(rawValue: field) != nil, "\(field) is no canonical field")
        }
    }

    @Test func foldingIgnoresCaseAccentsAndPunctuation() {
        #expect(TextFold.key("Date_de-NAISSANCE") == "date de naissance")
        #expect(TextFold.key("Nationalité") == "nationalite")
        #expect(TextFold.compact("prs_First_Name") == TextFold.compact("prs_FirstName"))
        #expect(TextFold.key("país de explotación") == "pais de explotacion")
        #expect(TextFold.distance("kitten", "sitting") == 3)
    }
}
