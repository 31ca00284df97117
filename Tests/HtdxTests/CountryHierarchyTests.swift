import Crypto
import Foundation
import Ingest
import PolicyFile
import Recode
import TestSupport
import Testing

/// Debian's sources of the generated country tables; the tests that read them skip without them.
private enum CountrySources {
    static let isoJSON = "/usr/share/iso-codes/json/iso_3166-1.json"
    static let debianPaths = [
        "iso_3166-1.json": isoJSON,
        "supplementalData.xml": "/usr/share/unicode/cldr/common/supplemental/supplementalData.xml",
        "fr/LC_MESSAGES/iso_3166-1.mo": "/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo",
        "es/LC_MESSAGES/iso_3166-1.mo": "/usr/share/locale/es/LC_MESSAGES/iso_3166-1.mo",
        "pt/LC_MESSAGES/iso_3166-1.mo": "/usr/share/locale/pt/LC_MESSAGES/iso_3166-1.mo",
        "pt_BR/LC_MESSAGES/iso_3166-1.mo": "/usr/share/locale/pt_BR/LC_MESSAGES/iso_3166-1.mo",
    ]
    static var hasISOCodes: Bool { FileManager.default.fileExists(atPath: isoJSON) }

    /// Every alpha-2 and alpha-3 code iso-codes lists, read without the generator's code.
    static func isoCodes() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: isoJSON))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(object["3166-1"] as? [[String: Any]])
        return list.flatMap { [$0["alpha_2"] as? String ?? "?", $0["alpha_3"] as? String ?? "?"] }
    }

    /// The `file  sha256` pairs a generated header lists under "Sources (SHA-256):".
    static func headerHashes(_ text: String, prefix: String) -> [(file: String, sha: String)] {
        text.split(separator: "\n").prefix { $0.hasPrefix(prefix) }.compactMap { line in
            let words = line.dropFirst(prefix.count).split(separator: " ")
            guard words.count >= 2, words[1].count == 64, words[1].allSatisfy(\.isHexDigit) else { return nil }
            return (String(words[0]), String(words[1]))
        }
    }
}

/// The shipped country hierarchy: complete, a tree, and traceable to its sources.
@Suite struct CountryHierarchyTests {
    static let csvPath = Repo.root.appendingPathComponent("Policies/hierarchies/country.csv").path

    /// The file's rows, its `#` header skipped.
    func rows() throws -> [[String]] {
        try String(contentsOfFile: Self.csvPath, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Every hierarchy a shipped policy gives a country quasi-identifier, found by the field's kind
    /// (HTCDS country fields, ext_CountryOfExploitation) or by the hierarchy's file name.
    func countryHierarchies() throws -> [(policy: String, attribute: String, values: Set<String>)] {
        let directory = Repo.root.appendingPathComponent("Policies")
        var found: [(String, String, Set<String>)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where file.hasSuffix(".yaml") {
            let policy = try PolicyDocument.load(path: directory.appendingPathComponent(file).path).policy
            for attribute in policy.quasiIdentifiers {
                guard let hierarchy = attribute.hierarchy else { continue }
                let isCountryField = HTCDS.field(named: attribute.name)?.kind == .country
                    || attribute.name == ExtensionField.countryOfExploitation.rawValue
                let isCountryFile = attribute.hierarchySource?.hasSuffix("country.csv") ?? false
                if isCountryField || isCountryFile { found.append((file, attribute.name, Set(hierarchy.rawValues))) }
            }
        }
        return found
    }

    @Test func everyShippedCountryHierarchyCoversISO3166() throws {
        let hierarchies = try countryHierarchies()
        // partners.yaml, example.yaml and ctdc-global.yaml each have two: finding none would prove nothing.
        #expect(hierarchies.count >= 6, "\(hierarchies.map { "\($0.policy):\($0.attribute)" })")
        let codes = ISO3166.countries.flatMap { [$0.alpha2, $0.alpha3] }
        #expect(codes.count == 500)
        for h in hierarchies {
            let missing = codes.filter { !h.values.contains($0) }
            #expect(missing.isEmpty, "\(h.policy): \(h.attribute)'s hierarchy lacks \(missing)")
        }
    }

    @Test(.enabled(if: CountrySources.hasISOCodes, "needs Debian's iso-codes"))
    func everyShippedCountryHierarchyCoversIsoCodes() throws {
        let codes = try CountrySources.isoCodes()
        #expect(codes.count >= 498)
        for h in try countryHierarchies() {
            let missing = codes.filter { !h.values.contains($0) }
            #expect(missing.isEmpty, "\(h.policy): \(h.attribute)'s hierarchy lacks \(missing)")
        }
    }

    @Test func rowsFormATreeOfM49Regions() throws {
        let rows = try rows()
        #expect(rows.count == 2 * ISO3166.countries.count + 3)
        #expect(rows.allSatisfy { $0.count == 4 && $0[3] == "*" })
        var regionOf: [String: String] = [:]
        for row in rows {
            let previous = regionOf.updateValue(row[2], forKey: row[1])
            #expect(previous == nil || previous == row[2], "subregion \(row[1]) is in \(previous ?? "") and \(row[2])")
        }
        // 22 M49 sub- and intermediate regions, Antarctica, and the three special rows.
        #expect(regionOf.count == 26)
        #expect(Set(regionOf.values) == ["Africa", "Americas", "Asia", "Europe", "Oceania", "Antarctica",
                                        "Unknown", "Multiple", "Other"])
        // The alpha-3 row of each country generalises as its alpha-2 row does.
        let byCode = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Array($0.dropFirst())) })
        for c in ISO3166.countries {
            #expect(byCode[c.alpha2] != nil && byCode[c.alpha2] == byCode[c.alpha3], "\(c.alpha2)/\(c.alpha3)")
        }
        #expect(byCode["SN"] == ["Western Africa", "Africa", "*"])
        #expect(byCode["NZL"] == ["Australia and New Zealand", "Oceania", "*"])
        #expect(byCode["XK"] == ["Southern Europe", "Europe", "*"])
        #expect(byCode["AQ"] == ["Antarctica", "Antarctica", "*"])
        #expect(Array(rows.suffix(3)) == [["", "Unknown", "Unknown", "*"], ["Multiple", "Multiple", "Multiple", "*"],
                                          ["Other", "Other", "Other", "*"]])
    }

    @Test(arguments: ["Policies/hierarchies/country.csv", "Sources/Recode/HTCDS/CountryNames+Generated.swift"])
    func headerHashesMatchTheSourcesPresent(file: String) throws {
        let text = try String(contentsOfFile: Repo.root.appendingPathComponent(file).path, encoding: .utf8)
        let prefix = file.hasSuffix(".csv") ? "#" : "//"
        let hashes = CountrySources.headerHashes(text, prefix: prefix)
        #expect(hashes.count == (file.hasSuffix(".csv") ? 2 : 5), "\(hashes)")
        for (source, sha) in hashes {
            let path = try #require(CountrySources.debianPaths[source], "\(file) names an unknown source \(source)")
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let actual = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(actual == sha, "\(file): \(source) changed since generation; rerun Tools/countries/generate.swift")
        }
    }

    /// A `#` line is a comment only before the first row; after it, `#1` is a value like any other.
    @Test func hierarchyFilesSkipOnlyLeadingCommentLines() throws {
        let s = try Scratch()
        defer { s.remove() }
        try s.write("h/country.csv", "# generated\n#   by a tool\nUA;Europe;*\n#1;Europe;*\n")
        let path = try s.write("policy.yaml", """
            version: 1
            attributes:
              country: {type: quasi-identifying, hierarchy: h/country.csv}
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        let hierarchy = try #require(try PolicyDocument.load(path: path).policy.attribute(named: "country")?.hierarchy)
        #expect(hierarchy.rawValues == ["UA", "#1"])
        #expect(hierarchy.levelCount == 3)
    }
}
