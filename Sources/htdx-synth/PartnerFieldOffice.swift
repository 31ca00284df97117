// `--partner bureau`: a francophone field office's spreadsheet export, in a shape no shipped
// profile knows: `;`-separated, ISO-8859-1, CRLF, French column names and words, dd/MM/yyyy dates,
// countries written out in French, lists joined by " + ". Every value is invented; see PartnerCore.swift.

enum FieldOffice {
    static let header = [
        "numero_dossier", "nom", "prenom", "sexe", "date_naissance", "nationalite", "pays_exploitation",
        "date_identification", "type_exploitation", "secteur", "moyens_controle", "lien_recruteur",
        "consentement", "telephone", "remarques",
    ]

    /// French short names, as an office types them (all within ISO-8859-1).
    static let frenchName: [String: String] = [
        "SN": "Sénégal", "ML": "Mali", "NE": "Niger", "CI": "Côte d'Ivoire", "BF": "Burkina Faso",
        "GN": "Guinée", "CM": "Cameroun", "HT": "Haïti", "TG": "Togo", "BJ": "Bénin",
        "FR": "France", "BE": "Belgique", "MA": "Maroc", "LY": "Libye", "DZ": "Algérie", "TN": "Tunisie",
        "CH": "Suisse", "MR": "Mauritanie", "GA": "Gabon",
    ]

    static let origins: [(PartnerOrigin, Int)] = {
        let female = ["Aïssatou", "Fatoumata", "Mariama", "Awa", "Hélène", "Adèle", "Rokia", "Kadiatou", "Noëlle"]
        let male = ["Mamadou", "Ousmane", "Moussa", "Ibrahima", "Jérôme", "Aimé", "Cédric", "Boubacar"]
        let last = ["Diallo", "Koné", "Traoré", "Ndiaye", "Sow", "Coulibaly", "Keïta", "Kouamé", "Ouédraogo", "Camara"]
        let north: [(String, Int)] = [("FR", 10), ("BE", 3), ("MA", 4), ("LY", 5), ("DZ", 3), ("TN", 2), ("CH", 1)]
        let west: [(String, Int)] = [("SN", 4), ("CI", 4), ("ML", 3), ("MR", 2), ("GA", 2)]
        func origin(_ code: String, _ weight: Int, _ dest: [(String, Int)]) -> (PartnerOrigin, Int) {
            (PartnerOrigin(code: code, female: female, male: male, last: last, destinations: dest), weight)
        }
        return [origin("SN", 10, north + west), origin("ML", 9, north + west), origin("NE", 8, north),
                origin("CI", 8, north + west), origin("BF", 6, west + north), origin("GN", 6, north + west),
                origin("CM", 5, north), origin("HT", 3, [("FR", 6), ("BE", 1)]), origin("TG", 3, west), origin("BJ", 3, west)]
    }()

    static func word(_ kind: Kind) -> String {
        switch kind {
        case .sexual: return "exploitation sexuelle"
        case .labour: return "travail forcé"
        case .begging: return "mendicité forcée"
        case .criminal: return "criminalité forcée"
        case .marriage: return "mariage forcé"
        case .domestic: return "servitude domestique"
        case .other: return "autre"
        }
    }

    static func word(_ sector: Sector) -> String {
        switch sector {
        case .agriculture: return "agriculture"
        case .construction: return "bâtiment"
        case .domesticWork: return "travail domestique"
        case .fishing: return "pêche"
        case .manufacturing: return "industrie"
        case .hospitality: return "hôtellerie-restauration"
        case .mining: return "mines"
        }
    }

    static func word(_ control: Control) -> String {
        switch control {
        case .debt: return "servitude pour dettes"
        case .threats: return "menaces"
        case .violence: return "violences physiques"
        case .documents: return "papiers confisqués"
        case .wages: return "salaire retenu"
        case .isolation: return "isolement"
        case .drugs: return "drogues"
        case .family: return "menaces contre la famille"
        case .promises: return "fausses promesses"
        case .hours: return "horaires excessifs"
        case .deportation: return "menace d'expulsion"
        case .sexualAbuse: return "violences sexuelles"
        case .money: return "privé d'argent"
        case .medical: return "soins refusés"
        case .food: return "privé de nourriture"
        }
    }

    static func word(_ relation: Relation) -> String {
        switch relation {
        case .intimatePartner: return "partenaire intime"
        case .family: return "famille"
        case .friend: return "ami"
        case .employer: return "employeur"
        case .stranger: return "aucun lien"
        case .unknown: return "inconnu"
        }
    }

    static func sex(_ sex: Sex) -> String {
        switch sex {
        case .female: return "Femme"
        case .male: return "Homme"
        case .other: return "Autre"
        case .unknown: return ""
        }
    }

    static let notes = [
        "Orientée par une association, hébergement d'urgence demandé.",
        "Repérée lors d'un contrôle à la gare, très fatiguée.",
        "Le \"patron\" gardait son passeport; aucun salaire reçu.",
        "Dette du voyage jamais remboursée selon elle.",
        "Rendez-vous médical fixé, interprète nécessaire.",
        "Dossier transmis au coordinateur régional.",
    ]

    static func row(_ v: Victim, _ rng: inout SplitMix64) -> [String] {
        let nationality = rng.chance(permille: 15) ? "inconnu" : frenchName[v.origin.code]!
        let control = rng.chance(permille: 60) ? "" : v.controls.map(word).joined(separator: " + ")
        return [
            v.family.uppercased(), v.given, sex(v.sex), rng.chance(permille: 40) ? "" : v.birth.dayMonthYear,
            nationality, frenchName[v.exploitationCountry]!, v.identified.dayMonthYear,
            v.kinds.map(word).joined(separator: " + "), v.sector.map(word) ?? "", control, word(v.relation),
            rng.chance(permille: 950) ? "oui" : "non", rng.chance(permille: 150) ? "" : Invented.phone(&rng),
            rng.chance(permille: 300) ? "" : rng.pick(notes),
        ]
    }

    static func render(records count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var rows: [(Day, [String])] = []
        rows.reserveCapacity(count)
        for _ in 0..<count {
            let v = Victims.draw(&rng, origins: origins)
            rows.append((v.identified, row(v, &rng)))
        }
        rows = rows.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        var out = header.joined(separator: ";") + "\r\n"
        for (i, row) in rows.enumerated() {
            let (year, _, _) = row.0.civil
            out += (["BT-\(year)-" + pad(i + 1, 5)] + row.1).map(field).joined(separator: ";") + "\r\n"
        }
        return Bytes.latin1(out)
    }

    /// Quoted when it holds the delimiter, a quote or a line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var quoted = "\""
        for ch in s {
            if ch == "\"" { quoted.append("\"") }
            quoted.append(ch)
        }
        return quoted + "\""
    }
}
