// `--partner casemgmt` (and its -latin1 / -bom variants): a flat CSV export from an
// invented case-management system. Every value is invented; see PartnerCore.swift.

enum CaseMgmt {
    enum Style {
        /// UTF-8, no BOM, LF record ends (Examples/partners/casemgmt.csv).
        case utf8LF
        /// ISO-8859-1 bytes, CRLF record ends, accented names and notes (casemgmt-latin1.csv).
        case latin1CRLF
        /// UTF-8 with a BOM, CRLF record ends (casemgmt-bom.csv).
        case utf8BOMCRLF

        var lineEnd: String { self == .utf8LF ? "\n" : "\r\n" }
    }

    static let header = [
        "case_id", "full_name", "date_of_birth", "sex", "nationality", "country_of_exploitation",
        "date_identified", "exploitation_types", "labour_sector", "means_of_control",
        "recruiter_relation", "phone", "notes",
    ]

    static func word(_ kind: Kind) -> String {
        switch kind {
        case .sexual: return "sexual"
        case .labour: return "labour"
        case .begging: return "begging"
        case .criminal: return "criminal"
        case .marriage: return "marriage"
        case .domestic: return "domestic"
        case .other: return "other"
        }
    }

    static func word(_ relation: Relation) -> String {
        switch relation {
        case .intimatePartner: return "intimate partner"
        case .family: return "family"
        case .friend: return "friend"
        case .employer: return "employer"
        case .stranger: return "stranger"
        case .unknown: return ""
        }
    }

    static func sexCode(_ sex: Sex) -> String {
        switch sex {
        case .female: return "F"
        case .male: return "M"
        case .other: return "X"
        case .unknown: return ""
        }
    }

    /// The default-mode note builder speaks in the default vocabulary of exploitation.
    static func legacy(_ kind: Kind) -> Exploitation {
        switch kind {
        case .sexual: return .sexual
        case .labour, .domestic: return .labour
        case .begging: return .begging
        case .criminal: return .criminal
        case .marriage: return .marriage
        case .other: return .other
        }
    }

    // Name pools for the Latin-1 sample: every character fits in ISO-8859-1 (no ș, ț, ă,
    // ş or ı), and most names carry an accent so a wrong decoding shows at once.
    static let latinOrigins: [(PartnerOrigin, Int)] = {
        let hispanic = (female: ["María", "Begoña", "Inés", "Lucía", "Ángela", "Sofía", "Rocío"],
                        male: ["José", "Ramón", "Andrés", "Jesús", "Germán", "Joaquín", "Iñigo"],
                        last: ["Muñoz", "Núñez", "Peña", "Hernández", "Ibáñez", "Gómez", "Castañeda", "Ordóñez"])
        let francophone = (female: ["Françoise", "Aïssatou", "Hélène", "Mélanie", "Adèle", "Noëlle", "Rosalie"],
                           male: ["François", "Jérôme", "Mamadou", "Léon", "Thierry", "Aimé", "Cédric"],
                           last: ["Diallo", "Koné", "Traoré", "Ndiaye", "Lefèvre", "Béranger", "Kouamé", "Dupré"])
        let lusophone = (female: ["Conceição", "Fátima", "Luísa", "Graça", "Joana", "Lúcia"],
                         male: ["João", "Sebastião", "Antônio", "Luís", "Vinícius", "Tomé"],
                         last: ["Gonçalves", "Araújo", "Simões", "Magalhães", "Brandão", "Guimarães"])
        let turkish = (female: ["Gül", "Ümran", "Özlem", "Gülten", "Müge"],
                       male: ["Ümit", "Cüneyt", "Gökhan", "Onur", "Oğuz"],
                       last: ["Öztürk", "Çelik", "Özdemir", "Ünal", "Türkmen", "Güler"])
        let german = (female: ["Jördis", "Käthe", "Sünje", "Lena", "Bärbel"],
                      male: ["Jürgen", "Jörg", "Björn", "Lukas", "Günther"],
                      last: ["Müller", "Schäfer", "Krüger", "Weiß", "Böhm", "Förster"])
        func origin(_ code: String, _ p: (female: [String], male: [String], last: [String]),
                    _ dest: [(String, Int)], _ weight: Int) -> (PartnerOrigin, Int) {
            (PartnerOrigin(code: code, female: p.female, male: p.male, last: p.last, destinations: dest), weight)
        }
        let toSpain: [(String, Int)] = [("ES", 10), ("US", 6), ("MX", 3)]
        let toFrance: [(String, Int)] = [("FR", 10), ("BE", 4), ("ES", 3), ("IT", 3), ("MA", 1)]
        let toPortugal: [(String, Int)] = [("PT", 8), ("ES", 4), ("FR", 3), ("CH", 2)]
        let toGermany: [(String, Int)] = [("DE", 10), ("CH", 3), ("NL", 3), ("BE", 2)]
        return [
            origin("HN", hispanic, toSpain, 8), origin("GT", hispanic, toSpain, 6), origin("CO", hispanic, toSpain, 8),
            origin("VE", hispanic, toSpain, 6), origin("SN", francophone, toFrance, 6), origin("CI", francophone, toFrance, 6),
            origin("CM", francophone, toFrance, 5), origin("HT", francophone, toFrance, 4), origin("BR", lusophone, toPortugal, 7),
            origin("AO", lusophone, toPortugal, 4), origin("TR", turkish, toGermany, 6), origin("DE", german, toGermany, 4),
        ]
    }()

    enum LatinNotes {
        static let intake = [
            "Derivada por la policía tras una inspección, muy nerviosa.",
            "Signalée par une association de quartier, hébergement d'urgence demandé.",
            "Über eine Beratungsstelle vermittelt, Dolmetscher nötig.",
            "Encaminhada pela assistência social, sem documentos.",
            "Llamó a la línea de ayuda desde el teléfono de una compañera.",
            "Repérée lors d'un contrôle à la gare, très fatiguée.",
        ]
        static let situation = [
            "Le \"patron\" gardait son passeport, aucun salaire reçu.",
            "Trabajó en el campo, 14 horas al día, sin día de descanso.",
            "La deuda del viaje \"nunca se terminaba\", según ella.",
            "Déplacée chaque semaine entre deux villes, téléphone confisqué.",
            "Musste in einer Großküche arbeiten, Lohn einbehalten, Pass weg.",
            "Prometeram emprego num hotel; acabou em condições de exploração.",
            "Mariage arrangé par la famille, interdite de sortir seule.",
            "Obligado a vender mercancía en la calle, amenazas a su familia.",
            "Façon de contrôle : dette, menaces, isolement.",
        ]
        static let action = [
            "Refugio asignado, seguimiento con abogada.",
            "Rückkehr ins Herkunftsland gewünscht.",
            "Rendez-vous médical fixé, interprète nécessaire.",
            "Aguarda decisão sobre período de reflexão.",
            "Niña de la compañera también atendida; señal de alerta.",
            "Dossier transmis au coordinateur régional.",
        ]

        static func make(_ rng: inout SplitMix64, lineEnd: String) -> String {
            if rng.chance(permille: 40) { return "" }
            var parts: [String] = []
            if rng.chance(permille: 700) { parts.append(rng.pick(intake)) }
            parts.append(rng.pick(situation))
            if rng.chance(permille: 600) { parts.append(rng.pick(action)) }
            if rng.chance(permille: 80) {
                return "Résumé d'entretien :" + lineEnd + parts.map { "- " + $0 }.joined(separator: lineEnd)
            }
            return parts.joined(separator: " ")
        }
    }

    static func row(_ v: Victim, style: Style, _ rng: inout SplitMix64) -> [String] {
        // A few names were typed "Family, Given" into the single name box.
        let fullName = rng.chance(permille: 30) ? v.family + ", " + v.given : v.given + " " + v.family
        let dob = rng.chance(permille: 50) ? "" : v.birth.dayMonthYear
        let sex = rng.chance(permille: 10) ? "" : sexCode(v.sex)
        let nationality = rng.chance(permille: 20) ? "" : Countries.a3(v.origin.code)
        let types = v.kinds.map(word).joined(separator: ";")
        let control = rng.chance(permille: 80) ? "" : v.controls.map(\.rawValue).joined(separator: " + ")
        let phone = rng.chance(permille: 120) ? "" : Invented.phone(&rng)
        let notes: String
        switch style {
        case .latin1CRLF:
            notes = LatinNotes.make(&rng, lineEnd: style.lineEnd)
        case .utf8LF, .utf8BOMCRLF:
            // Notes typed in a Windows tool carry CRLF inside the cell as well.
            let text = Notes.make(legacy(v.kinds[0]), &rng)
            notes = style == .utf8LF ? text : text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        }
        return [fullName, dob, sex, nationality, Countries.a3(v.exploitationCountry), v.identified.iso, types,
                v.sector?.rawValue ?? "", control, word(v.relation), phone, notes]
    }

    static func render(records count: Int, seed: UInt64, style: Style) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let origins = style == .latin1CRLF ? latinOrigins : Victims.standardOrigins
        var rows: [(Day, [String])] = []
        rows.reserveCapacity(count)
        for _ in 0..<count {
            let v = Victims.draw(&rng, origins: origins)
            rows.append((v.identified, row(v, style: style, &rng)))
        }
        // Case numbers follow identification order; the generation index breaks ties.
        rows = rows.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)

        let end = style.lineEnd
        var out = header.joined(separator: ",") + end
        for (i, row) in rows.enumerated() {
            out += (["CM-" + pad(i + 1, 6)] + row.1).map(Synth.field).joined(separator: ",") + end
        }
        switch style {
        case .utf8LF: return Bytes.utf8(out)
        case .latin1CRLF: return Bytes.latin1(out)
        case .utf8BOMCRLF: return Bytes.utf8BOM + Bytes.utf8(out)
        }
    }
}
