// Generates htdx's country hierarchy and its table of country names.
//
// Run from the repository root (a plain Swift script: no package, no Python):
//
//     swift Tools/countries/generate.swift /usr/share/iso-codes/json \
//         /usr/share/unicode/cldr/common/supplemental /usr/share/locale \
//         Policies/hierarchies Sources/Recode/HTCDS
//
//   1. iso-codes' JSON directory (Debian's `iso-codes`), holding iso_3166-1.json;
//   2. CLDR's supplemental directory (Debian's `unicode-cldr-core`), holding supplementalData.xml,
//      whose <territoryContainment> is CLDR's copy of the UN M49 regions;
//   3. the locale directory holding iso-codes' translations, <lang>/LC_MESSAGES/iso_3166-1.mo;
//   4. where country.csv goes;
//   5. where CountryNames+Generated.swift goes.
//
// It writes, byte for byte the same for the same inputs (no dates, no machine-specific text):
//   <hierarchies>/country.csv                 alpha-2 rows, then alpha-3 rows: code;subregion;region;*
//   <swift dir>/CountryNames+Generated.swift  folded country names in en, fr, es and pt → alpha-2
//
// The script fails closed: an M49 code without a name below, a region that is not in the world
// group, a country in two subregions, or a country placed nowhere and not listed in
// `ownRegion` stops it with a message naming the file and the fix.

import Foundation

// MARK: - Hand-reviewed tables

/// UN M49's English names of the regions and of the sub- and intermediate regions CLDR uses (CLDR
/// flattens M49's "Sub-Saharan Africa" and "Latin America and the Caribbean" into their intermediate
/// regions, as this hierarchy does). Spelled as the UN Statistics Division spells them.
let m49Names: [String: String] = [
    "002": "Africa", "019": "Americas", "142": "Asia", "150": "Europe", "009": "Oceania",
    "015": "Northern Africa", "011": "Western Africa", "017": "Middle Africa", "014": "Eastern Africa",
    "018": "Southern Africa",
    "021": "Northern America", "013": "Central America", "029": "Caribbean", "005": "South America",
    "143": "Central Asia", "030": "Eastern Asia", "034": "Southern Asia", "035": "South-eastern Asia",
    "145": "Western Asia",
    "151": "Eastern Europe", "154": "Northern Europe", "039": "Southern Europe", "155": "Western Europe",
    "053": "Australia and New Zealand", "054": "Melanesia", "057": "Micronesia", "061": "Polynesia",
]

/// CLDR containers that are not M49 areas; their members are placed by `ownRegion` or not at all.
let nonM49Containers: [String: String] = [
    "QO": "CLDR's Outlying Oceania (Antarctica and CLDR-only territories); M49 has no such area",
]

/// Countries M49 places in no region. Each becomes its own subregion and region, so generalising
/// it never merges it with a continent it does not belong to.
let ownRegion: [String: String] = [
    "AQ": "Antarctica",
]

/// Kosovo has no ISO 3166-1 code; XK and XKX are the user-assigned codes humanitarian data uses
/// (ISO3166+Generated.swift adds it too). CLDR places XK in Southern Europe.
let kosovo = (alpha2: "XK", alpha3: "XKX", names: ["Kosovo"])

/// The hierarchy's last rows, kept from the hand-written file: the values a record holds when the
/// country is missing, several, or not a country.
let specialRows = [";Unknown;Unknown;*", "Multiple;Multiple;Multiple;*", "Other;Other;Other;*"]

/// iso-codes' translation catalogues read for names: French, Spanish, and both Portuguese ones.
let languages = ["fr", "es", "pt", "pt_BR"]

// MARK: - Errors

struct GenerateError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("generate.swift: \(message)\n".utf8))
    exit(1)
}

func read(_ path: String, fix: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw GenerateError("\(path): cannot read; \(fix)")
    }
    return [UInt8](data)
}

// MARK: - SHA-256 (FIPS 180-4), so the generated headers can name their sources exactly

func sha256(_ message: [UInt8]) -> String {
    let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    var data = message
    let bits = UInt64(message.count) &* 8
    data.append(0x80)
    while data.count % 64 != 56 { data.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: data.count, by: 64) {
        for t in 0..<16 {
            w[t] = UInt32(data[chunk + 4 * t]) << 24 | UInt32(data[chunk + 4 * t + 1]) << 16
                | UInt32(data[chunk + 4 * t + 2]) << 8 | UInt32(data[chunk + 4 * t + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        for t in 0..<64 {
            let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
    }
    return h.map { word in
        let s = String(word, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }.joined()
}

// MARK: - ISO 3166-1

struct Country {
    var alpha2: String, alpha3: String
    /// name, common_name and official_name, as iso-codes spells them.
    var names: [String]
}

func loadCountries(path: String) throws -> (countries: [Country], sha256: String) {
    let bytes = try read(path, fix: "run `apt-get install iso-codes` or pass iso-codes' json directory first")
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
          let list = object["3166-1"] as? [[String: Any]] else {
        throw GenerateError("\(path): not iso-codes' iso_3166-1.json (no \"3166-1\" list of objects)")
    }
    var countries: [Country] = []
    for (i, entry) in list.enumerated() {
        guard let a2 = entry["alpha_2"] as? String, a2.count == 2, let a3 = entry["alpha_3"] as? String, a3.count == 3,
              let name = entry["name"] as? String else {
            throw GenerateError("\(path): entry \(i + 1) lacks alpha_2, alpha_3 or name; check the iso-codes version")
        }
        let names = [name] + ["common_name", "official_name"].compactMap { entry[$0] as? String }
        countries.append(Country(alpha2: a2, alpha3: a3, names: names))
    }
    guard countries.count >= 249 else {
        throw GenerateError("\(path): \(countries.count) countries, expected at least 249; check the iso-codes version")
    }
    countries.append(Country(alpha2: kosovo.alpha2, alpha3: kosovo.alpha3, names: kosovo.names))
    return (countries.sorted { $0.alpha2 < $1.alpha2 }, sha256(bytes))
}

/// A Debian package's installed version, for the headers; nil when dpkg is absent.
func packageVersion(_ package: String) -> String? {
    guard let status = try? String(contentsOfFile: "/var/lib/dpkg/status", encoding: .utf8) else { return nil }
    for paragraph in status.components(separatedBy: "\n\n") where paragraph.hasPrefix("Package: \(package)\n") {
        for line in paragraph.split(separator: "\n") where line.hasPrefix("Version: ") {
            return String(line.dropFirst("Version: ".count))
        }
    }
    return nil
}

// MARK: - UN M49 from CLDR

/// The attributes of every `<group …/>` element inside `<territoryContainment>`.
func containmentGroups(_ xml: String, file: String) throws -> [[String: String]] {
    guard let start = xml.range(of: "<territoryContainment"),
          let end = xml.range(of: "</territoryContainment>", range: start.upperBound..<xml.endIndex) else {
        throw GenerateError("\(file): no <territoryContainment>; pass CLDR's common/supplemental directory")
    }
    var groups: [[String: String]] = []
    for line in xml[start.upperBound..<end.lowerBound].split(separator: "\n") {
        guard let open = line.range(of: "<group "), let close = line.range(of: "/>") else { continue }
        var attributes: [String: String] = [:]
        var rest = line[open.upperBound..<close.lowerBound]
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].trimmingCharacters(in: .whitespaces)
            let afterEq = rest[rest.index(after: eq)...]
            guard afterEq.first == "\"", let q = afterEq.dropFirst().firstIndex(of: "\"") else {
                throw GenerateError("\(file): a <group> attribute is not quoted; check the CLDR version")
            }
            attributes[key] = String(afterEq[afterEq.index(after: afterEq.startIndex)..<q])
            rest = afterEq[afterEq.index(after: q)...]
        }
        groups.append(attributes)
    }
    return groups
}

/// Each ISO code's (subregion, region) names.
func placements(path: String, countries: [Country]) throws -> (places: [String: (String, String)], sha256: String) {
    let bytes = try read(path, fix: "run `apt-get install unicode-cldr-core` or pass CLDR's common/supplemental directory second")
    let xml = String(decoding: bytes, as: UTF8.self)
    var contains: [String: [String]] = [:]
    for g in try containmentGroups(xml, file: path) {
        // Groupings (EU, UN, Sub-Saharan Africa…) overlap the M49 tree; deprecated codes left it.
        if g["status"] == "grouping" || g["status"] == "deprecated" || g["grouping"] == "true" { continue }
        guard let type = g["type"], let members = g["contains"] else { continue }
        contains[type, default: []] += members.split(separator: " ").map(String.init)
    }
    func name(_ code: String) throws -> String {
        guard let n = m49Names[code] else {
            throw GenerateError("\(path): M49 area \(code) has no English name; add it to m49Names in Tools/countries/generate.swift")
        }
        return n
    }
    let isoCodes = Set(countries.map(\.alpha2))
    var places: [String: (String, String)] = [:]
    var namesUsed: Set<String> = []
    for region in contains["001"] ?? [] {
        let regionName = try name(region)
        namesUsed.insert(region)
        for sub in contains[region] ?? [] {
            if nonM49Containers[sub] != nil { continue }
            let subName = try name(sub)
            namesUsed.insert(sub)
            for code in contains[sub] ?? [] where isoCodes.contains(code) {
                if places[code] != nil {
                    throw GenerateError("\(path): \(code) is in two M49 subregions; check the CLDR version")
                }
                places[code] = (subName, regionName)
            }
        }
    }
    if let unused = Set(m49Names.keys).subtracting(namesUsed).sorted().first {
        throw GenerateError("\(path): M49 area \(unused) is named in m49Names but not in the world group; check the CLDR version")
    }
    if let placed = ownRegion.keys.sorted().first(where: { places[$0] != nil }) {
        throw GenerateError("\(path): \(placed) is listed in ownRegion but M49 places it; remove it from ownRegion")
    }
    for c in countries where places[c.alpha2] == nil {
        guard let own = ownRegion[c.alpha2] else {
            throw GenerateError("\(path): \(c.alpha2) is in no M49 subregion; add it to ownRegion in Tools/countries/generate.swift")
        }
        places[c.alpha2] = (own, own)
    }
    return (places, sha256(bytes))
}

// MARK: - GNU gettext .mo catalogues

/// msgid → msgstr of a .mo file (little- or big-endian); context prefixes and plural forms
/// beyond the first are dropped, and untranslated entries skipped.
func readMO(path: String) throws -> (translations: [String: String], sha256: String) {
    let b = try read(path, fix: "run `apt-get install iso-codes` or pass the locale directory third")
    guard b.count >= 20 else { throw GenerateError("\(path): too short for a .mo file") }
    func word(_ at: Int, _ bigEndian: Bool) throws -> Int {
        guard at >= 0, at + 4 <= b.count else { throw GenerateError("\(path): an offset points past the end; the file is damaged") }
        let v = bigEndian
            ? UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
            : UInt32(b[at + 3]) << 24 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 1]) << 8 | UInt32(b[at])
        return Int(v)
    }
    let bigEndian: Bool
    switch try word(0, false) {
    case 0x950412de: bigEndian = false
    case 0xde120495: bigEndian = true
    default: throw GenerateError("\(path): not a GNU .mo file (bad magic number)")
    }
    let n = try word(8, bigEndian), originals = try word(12, bigEndian), translated = try word(16, bigEndian)
    func string(_ table: Int, _ i: Int) throws -> String {
        let length = try word(table + 8 * i, bigEndian), offset = try word(table + 8 * i + 4, bigEndian)
        guard offset + length <= b.count else { throw GenerateError("\(path): string \(i) runs past the end; the file is damaged") }
        var text = String(decoding: b[offset..<offset + length], as: UTF8.self)
        if let nul = text.firstIndex(of: "\0") { text = String(text[..<nul]) }
        return text
    }
    var result: [String: String] = [:]
    for i in 0..<n {
        var id = try string(originals, i)
        if let eot = id.lastIndex(of: "\u{4}") { id = String(id[id.index(after: eot)...]) }
        let text = try string(translated, i)
        if !id.isEmpty && !text.isEmpty { result[id] = text }
    }
    return (result, sha256(b))
}

// MARK: - Names

/// Must stay identical to `CountryNameKey.fold` in Sources/Recode/HTCDS/CountryNames.swift (the
/// tests check the table against it): lower-cased, canonically decomposed, combining marks
/// dropped, every run of other non-alphanumerics one space, trimmed.
func fold(_ name: String) -> String {
    var out = String.UnicodeScalarView()
    var gap = false
    for scalar in name.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            continue
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            if gap && !out.isEmpty { out.append(" ") }
            gap = false
            out.append(scalar)
        default:
            gap = true
        }
    }
    return String(out)
}

// MARK: - Output

func literal(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

func write(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw GenerateError("\(path): cannot write: \(error.localizedDescription); check that the directory exists")
    }
}

let command = """
    swift Tools/countries/generate.swift /usr/share/iso-codes/json /usr/share/unicode/cldr/common/supplemental \
    /usr/share/locale Policies/hierarchies Sources/Recode/HTCDS
    """

/// The hierarchy. Its header is `#` lines (HierarchyFile skips them before the first row) with no
/// `;` or quote, so no CSV reader splits or misreads them.
func hierarchyCSV(_ countries: [Country], _ places: [String: (String, String)], sources: [(String, String, String)]) -> String {
    var s = "# GENERATED by Tools/countries/generate.swift. Do not edit: change the generator or its inputs and run,\n"
    s += "# from the repository root,\n#     \(command)\n#\n# Sources (SHA-256):\n"
    for (package, file, sha) in sources { s += "#     \(file)  \(sha)  (\(package))\n" }
    s += "#\n# Rows: every ISO 3166-1 alpha-2 code and Kosovo XK, then the same by alpha-3 code, each as\n"
    s += "# code, UN M49 subregion, region, *. Antarctica, which M49 places in no region, is its own\n"
    s += "# subregion and region. Kosovo is in Southern Europe, as CLDR places it. The last three rows\n"
    s += "# are for a missing country, several countries, and a value that is not a country.\n"
    let ordered = countries.sorted {
        let (a, b) = (places[$0.alpha2]!, places[$1.alpha2]!)
        return (a.1, a.0, $0.alpha2) < (b.1, b.0, $1.alpha2)
    }
    for c in ordered { s += "\(c.alpha2);\(places[c.alpha2]!.0);\(places[c.alpha2]!.1);*\n" }
    for c in ordered { s += "\(c.alpha3);\(places[c.alpha2]!.0);\(places[c.alpha2]!.1);*\n" }
    for row in specialRows { s += row + "\n" }
    return s
}

func namesSwift(_ names: [String: String], shared: [String], sources: [(String, String, String)]) -> String {
    var s = "// GENERATED by Tools/countries/generate.swift. Do not edit: change the generator or its inputs and run,\n"
    s += "// from the repository root,\n//     \(command)\n//\n// Sources (SHA-256):\n"
    for (package, file, sha) in sources { s += "//     \(file)  \(sha)  (\(package))\n" }
    s += "//\n// iso-codes' English short, common and official names and their French, Spanish and Portuguese\n"
    s += "// translations, folded by CountryNameKey.fold. A folded name two countries share is left out, so it\n"
    s += "// is unknown rather than guessed: \(shared.joined(separator: "; ")).\n\n"
    s += "extension ISO3166 {\n"
    s += "    /// Folded country names (``CountryNameKey``) in en, fr, es and pt → alpha-2.\n"
    s += "    static let generatedNames: [String: String] = [\n"
    for key in names.keys.sorted() { s += "        \(literal(key)): \(literal(names[key]!)),\n" }
    s += "    ]\n}\n"
    return s
}

// MARK: - Main

func run() throws {
    let args = Array(CommandLine.arguments.dropFirst())
    guard args.count == 5 else {
        throw GenerateError("usage: swift Tools/countries/generate.swift ISO_CODES_JSON_DIR CLDR_SUPPLEMENTAL_DIR LOCALE_DIR HIERARCHY_OUT_DIR SWIFT_OUT_DIR")
    }
    func path(_ dir: String, _ file: String) -> String { (dir as NSString).appendingPathComponent(file) }
    let (countries, isoSHA) = try loadCountries(path: path(args[0], "iso_3166-1.json"))
    let (places, cldrSHA) = try placements(path: path(args[1], "supplementalData.xml"), countries: countries)
    let isoPackage = "iso-codes " + (packageVersion("iso-codes") ?? "")
    let cldrPackage = "unicode-cldr-core " + (packageVersion("unicode-cldr-core") ?? "")

    var codesByKey: [String: Set<String>] = [:]
    for c in countries { for n in c.names { codesByKey[fold(n), default: []].insert(c.alpha2) } }
    var nameSources = [(isoPackage, "iso_3166-1.json", isoSHA)]
    for language in languages {
        let file = "\(language)/LC_MESSAGES/iso_3166-1.mo"
        let (translations, sha) = try readMO(path: path(args[2], file))
        nameSources.append((isoPackage, file, sha))
        for c in countries {
            for n in c.names { if let t = translations[n] { codesByKey[fold(t), default: []].insert(c.alpha2) } }
        }
    }
    var names: [String: String] = [:]
    var shared: [String] = []
    for (key, codes) in codesByKey where !key.isEmpty {
        if codes.count == 1 { names[key] = codes.first! } else { shared.append("\(key) (\(codes.sorted().joined(separator: ", ")))") }
    }

    let hierarchySources = [(isoPackage, "iso_3166-1.json", isoSHA), (cldrPackage, "supplementalData.xml", cldrSHA)]
    try write(hierarchyCSV(countries, places, sources: hierarchySources), to: path(args[3], "country.csv"))
    try write(namesSwift(names, shared: shared.sorted(), sources: nameSources), to: path(args[4], "CountryNames+Generated.swift"))
    print("country.csv: \(countries.count) countries (Kosovo added), \(Set(places.values.map(\.0)).count) subregions; "
          + "names: \(names.count) folded names; left out as shared: \(shared.sorted().joined(separator: "; "))")
}

do {
    try run()
} catch let error as GenerateError {
    fail(error.description)
} catch {
    fail("\(error)")
}
