// Partner-format samples: the shared victim model behind `--partner NAME`.
//
// Every value is invented, exactly as for the default cases format (see main.swift):
// names are random pairings from small built-in lists, phone numbers use the
// non-existent country code +000, e-mail addresses use the reserved example.org /
// example.net / example.com domains, streets, organisations and case workers are made up,
// and all free text is assembled from stock phrases. No record describes a real person
// or a real case.
//
// Each partner format draws one `Victim` per record from the seeded SplitMix64 and then
// renders it in that partner's own vocabulary, so the same facts appear as "sexual",
// "sex" or "SexualExploitation" depending on who exported them. Like the default mode,
// output is a pure function of (--partner, --records, --seed); no Foundation is used here.

/// The partner formats `--partner` accepts.
enum Partner: String, CaseIterable {
    case casemgmt
    case casemgmtLatin1 = "casemgmt-latin1"
    case casemgmtBOM = "casemgmt-bom"
    case hotline
    case hotlineDefaultNS = "hotline-default-ns"
    case htcdsTemplate = "htcds-template"
    case htcdsTemplateV1 = "htcds-template-v1"
    case xform
    case bureau

    /// The record count of the shipped sample, used when --records is not given.
    var defaultRecords: Int {
        switch self {
        case .casemgmt: return 1200
        case .casemgmtLatin1: return 60
        case .casemgmtBOM: return 40
        case .hotline: return 800
        case .hotlineDefaultNS: return 50
        case .htcdsTemplate: return 300
        case .htcdsTemplateV1: return 100
        case .xform: return 150
        case .bureau: return 1500
        }
    }

    /// Submission files are numbered with four digits; every other format uses six.
    var maxRecords: Int { self == .xform ? 9999 : 999_999 }

    /// `--partner xform` writes a directory of files; `--out` names the directory.
    var writesDirectory: Bool { self == .xform }

    func render(records: Int, seed: UInt64) -> PartnerOutput {
        switch self {
        case .casemgmt: return .file(CaseMgmt.render(records: records, seed: seed, style: .utf8LF))
        case .casemgmtLatin1: return .file(CaseMgmt.render(records: records, seed: seed, style: .latin1CRLF))
        case .casemgmtBOM: return .file(CaseMgmt.render(records: records, seed: seed, style: .utf8BOMCRLF))
        case .hotline: return .file(Hotline.render(records: records, seed: seed, prefixed: true))
        case .hotlineDefaultNS: return .file(Hotline.render(records: records, seed: seed, prefixed: false))
        case .htcdsTemplate: return .file(HTCDSTemplate.render(records: records, seed: seed, version: .v2))
        case .htcdsTemplateV1: return .file(HTCDSTemplate.render(records: records, seed: seed, version: .v1))
        case .xform: return .directory(XFormSubmissions.render(records: records, seed: seed))
        case .bureau: return .file(FieldOffice.render(records: records, seed: seed))
        }
    }
}

enum PartnerOutput {
    case file([UInt8])
    case directory([(name: String, bytes: [UInt8])])
}

// MARK: - Encodings

enum Bytes {
    static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// ISO-8859-1: each code point ≤ 0xFF becomes the byte of the same value. The text
    /// avoids U+0080–U+009F, so the file decodes identically as Latin-1 and Windows-1252.
    static func latin1(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.unicodeScalars.count)
        for scalar in s.unicodeScalars {
            precondition(scalar.value <= 0xFF && !(0x80...0x9F).contains(scalar.value),
                         "htdx-synth: U+\(String(scalar.value, radix: 16, uppercase: true)) has no Latin-1 byte")
            out.append(UInt8(scalar.value))
        }
        return out
    }

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
}

// MARK: - Calendar helpers

extension Day {
    func adding(days: Int) -> Day { Day(number: number + days) }

    /// dd/MM/yyyy, as a European case-management system prints dates.
    var dayMonthYear: String {
        let (y, m, d) = civil
        return pad(d, 2) + "/" + pad(m, 2) + "/" + pad(y, 4)
    }

    static func random(in year: Int, _ rng: inout SplitMix64) -> Day {
        let jan1 = Day(year: year, month: 1, day: 1)
        return jan1.adding(days: rng.below(Day(year: year + 1, month: 1, day: 1).number - jan1.number))
    }
}

// MARK: - Countries

enum Countries {
    /// ISO 3166-1 alpha-2 → alpha-3 for every country the generators use.
    static let alpha3: [String: String] = [
        "AE": "ARE", "AF": "AFG", "AL": "ALB", "AO": "AGO", "BD": "BGD", "BE": "BEL", "BG": "BGR",
        "BR": "BRA", "BY": "BLR", "CH": "CHE", "CI": "CIV", "CL": "CHL", "CM": "CMR", "CN": "CHN",
        "CO": "COL", "DE": "DEU", "DO": "DOM", "DZ": "DZA", "ER": "ERI", "ES": "ESP", "ET": "ETH",
        "FR": "FRA", "GB": "GBR", "GH": "GHA", "GR": "GRC", "GT": "GTM", "HN": "HND", "HT": "HTI",
        "ID": "IDN", "IN": "IND", "IT": "ITA", "JO": "JOR", "JP": "JPN", "KE": "KEN", "KG": "KGZ",
        "KH": "KHM", "KR": "KOR", "KW": "KWT", "KZ": "KAZ", "LA": "LAO", "LB": "LBN", "LK": "LKA",
        "LY": "LBY", "MA": "MAR", "MD": "MDA", "MM": "MMR", "MX": "MEX", "MY": "MYS", "NG": "NGA",
        "NL": "NLD", "NP": "NPL", "PE": "PER", "PH": "PHL", "PK": "PAK", "PL": "POL", "PT": "PRT",
        "QA": "QAT", "RO": "ROU", "RU": "RUS", "SA": "SAU", "SG": "SGP", "SN": "SEN", "SO": "SOM",
        "SV": "SLV", "SY": "SYR", "TH": "THA", "TJ": "TJK", "TR": "TUR", "UA": "UKR", "UG": "UGA",
        "US": "USA", "UZ": "UZB", "VE": "VEN", "VN": "VNM",
    ]

    static func a3(_ alpha2: String) -> String {
        guard let code = alpha3[alpha2] else { preconditionFailure("htdx-synth: no alpha-3 for \(alpha2)") }
        return code
    }

    /// A few real city names per country, for free-text location fields. A city is not
    /// personal data; it is drawn independently of everything else in the record.
    static let cities: [String: [String]] = [
        "AE": ["Dubai", "Sharjah"], "AL": ["Tirana", "Durrës"], "BD": ["Dhaka", "Khulna"],
        "BG": ["Sofia", "Varna"], "CN": ["Guangzhou", "Kunming"], "CO": ["Medellín", "Cali"],
        "DE": ["Berlin", "Hamburg", "Köln"], "DO": ["Santo Domingo", "Punta Cana"],
        "ES": ["Madrid", "Almería", "Barcelona"], "ET": ["Addis Ababa", "Dessie"],
        "FR": ["Paris", "Marseille"], "GB": ["London", "Birmingham", "Leeds"],
        "GH": ["Accra", "Kumasi"], "GR": ["Athens", "Thessaloniki"], "GT": ["Guatemala City"],
        "HN": ["Tegucigalpa", "San Pedro Sula"], "HT": ["Port-au-Prince", "Cap-Haïtien"],
        "ID": ["Surabaya", "Medan"], "IN": ["Mumbai", "Kolkata", "Delhi"], "IT": ["Rome", "Naples", "Turin"],
        "JO": ["Amman"], "JP": ["Osaka", "Tokyo"], "KE": ["Nairobi", "Mombasa"], "KH": ["Phnom Penh", "Poipet"],
        "KR": ["Busan", "Seoul"], "KW": ["Kuwait City"], "KZ": ["Almaty", "Shymkent"], "LB": ["Beirut"],
        "LY": ["Tripoli", "Sabha"], "MD": ["Chișinău", "Bălți"], "MM": ["Yangon", "Myawaddy"],
        "MX": ["Tijuana", "Tapachula", "Cancún"], "MY": ["Kuala Lumpur", "Johor Bahru"],
        "NG": ["Lagos", "Benin City"], "NL": ["Amsterdam", "Rotterdam"], "NP": ["Kathmandu", "Birgunj"],
        "PE": ["Lima", "Cusco"], "PH": ["Manila", "Cebu City", "Davao"], "PL": ["Warsaw", "Gdańsk"],
        "QA": ["Doha"], "RO": ["Bucharest", "Iași"], "RU": ["Moscow", "Saint Petersburg"],
        "SA": ["Riyadh", "Jeddah"], "SG": ["Singapore"], "TH": ["Bangkok", "Samut Sakhon", "Mae Sot"],
        "TR": ["Istanbul", "Antalya"], "UA": ["Kyiv", "Odesa", "Kharkiv"], "US": ["Houston", "Atlanta", "Los Angeles"],
        "UZ": ["Tashkent", "Samarkand"], "VN": ["Hanoi", "Ho Chi Minh City"],
    ]

    static func city(_ alpha2: String, _ rng: inout SplitMix64) -> String {
        guard let list = cities[alpha2] else { return "" }
        return rng.pick(list)
    }
}

// MARK: - The shared victim model

enum Sex { case female, male, other, unknown }

/// Partner-neutral kinds of exploitation; each format renders them in its own words.
enum Kind { case sexual, labour, begging, criminal, marriage, domestic, other }

enum Sector: String {
    case agriculture, construction, domesticWork = "domestic work", fishing, manufacturing, hospitality, mining
}

/// Means of control in a case worker's words. The raw values are the casemgmt vocabulary.
enum Control: String {
    case debt = "debt bondage", threats, violence, documents = "confiscated documents"
    case wages = "withheld wages", isolation, drugs, family = "threats to family"
    case promises = "false promises", hours = "excessive hours", deportation = "threat of deportation"
    case sexualAbuse = "sexual abuse", money = "no access to money", medical = "denied medical care"
    case food = "food withheld"
}

enum Relation { case intimatePartner, family, friend, employer, stranger, unknown }

/// A country of citizenship with its own name pools, so a name roughly fits it.
struct PartnerOrigin {
    let code: String
    let female: [String]
    let male: [String]
    let last: [String]
    let destinations: [(String, Int)]
}

struct Victim {
    var identified: Day
    var origin: PartnerOrigin
    var exploitationCountry: String  // alpha-2
    var sex: Sex
    var age: Int
    var birth: Day
    var given: String
    var family: String
    var kinds: [Kind]
    var sector: Sector?
    var controls: [Control]
    var relation: Relation
}

enum Victims {
    /// The default-mode corridors and name pools, reused so partner samples share their skew.
    static let standardOrigins: [(PartnerOrigin, Int)] = Corridors.origins.map { o in
        let p = o.names.pools
        return (PartnerOrigin(code: o.code, female: p.female, male: p.male, last: p.last, destinations: o.destinations), o.weight)
    }

    static func sex(_ rng: inout SplitMix64) -> Sex {
        rng.pick([(Sex.female, 620), (.male, 350), (.other, 15), (.unknown, 15)])
    }

    static func primaryKind(_ sex: Sex, minor: Bool, _ rng: inout SplitMix64) -> Kind {
        switch (sex, minor) {
        case (.female, false):
            return rng.pick([(Kind.sexual, 50), (.labour, 18), (.domestic, 10), (.marriage, 8), (.criminal, 4), (.begging, 3), (.other, 7)])
        case (.female, true):
            return rng.pick([(Kind.sexual, 42), (.labour, 10), (.domestic, 6), (.marriage, 18), (.criminal, 7), (.begging, 10), (.other, 7)])
        case (.male, false):
            return rng.pick([(Kind.sexual, 7), (.labour, 66), (.domestic, 3), (.marriage, 1), (.criminal, 12), (.begging, 4), (.other, 7)])
        case (.male, true):
            return rng.pick([(Kind.sexual, 10), (.labour, 33), (.domestic, 2), (.marriage, 2), (.criminal, 27), (.begging, 18), (.other, 8)])
        case (.other, _), (.unknown, _):
            return rng.pick([(Kind.sexual, 55), (.labour, 25), (.criminal, 6), (.begging, 4), (.other, 10)])
        }
    }

    /// Second kinds that co-occur with each first kind in practice.
    static func secondKind(after first: Kind, _ rng: inout SplitMix64) -> Kind {
        switch first {
        case .sexual: return rng.pick([(Kind.labour, 4), (.criminal, 2), (.domestic, 2), (.marriage, 1)])
        case .labour: return rng.pick([(Kind.domestic, 3), (.sexual, 3), (.criminal, 2), (.begging, 1)])
        case .domestic: return rng.pick([(Kind.labour, 3), (.sexual, 2), (.marriage, 2)])
        case .marriage: return rng.pick([(Kind.domestic, 5), (.sexual, 3)])
        case .criminal: return rng.pick([(Kind.labour, 3), (.begging, 2), (.sexual, 1)])
        case .begging: return rng.pick([(Kind.criminal, 3), (.labour, 1)])
        case .other: return rng.pick([(Kind.labour, 2), (.sexual, 1)])
        }
    }

    static func sector(for kinds: [Kind], _ rng: inout SplitMix64) -> Sector? {
        if kinds.contains(.labour) {
            return rng.pick([(Sector.agriculture, 30), (.construction, 22), (.fishing, 10), (.manufacturing, 14),
                             (.hospitality, 12), (.mining, 4), (.domesticWork, 8)])
        }
        if kinds.contains(.domestic) { return .domesticWork }
        return nil
    }

    static func controlPool(_ kind: Kind) -> [(Control, Int)] {
        switch kind {
        case .sexual:
            return [(.debt, 20), (.threats, 16), (.violence, 12), (.documents, 10), (.isolation, 10), (.drugs, 8),
                    (.family, 8), (.promises, 8), (.sexualAbuse, 6), (.wages, 6), (.deportation, 4), (.money, 3)]
        case .labour, .domestic:
            return [(.wages, 20), (.documents, 18), (.debt, 16), (.hours, 14), (.threats, 8), (.promises, 8),
                    (.deportation, 6), (.isolation, 6), (.violence, 4), (.food, 3), (.medical, 2), (.money, 3)]
        case .marriage:
            return [(.isolation, 20), (.family, 16), (.threats, 14), (.violence, 12), (.money, 8), (.sexualAbuse, 6), (.documents, 4)]
        case .criminal, .begging:
            return [(.threats, 20), (.violence, 16), (.debt, 10), (.drugs, 8), (.wages, 12), (.family, 8), (.isolation, 6), (.food, 4)]
        case .other:
            return [(.threats, 10), (.debt, 10), (.documents, 8), (.promises, 8), (.wages, 6), (.isolation, 6)]
        }
    }

    static func relation(_ kind: Kind, _ rng: inout SplitMix64) -> Relation {
        switch kind {
        case .sexual:
            return rng.pick([(Relation.intimatePartner, 24), (.friend, 24), (.stranger, 20), (.family, 10), (.employer, 10), (.unknown, 12)])
        case .labour, .domestic:
            return rng.pick([(Relation.employer, 34), (.stranger, 24), (.friend, 18), (.family, 10), (.intimatePartner, 2), (.unknown, 12)])
        case .marriage:
            return rng.pick([(Relation.family, 70), (.intimatePartner, 12), (.friend, 6), (.unknown, 12)])
        case .criminal, .begging:
            return rng.pick([(Relation.family, 26), (.friend, 22), (.stranger, 22), (.employer, 8), (.intimatePartner, 4), (.unknown, 18)])
        case .other:
            return rng.pick([(Relation.stranger, 30), (.friend, 20), (.employer, 20), (.family, 10), (.unknown, 20)])
        }
    }

    /// One invented victim. `samePermille` is the share exploited in their own country.
    static func draw(_ rng: inout SplitMix64, origins: [(PartnerOrigin, Int)], samePermille: Int = 250) -> Victim {
        let identified = Day.random(in: rng.pick(Synth.yearWeights), &rng)
        let band = rng.pick(Synth.ageBands)
        let age = band.0 + rng.below(band.1 - band.0 + 1)
        let birth = Synth.birthDate(age: age, registration: identified, &rng)
        let sex = sex(&rng)

        let origin = rng.pick(origins)
        let abroad = origin.destinations.filter { $0.0 != origin.code }
        let exploitationCountry = rng.chance(permille: samePermille) || abroad.isEmpty ? origin.code : rng.pick(abroad)

        let given: String
        switch sex {
        case .female: given = rng.pick(origin.female)
        case .male: given = rng.pick(origin.male)
        case .other, .unknown: given = rng.pick(rng.chance(permille: 500) ? origin.female : origin.male)
        }
        let family = rng.pick(origin.last)

        var kinds = [primaryKind(sex, minor: age < 18, &rng)]
        if rng.chance(permille: 220) {
            let second = secondKind(after: kinds[0], &rng)
            if second != kinds[0] { kinds.append(second) }
        }
        let sector = sector(for: kinds, &rng)

        var controls: [Control] = []
        let wanted = rng.pick([(1, 40), (2, 40), (3, 20)])
        let pool = controlPool(kinds[0])
        for _ in 0..<wanted {
            let c = rng.pick(pool)
            if !controls.contains(c) { controls.append(c) }
        }
        let relation = relation(kinds[0], &rng)

        return Victim(identified: identified, origin: origin, exploitationCountry: exploitationCountry, sex: sex,
                      age: age, birth: birth, given: given, family: family, kinds: kinds, sector: sector,
                      controls: controls, relation: relation)
    }
}

// MARK: - Small invented pools shared by several formats

enum Invented {
    /// "+000" is not an ITU country code, so no number here can reach anyone.
    static func phone(_ rng: inout SplitMix64) -> String {
        "+000 " + pad(rng.below(1000), 3) + " " + pad(rng.below(1000), 3) + " " + pad(rng.below(10000), 4)
    }

    static let streets = ["Linden Row", "Harbour Lane", "Quarry Road", "Orchard Close", "Mill Street",
                          "Chapel Walk", "Station Parade", "Willow Court", "Foundry Yard", "Beacon Hill Road"]

    static func street(_ rng: inout SplitMix64) -> String {
        String(1 + rng.below(180)) + " " + rng.pick(streets)
    }

    static let caseWorkers = ["Amara Lindqvist", "Tomasz Brennan", "Nadia Okonjo-Reyes", "Felix Marchetti",
                              "Sunniva Adeyemi", "Rafael Oduya", "Ines Kowalczyk", "Jonah Perlmutter"]

    static let organisations = ["Northbridge Outreach", "Harbour Legal Aid", "Anti-Trafficking Unit, Metro Police",
                                "St. Brigid Shelter", "Migrant Help Desk East", "Labour Inspectorate Region 4",
                                "Safe Passage Network", "Riverside Health Clinic", "Open Door Hotline"]

    /// Lower-case ASCII for e-mail local parts: strips the accents the name pools use.
    static func asciiFold(_ s: String) -> String {
        let map: [Character: String] = [
            "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a", "ă": "a", "é": "e", "è": "e", "ê": "e", "ë": "e",
            "í": "i", "ï": "i", "î": "i", "ó": "o", "ô": "o", "ö": "o", "õ": "o", "ú": "u", "ü": "u", "û": "u",
            "ñ": "n", "ç": "c", "ș": "s", "ş": "s", "ț": "t", "ţ": "t", "ğ": "g", "ı": "i",
        ]
        var out = ""
        for ch in s.lowercased() {
            if let m = map[ch] { out += m } else if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) }
        }
        return out
    }

    static func email(given: String, family: String, _ rng: inout SplitMix64) -> String {
        let g = asciiFold(given), f = asciiFold(family)
        let local: String
        switch rng.below(3) {
        case 0: local = g + "." + f
        case 1: local = String(g.prefix(1)) + f + String(10 + rng.below(90))
        default: local = f + "_" + g + String(rng.below(10))
        }
        return local + "@" + rng.pick(["example.org", "example.net", "example.com"])
    }
}

/// XML character escaping for element text and attribute values.
func xmlEscape(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(ch)
        }
    }
    return out
}
