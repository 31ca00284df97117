// The record model behind htdx-synth. Every value here is invented; see main.swift.
//
// The weights are hand-tuned to resemble the shape of published counter-trafficking
// statistics (many young adults, a fifth minors, regional migration corridors, a
// gender/exploitation correlation), so that the anonymiser faces realistic skew:
// a few large equivalence classes and a long tail that needs generalising or
// suppressing. They are not estimates of anything.

/// SplitMix64: tiny, fast, and fully specified, so the same seed gives the same
/// bytes on every platform and Swift version (SystemRandomNumberGenerator cannot be seeded).
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n by multiply-high (Lemire) rather than `%`, which is biased.
    /// Bias left is below 2^-50 for our n, and no rejection loop means a fixed draw count.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    mutating func chance(permille: Int) -> Bool { below(1000) < permille }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func pick<T>(_ items: [(T, Int)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var r = below(total)
        for (item, weight) in items {
            if r < weight { return item }
            r -= weight
        }
        preconditionFailure("weights exhausted")
    }
}

/// Proleptic Gregorian day numbers (days since 1970-01-01), after Howard Hinnant's
/// civil-calendar algorithms: avoids Foundation's Calendar, whose time-zone and
/// locale handling we would otherwise have to pin down.
struct Day: Comparable {
    let number: Int

    init(number: Int) { self.number = number }

    init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146_097 + doe - 719_468
    }

    var civil: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    var iso: String {
        let (y, m, d) = civil
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// Completed years at `date`: the birthday counts once its (month, day) is reached,
    /// so 29 February birthdays tick over on 1 March in common years.
    func age(at date: Day) -> Int {
        let b = civil, r = date.civil
        let beforeBirthday = (r.month, r.day) < (b.month, b.day)
        return r.year - b.year - (beforeBirthday ? 1 : 0)
    }

    static func < (a: Day, b: Day) -> Bool { a.number < b.number }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

enum Gender: String {
    case female = "Female", male = "Male", nonConforming = "Transgender/NonConforming", unknown = ""
}

enum Exploitation: String {
    case sexual = "SexualExploitation", labour = "ForcedLabour", marriage = "ForcedMarriage"
    case criminal = "ForcedCriminalActivity", begging = "Begging", other = "Other"
}

/// Name pools keyed by broad region, so a name roughly fits its citizenship.
enum NameGroup: CaseIterable {
    case eastSlavic, romanian, balkan, southeastAsia, westAfrica, eastAfrica, southAsia
    case hispanic, haitian, chinese, centralAsia, westAsia, anglophone

    var pools: (female: [String], male: [String], last: [String]) {
        switch self {
        case .eastSlavic:
            return (["Olena", "Iryna", "Natalia", "Svitlana", "Yulia", "Oksana", "Anastasia"],
                    ["Andriy", "Dmytro", "Serhiy", "Oleksandr", "Ivan", "Mykola", "Pavel"],
                    ["Kovalenko", "Shevchuk", "Bondar", "Melnyk", "Tkachenko", "Kravets", "Moroz", "Savchenko"])
        case .romanian:
            return (["Elena", "Ioana", "Mihaela", "Andreea", "Cristina", "Daniela"],
                    ["Andrei", "Ionuț", "Mihai", "Florin", "Vasile", "Adrian"],
                    ["Popescu", "Ionescu", "Rusu", "Munteanu", "Ciobanu", "Lungu", "Ceban", "Stan"])
        case .balkan:
            return (["Elira", "Besa", "Anisa", "Teodora", "Desislava", "Mariya"],
                    ["Arben", "Ermal", "Dritan", "Georgi", "Ivaylo", "Nikolay"],
                    ["Hoxha", "Kola", "Shehu", "Leka", "Gashi", "Marku", "Stoyanov", "Petrov"])
        case .southeastAsia:
            return (["Maria", "Jocelyn", "Rowena", "Siti", "Dewi", "Lan", "Huong", "Sreymom", "Thida"],
                    ["Ronaldo", "Jerome", "Budi", "Agus", "Minh", "Tuan", "Sokha", "Aung", "Somchai"],
                    ["Santos", "Reyes", "Dela Cruz", "Wijaya", "Susanto", "Nguyen", "Tran", "Chea", "Win", "Phommasack"])
        case .westAfrica:
            return (["Blessing", "Chiamaka", "Abena", "Favour", "Akosua", "Ngozi"],
                    ["Emeka", "Kwame", "Chinedu", "Kofi", "Tunde", "Yaw"],
                    ["Okafor", "Mensah", "Adeyemi", "Boateng", "Okonkwo", "Asante", "Eze", "Owusu"])
        case .eastAfrica:
            return (["Tigist", "Selam", "Wanjiru", "Nakato", "Hiwot", "Amina"],
                    ["Dawit", "Yonas", "Otieno", "Kato", "Tesfaye", "Abdi"],
                    ["Bekele", "Haile", "Mwangi", "Okello", "Tesfay", "Kiprop", "Mohamed", "Ochieng"])
        case .southAsia:
            return (["Sita", "Fatema", "Priya", "Nadeesha", "Sunita", "Ayesha"],
                    ["Ramesh", "Rahim", "Arjun", "Kasun", "Bikash", "Imran"],
                    ["Tamang", "Rahman", "Kumar", "Perera", "Gurung", "Hossain", "Sharma", "Khan"])
        case .hispanic:
            return (["María", "Yesenia", "Daniela", "Gabriela", "Rosa", "Karla"],
                    ["José", "Luis", "Carlos", "Jorge", "Kevin", "Miguel"],
                    ["Hernández", "García", "López", "Martínez", "Rodríguez", "Pérez", "Ramírez", "Morales"])
        case .haitian:
            return (["Marie", "Guerline", "Nadège", "Fabienne", "Rose-Laure"],
                    ["Jean", "Wilner", "Frantz", "Jean-Claude", "Peterson"],
                    ["Pierre", "Joseph", "Jean-Baptiste", "Louis", "Charles", "Saint-Fleur"])
        case .chinese:
            return (["Li Na", "Mei", "Xiuying", "Hui", "Yan"],
                    ["Wei", "Jun", "Hao", "Lei", "Qiang"],
                    ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang"])
        case .centralAsia:
            return (["Aizhan", "Dilnoza", "Gulnara", "Madina", "Nigora", "Zarina"],
                    ["Bakyt", "Rustam", "Farrukh", "Aziz", "Timur", "Jamshid"],
                    ["Karimov", "Toshmatov", "Rakhimov", "Abdullaev", "Nazarov", "Usmonov"])
        case .westAsia:
            return (["Fatima", "Layla", "Rania", "Nour", "Maryam", "Huda"],
                    ["Ahmad", "Omar", "Khaled", "Yusuf", "Hassan", "Samir"],
                    ["Al-Hassan", "Haddad", "Khalil", "Saleh", "Ahmadi", "Rahimi"])
        case .anglophone:
            return (["Jessica", "Ashley", "Emily", "Sarah", "Megan", "Chloe"],
                    ["James", "Tyler", "Daniel", "Ryan", "Jordan", "Connor"],
                    ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davis", "O'Neill", "Walker"])
        }
    }
}

/// A country of citizenship with the corridors its victims are typically moved along.
/// `domesticPermille` is the share exploited in their own country: high for rich
/// destination countries, where most identified victims are nationals.
struct Origin {
    let code: String
    let weight: Int
    let names: NameGroup
    let destinations: [(String, Int)]
    let domesticPermille: Int
}

enum Corridors {
    // Destinations are weighted per origin region, so (citizenship, country of
    // exploitation) pairs cluster the way real corridors do instead of being independent.
    static let easternEurope: [(String, Int)] =
        [("PL", 16), ("RU", 12), ("DE", 12), ("IT", 5), ("GB", 5), ("NL", 2), ("ES", 2), ("FR", 1), ("TR", 1)]
    static let balkans: [(String, Int)] =
        [("IT", 8), ("GR", 6), ("GB", 6), ("DE", 3), ("FR", 1)]
    static let southeastAsia: [(String, Int)] =
        [("MY", 22), ("TH", 20), ("SG", 4), ("SA", 7), ("AE", 3), ("KW", 2), ("CN", 3), ("JP", 1)]
    static let westAfrica: [(String, Int)] =
        [("IT", 12), ("ES", 4), ("GB", 4), ("LY", 6), ("DE", 3), ("FR", 2), ("SA", 1)]
    static let eastAfrica: [(String, Int)] =
        [("SA", 16), ("AE", 6), ("KW", 4), ("QA", 3), ("LY", 5), ("KE", 4), ("IT", 1)]
    static let southAsia: [(String, Int)] =
        [("IN", 12), ("AE", 10), ("SA", 9), ("QA", 5), ("KW", 3), ("MY", 4)]
    static let centralAmerica: [(String, Int)] =
        [("US", 24), ("MX", 8), ("GT", 2)]
    static let southAmerica: [(String, Int)] =
        [("CO", 8), ("PE", 4), ("CL", 3), ("US", 4), ("MX", 2), ("ES", 2)]
    static let caribbean: [(String, Int)] =
        [("DO", 14), ("US", 6), ("CL", 1), ("MX", 1)]
    static let eastAsia: [(String, Int)] =
        [("US", 4), ("MY", 3), ("TH", 2), ("JP", 4), ("KR", 3), ("GB", 1)]
    static let centralAsia: [(String, Int)] =
        [("RU", 20), ("KZ", 8), ("TR", 4), ("AE", 2), ("KR", 1)]
    static let westAsia: [(String, Int)] =
        [("TR", 12), ("LB", 6), ("JO", 4), ("DE", 3)]
    static let wealthy: [(String, Int)] =
        [("US", 3), ("GB", 2), ("DE", 2), ("NL", 1), ("ES", 1), ("AE", 1), ("TH", 1), ("MX", 1)]

    // Origins are deliberately top-heavy, as in published counts: a handful of
    // nationalities make up half the cases and the rest form a long tail.
    static let origins: [Origin] = [
        Origin(code: "UA", weight: 110, names: .eastSlavic, destinations: easternEurope, domesticPermille: 300),
        Origin(code: "MD", weight: 60, names: .romanian, destinations: easternEurope, domesticPermille: 150),
        Origin(code: "RO", weight: 55, names: .romanian, destinations: easternEurope, domesticPermille: 300),
        Origin(code: "BG", weight: 25, names: .balkan, destinations: easternEurope, domesticPermille: 250),
        Origin(code: "BY", weight: 10, names: .eastSlavic, destinations: easternEurope, domesticPermille: 200),
        Origin(code: "AL", weight: 20, names: .balkan, destinations: balkans, domesticPermille: 150),
        Origin(code: "PH", weight: 140, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 300),
        Origin(code: "ID", weight: 50, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 250),
        Origin(code: "MM", weight: 35, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 150),
        Origin(code: "KH", weight: 25, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 200),
        Origin(code: "VN", weight: 45, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 200),
        Origin(code: "LA", weight: 10, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 100),
        Origin(code: "TH", weight: 10, names: .southeastAsia, destinations: southeastAsia, domesticPermille: 600),
        Origin(code: "NG", weight: 60, names: .westAfrica, destinations: westAfrica, domesticPermille: 300),
        Origin(code: "GH", weight: 20, names: .westAfrica, destinations: westAfrica, domesticPermille: 300),
        Origin(code: "ET", weight: 30, names: .eastAfrica, destinations: eastAfrica, domesticPermille: 150),
        Origin(code: "ER", weight: 12, names: .eastAfrica, destinations: eastAfrica, domesticPermille: 50),
        Origin(code: "KE", weight: 20, names: .eastAfrica, destinations: eastAfrica, domesticPermille: 250),
        Origin(code: "UG", weight: 20, names: .eastAfrica, destinations: eastAfrica, domesticPermille: 200),
        Origin(code: "SO", weight: 6, names: .eastAfrica, destinations: eastAfrica, domesticPermille: 100),
        Origin(code: "NP", weight: 30, names: .southAsia, destinations: southAsia, domesticPermille: 250),
        Origin(code: "BD", weight: 30, names: .southAsia, destinations: southAsia, domesticPermille: 250),
        Origin(code: "IN", weight: 35, names: .southAsia, destinations: southAsia, domesticPermille: 550),
        Origin(code: "LK", weight: 10, names: .southAsia, destinations: southAsia, domesticPermille: 150),
        Origin(code: "PK", weight: 10, names: .southAsia, destinations: southAsia, domesticPermille: 300),
        Origin(code: "AF", weight: 8, names: .westAsia, destinations: southAsia, domesticPermille: 150),
        Origin(code: "HT", weight: 15, names: .haitian, destinations: caribbean, domesticPermille: 200),
        Origin(code: "DO", weight: 6, names: .hispanic, destinations: caribbean, domesticPermille: 400),
        Origin(code: "VE", weight: 20, names: .hispanic, destinations: southAmerica, domesticPermille: 100),
        Origin(code: "CO", weight: 20, names: .hispanic, destinations: southAmerica, domesticPermille: 400),
        Origin(code: "HN", weight: 30, names: .hispanic, destinations: centralAmerica, domesticPermille: 200),
        Origin(code: "SV", weight: 20, names: .hispanic, destinations: centralAmerica, domesticPermille: 200),
        Origin(code: "GT", weight: 25, names: .hispanic, destinations: centralAmerica, domesticPermille: 250),
        Origin(code: "MX", weight: 50, names: .hispanic, destinations: centralAmerica, domesticPermille: 500),
        Origin(code: "CN", weight: 25, names: .chinese, destinations: eastAsia, domesticPermille: 300),
        Origin(code: "KG", weight: 10, names: .centralAsia, destinations: centralAsia, domesticPermille: 150),
        Origin(code: "UZ", weight: 25, names: .centralAsia, destinations: centralAsia, domesticPermille: 150),
        Origin(code: "TJ", weight: 10, names: .centralAsia, destinations: centralAsia, domesticPermille: 100),
        Origin(code: "SY", weight: 15, names: .westAsia, destinations: westAsia, domesticPermille: 150),
        Origin(code: "US", weight: 80, names: .anglophone, destinations: wealthy, domesticPermille: 950),
        Origin(code: "GB", weight: 20, names: .anglophone, destinations: wealthy, domesticPermille: 900),
    ]
}

enum Notes {
    // Sentences are stock phrases, never about anyone. Several carry commas or quotes
    // on purpose, so the example exercises CSV quoting in every consumer.
    static let intake = [
        "Referred by outreach team after a labour inspection.",
        "Self-referred via hotline, caller was anxious but cooperative.",
        "Identified at a border crossing while travelling with a recruiter.",
        "Referred by a hospital social worker.",
        "Police referral following a workplace inspection.",
        "Walked into the drop-in centre, asked for help with documents.",
        "Referred by a partner NGO in the country of origin.",
        "Contacted the hotline through a relative abroad.",
    ]
    static let situation: [Exploitation: [String]] = [
        .sexual: [
            "Was told the job was in a restaurant; it was not.",
            "Recruiter promised \"good money\" and a \"free ticket\".",
            "Moved between three cities, always at night.",
            "Debt for travel and lodging kept growing, never repaid.",
        ],
        .labour: [
            "Worked 14-hour shifts, no days off, wages withheld.",
            "Passport kept by the employer \"for safekeeping\".",
            "Lived on site in a shared container with no heating.",
            "Recruitment fee deducted from wages, month after month.",
        ],
        .marriage: [
            "Marriage arranged by relatives without consent.",
            "Was told: \"you will marry or leave the house\".",
            "Not allowed to leave the house alone, phone taken.",
        ],
        .criminal: [
            "Forced to transport packages across the city.",
            "Made to work on a cannabis farm, locked in at night.",
            "Forced to steal from shops, threatened with violence.",
        ],
        .begging: [
            "Made to beg at a railway station, earnings taken.",
            "Brought to the city by an \"uncle\" and made to beg.",
        ],
        .other: [
            "Circumstances unclear, assessment ongoing.",
            "Forced to run online scams, targets set daily.",
            "Domestic servitude suspected, still being assessed.",
        ],
    ]
    static let action = [
        "Shelter placement arranged.",
        "Follow-up scheduled with legal aid, interpreter needed.",
        "Declined shelter, wants to return home.",
        "Medical check completed; no urgent needs.",
        "Case handed to the regional coordinator.",
        "Awaiting a reflection-period decision.",
        "Safe repatriation requested.",
    ]

    static func make(_ type: Exploitation, _ rng: inout SplitMix64) -> String {
        if rng.chance(permille: 40) { return "" }
        var parts: [String] = []
        if rng.chance(permille: 700) { parts.append(rng.pick(intake)) }
        parts.append(rng.pick(situation[type]!))
        if rng.chance(permille: 600) { parts.append(rng.pick(action)) }
        // A few notes are typed as multi-line lists, as case workers do, so embedded
        // LFs inside quoted fields are part of the example.
        if rng.chance(permille: 30) {
            return "Intake summary:\n" + parts.map { "- " + $0 }.joined(separator: "\n")
        }
        return parts.joined(separator: " ")
    }
}

struct Record {
    var registration: Day
    var fields: [String]  // every column except caseId, which is assigned after sorting
}

enum Synth {
    static let header = [
        "caseId", "fullName", "dateOfBirth", "gender", "ageAtRegistration", "citizenship",
        "countryOfExploitation", "typeOfExploitation", "registrationDate", "yearOfRegistration",
        "dataSource", "consent", "traffickingStatus", "typeOfSexualExploitation", "notes",
    ]

    // Identified cases rise over the decade with a dip in 2020 (pandemic): the year
    // marginal should not be flat, or year generalisation would be trivially cheap.
    static let yearWeights: [(Int, Int)] = [
        (2015, 7), (2016, 8), (2017, 9), (2018, 10), (2019, 11),
        (2020, 7), (2021, 10), (2022, 12), (2023, 13), (2024, 13),
    ]

    // Roughly a fifth minors, most cases aged 18–35, a thin tail to 80.
    static let ageBands: [((Int, Int), Int)] = [
        ((0, 11), 15), ((12, 17), 185), ((18, 25), 330), ((26, 35), 280),
        ((36, 45), 130), ((46, 60), 55), ((61, 80), 5),
    ]

    static func gender(_ rng: inout SplitMix64) -> Gender {
        rng.pick([(Gender.female, 625), (.male, 365), (.nonConforming, 10)])
    }

    static func exploitation(_ gender: Gender, minor: Bool, _ rng: inout SplitMix64) -> Exploitation {
        switch (gender, minor) {
        case (.female, false):
            return rng.pick([(Exploitation.sexual, 55), (.labour, 22), (.marriage, 9), (.criminal, 4), (.begging, 3), (.other, 7)])
        case (.female, true):
            return rng.pick([(Exploitation.sexual, 45), (.labour, 12), (.marriage, 18), (.criminal, 7), (.begging, 10), (.other, 8)])
        case (.male, false):
            return rng.pick([(Exploitation.sexual, 8), (.labour, 70), (.marriage, 1), (.criminal, 10), (.begging, 4), (.other, 7)])
        case (.male, true):
            return rng.pick([(Exploitation.sexual, 12), (.labour, 35), (.marriage, 2), (.criminal, 25), (.begging, 18), (.other, 8)])
        case (.nonConforming, _):
            return rng.pick([(Exploitation.sexual, 70), (.labour, 15), (.criminal, 5), (.begging, 3), (.other, 7)])
        case (.unknown, _):
            return rng.pick([(Exploitation.sexual, 35), (.labour, 40), (.marriage, 4), (.criminal, 7), (.begging, 5), (.other, 9)])
        }
    }

    /// A birth date that yields exactly `age` completed years on `registration`.
    /// Rejection sampling over the two candidate birth years is simpler to trust than
    /// reasoning about leap days; it needs about two draws on average.
    static func birthDate(age: Int, registration: Day, _ rng: inout SplitMix64) -> Day {
        let latest = Day(year: registration.civil.year - age, month: 12, day: 31)
        let earliest = Day(year: registration.civil.year - age - 1, month: 1, day: 1)
        while true {
            let candidate = Day(number: earliest.number + rng.below(latest.number - earliest.number + 1))
            if candidate <= registration && candidate.age(at: registration) == age { return candidate }
        }
    }

    static func record(_ rng: inout SplitMix64) -> Record {
        let year = rng.pick(yearWeights)
        let jan1 = Day(year: year, month: 1, day: 1)
        let registration = Day(number: jan1.number + rng.below(Day(year: year + 1, month: 1, day: 1).number - jan1.number))
        let source = rng.chance(permille: 800) ? "CaseManagement" : "Hotline"
        // Some hotline tips come from third parties who know little about the person, so
        // their gaps come together. Missingness that co-occurs (rather than independent
        // per column) is what real intake data looks like, and it keeps the empty cells
        // from scattering into one-record equivalence classes.
        let sparse = source == "Hotline" && rng.chance(permille: 140)

        let band = rng.pick(ageBands)
        let age = band.0 + rng.below(band.1 - band.0 + 1)
        let dob = sparse || rng.chance(permille: 26) ? "" : birthDate(age: age, registration: registration, &rng).iso

        let drawn = gender(&rng)
        let gender = (sparse && rng.chance(permille: 450)) || rng.chance(permille: 8) ? Gender.unknown : drawn
        let type = exploitation(gender, minor: age < 18, &rng)

        let origin = rng.pick(Corridors.origins.map { ($0, $0.weight) })
        let citizenship = (sparse && rng.chance(permille: 950)) || rng.chance(permille: 3) ? "" : origin.code
        let exploitationCountry: String
        if (sparse && rng.chance(permille: 700)) || rng.chance(permille: 1) {
            exploitationCountry = ""
        } else if rng.chance(permille: origin.domesticPermille) {
            exploitationCountry = origin.code
        } else {
            exploitationCountry = rng.pick(origin.destinations)
        }

        let pools = origin.names.pools
        let first: String
        switch gender {
        case .female: first = rng.pick(pools.female)
        case .male: first = rng.pick(pools.male)
        case .nonConforming, .unknown: first = rng.pick(rng.chance(permille: 500) ? pools.female : pools.male)
        }
        let fullName = first + " " + rng.pick(pools.last)

        let notes = Notes.make(type, &rng)

        return Record(registration: registration, fields: [
            fullName, dob, gender.rawValue, String(age), citizenship, exploitationCountry,
            type.rawValue, registration.iso, String(year), source, notes,
        ])
    }

    /// Consent (HTCDS `con_Consent`: TRUE, FALSE, or not recorded), the trafficking status
    /// (`vic_TraffickingStatus` codes) and the type of sexual exploitation (`vic_TypeOfSexExploitation`,
    /// only for sexual exploitation, and not always known). Hotlines record consent less often.
    static func intake(type: String, source: String, _ rng: inout SplitMix64) -> [String] {
        let consent = source == "Hotline"
            ? rng.pick([("TRUE", 860), ("FALSE", 30), ("", 110)])
            : rng.pick([("TRUE", 955), ("FALSE", 20), ("", 25)])
        let status = rng.pick([("ActualVictimOfTrafficking", 790), ("PossibleVictimOfTrafficking", 180), ("NotAVictimOfTrafficking", 30)])
        let detail = type == Exploitation.sexual.rawValue
            ? rng.pick([("Prostitution", 600), ("PrivateSexualServices", 150), ("Pornography", 100), ("RemoteInteractiveServices", 50), ("", 100)])
            : ""
        return [consent, status, detail]
    }

    /// RFC 4180 quoting, only where needed, so most lines stay readable.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var quoted = "\""
        for ch in s {
            if ch == "\"" { quoted.append("\"") }
            quoted.append(ch)
        }
        return quoted + "\""
    }

    static func csv(records count: Int, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        var rows = (0..<count).map { _ in record(&rng) }
        // Case numbers follow registration order, as a case-management system issues them;
        // the generation index breaks ties, since Swift does not promise a stable sort.
        rows = rows.enumerated().sorted {
            ($0.element.registration, $0.offset) < ($1.element.registration, $1.offset)
        }.map(\.element)

        // Consent, status and the detail of sexual exploitation come from a stream of their own,
        // so that adding them left every other column of the shipped sample as it was.
        var extra = SplitMix64(seed: seed ^ 0x00C0_4E57_57A7_0500)
        var out = header.joined(separator: ",") + "\n"
        for (i, row) in rows.enumerated() {
            var fields = row.fields
            fields.insert(contentsOf: intake(type: fields[6], source: fields[9], &extra), at: fields.count - 1)
            let line = (["SYN-" + pad(i + 1, 6)] + fields).map(field).joined(separator: ",")
            out += line + "\n"
        }
        return out
    }
}
