import Foundation
import TestSupport

/// A field office's export in a shape no shipped profile knows: `;`-delimited, Latin-1, French
/// headers and words, dd/MM/yyyy dates, countries by French name or ISO code, lists joined by " + ",
/// names, phone numbers and free text. Seeded, so that every run writes the same bytes.
struct FrenchExportFixture {
    static let header = ["numero_dossier", "nom", "prenom", "sexe", "date_naissance", "nationalite", "pays_exploitation",
                         "date_identification", "type_exploitation", "telephone", "remarques", "consentement"]

    /// Source word → HTCDS code, weighted: what the office writes and what a data officer answers.
    /// A few words are rare on purpose (about 2 in 1,000 records): the draft must mark them.
    static let sexes: [(String, String, Int)] = [("F", "Feminine", 600), ("M", "Masculine", 378), ("inconnu", "NonSpecifiedUnknown", 20),
                                                 ("X", "NonSpecifiedUnknown", 2)]
    static let citizenships: [(String, String, Int)] = [
        ("Nigéria", "NG", 30), ("NG", "NG", 6), ("Roumanie", "RO", 20), ("Viêt Nam", "VN", 12), ("Chine", "CN", 10),
        ("Albanie", "AL", 10), ("Ghana", "GH", 6), ("Ukraine", "UA", 5), ("Bulgarie", "BG", 1),
    ]
    static let exploitationCountries: [(String, String, Int)] = [
        ("France", "FR", 55), ("Espagne", "ES", 15), ("Italie", "IT", 12), ("Allemagne", "DE", 10),
        ("Royaume-Uni", "GB", 7), ("Pays-Bas", "NL", 1),
    ]
    static let exploitationTypes: [(String, String, Int)] = [
        ("exploitation sexuelle", "SexualExploitation", 450), ("travail forcé", "ForcedLabour", 300),
        ("mendicité forcée", "ForcedBegging", 100), ("mariage forcé", "ForcedMarriage", 60), ("servitude domestique", "Servitude", 88),
        ("criminalité forcée", "Other", 2),
    ]
    static let consents: [(String, String, Int)] = [("oui", "TRUE", 93), ("non", "FALSE", 7)]
    static let givenNames = ["Hélène", "François", "Aïcha", "Chiamaka", "Ioana", "Thị Lan", "Mei", "Besnik", "Oksana", "Kwame", "Adaeze", "Mihai"]
    static let familyNames = ["Okonkwo-Adébáyọ̀", "Popescu-Ionescu", "Nguyễn-Trần", "Zhang-Liú", "Hoxha-Krasniqi", "Mensah-Boateng",
                              "Kovalenko-Shevchuk", "Eze-Obiora", "Dumitrescu-Stan", "Lefèvre-Garçon"]
    static let remarks = ["reçu au centre d'accueil; orientée vers un avocat", "contact via l'association, suivi médical",
                          "hébergement d'urgence, « dossier sensible »", "signalée par la police; audition prévue",
                          "a quitté le foyer, nouvelle adresse inconnue"]

    var rows: [[String]] = []
    /// Every given name, family name, phone number and remark written, for the test's leak checks.
    var identifying: Set<String> = []

    init(records: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        func pick(_ table: [(String, String, Int)]) -> String {
            let total = table.reduce(0) { $0 + $1.2 }
            var r = Int(rng.next() % UInt64(total))
            for (word, _, weight) in table { if r < weight { return word }; r -= weight }
            return table[0].0
        }
        func date(_ years: ClosedRange<Int>) -> (String, Int) {
            let y = years.lowerBound + Int(rng.next() % UInt64(years.count))
            let m = 1 + Int(rng.next() % 12), d = 1 + Int(rng.next() % 28)
            return (String(format: "%02d/%02d/%04d", d, m, y), y)
        }
        for n in 1...records {
            let (birth, by) = date(1965...2006)
            let (identified, iy) = date(2019...2024)
            _ = (by, iy)
            var types = [pick(Self.exploitationTypes)]
            if rng.next() % 5 == 0 {
                let other = pick(Self.exploitationTypes)
                if other != types[0] { types.append(other) }
            }
            let given = Self.givenNames[Int(rng.next() % UInt64(Self.givenNames.count))]
            let family = Self.familyNames[Int(rng.next() % UInt64(Self.familyNames.count))]
            let phone = String(format: "+33 6 %02d %02d %02d %02d", Int(rng.next() % 100), Int(rng.next() % 100), Int(rng.next() % 100), Int(rng.next() % 100))
            let remark = rng.next() % 3 == 0 ? Self.remarks[Int(rng.next() % UInt64(Self.remarks.count))] : ""
            identifying.formUnion([given, family, phone])
            if !remark.isEmpty { identifying.insert(remark) }
            rows.append([String(format: "DOS-%05d", n), family, given, pick(Self.sexes), birth, pick(Self.citizenships),
                         pick(Self.exploitationCountries), identified, types.joined(separator: " + "), phone, remark, pick(Self.consents)])
        }
    }

    /// The export's bytes: Latin-1, `;`, CRLF line ends as Excel writes them, quotes where needed.
    func latin1() -> Data {
        var bytes: [UInt8] = []
        for row in [Self.header] + rows {
            let line = row.map { cell in
                cell.contains(";") || cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: ";") + "\r\n"
            for scalar in line.unicodeScalars {
                // Characters outside Latin-1 (Vietnamese, Yoruba tone marks) become '?', as a Latin-1 export writes them.
                bytes.append(scalar.value <= 0xFF ? UInt8(scalar.value) : UInt8(ascii: "?"))
            }
        }
        return Data(bytes)
    }

    /// Records holding each value of a column, and each piece of a " + " list, as the file writes them.
    func counts(column: String) -> [String: Int] {
        let i = Self.header.firstIndex(of: column)!
        var counts: [String: Int] = [:]
        for row in rows {
            let cell = latin1Text(row[i])
            var seen = Set([cell])
            seen.formUnion(cell.components(separatedBy: " + "))
            for v in seen where !v.isEmpty { counts[v, default: 0] += 1 }
        }
        return counts
    }

    /// The text as it reads back from the Latin-1 file.
    func latin1Text(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value <= 0xFF ? $0 : "?" }))
    }
}
