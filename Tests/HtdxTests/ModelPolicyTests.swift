import Anonymize
import Export
import Foundation
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// Privacy models, weights and level caps as a policy states them: what loads, what is refused and
/// where, and what a run and `htdx verify` then do with them.
@Suite struct ModelPolicyTests {
    /// Values of the hierarchies and data below, none of which a message may repeat.
    static let dataValues = ["Europe", "Asia", "UA", "MD", "PH", "VN", "Sexual", "Labour", "Begging", "Farm", "Mine"]

    /// A scratch folder with the hierarchies; `lines` is the policy, one element per line.
    static func load(_ lines: [String]) throws -> (PolicyDocument?, PolicyError?, Scratch) {
        let scratch = try Scratch()
        try scratch.write("h/gender.csv", "F;*\nM;*\n")
        try scratch.write("h/country.csv", "UA;Europe;*\nMD;Europe;*\nPH;Asia;*\nVN;Asia;*\n")
        try scratch.write("h/sector.csv", "Farm;Land\nMine;Land\nShop;Town\n")
        let path = try scratch.write("policy.yaml", lines.joined(separator: "\n") + "\n")
        do { return (try PolicyDocument.load(path: path), nil, scratch) } catch { return (nil, error, scratch) }
    }

    static let attributes = [
        "version: 1",
        "attributes:",
        "  name: identifying",
        "  gender: {type: quasi-identifying, hierarchy: h/gender.csv}",
        "  country: {type: quasi-identifying, hierarchy: h/country.csv}",
        "  exploitation: sensitive",
        "  sector: {type: sensitive, hierarchy: h/sector.csv}",
    ]

    @Test func modelsWeightsAndCapsLoadAndRoundTripThroughTheManifest() throws {
        var lines = Self.attributes
        lines[3] = "  gender: {type: quasi-identifying, hierarchy: h/gender.csv, weight: 2.5}"
        lines[4] = "  country: {type: quasi-identifying, hierarchy: h/country.csv, maxLevel: 1}"
        lines += ["privacy:", "  k: 3", "  suppressionLimit: 0.1",
                  "  lDiversity: {attribute: exploitation, l: 2.5, variant: entropy}",
                  "  tCloseness:",
                  "    - {attribute: exploitation, t: 0.3}",
                  "    - {attribute: sector, t: 0.25, distance: hierarchical}"]
        let (document, error, scratch) = try Self.load(lines)
        defer { scratch.remove() }
        let policy = try #require(document?.policy, "\(String(describing: error))")
        let models = policy.privacy.models
        #expect(models.count == 4)
        #expect((models[0] as? KAnonymity)?.k == 3)
        #expect((models[1] as? EntropyLDiversity).map { ($0.attribute, $0.l) } ?? ("", 0) == ("exploitation", 2.5))
        #expect((models[2] as? EqualDistanceTCloseness).map { ($0.attribute, $0.t) } ?? ("", 0) == ("exploitation", 0.3))
        #expect((models[3] as? HierarchicalDistanceTCloseness).map { ($0.attribute, $0.t) } ?? ("", 0) == ("sector", 0.25))
        #expect(policy.privacy.sensitiveAttributes == ["exploitation", "sector"])
        #expect(policy.privacy.suppressionLimit == 0.1)
        #expect(policy.weights == [2.5, 1])
        #expect(policy.maxLevels?.first ?? 0 > 2 && policy.maxLevels?.last == 1)
        #expect(policy.attribute(named: "sector")?.hierarchy?.rawCount == 3)

        // The manifest's form of the models builds them again, parameters and variants intact.
        var micro = Manifest.Microdata(file: "anonymized.csv", delimiter: ",", headerRows: 1, k: 3, quasiIdentifiers: ["gender", "country"])
        micro.models = models.map(Manifest.Model.init)
        let decoded = try JSONDecoder().decode(Manifest.Microdata.self, from: JSONEncoder().encode(micro))
        let rebuilt = try decoded.privacyModels()
        #expect(rebuilt == PrivacyModels(models: models, suppressionLimit: 1))
    }

    /// Each broken policy, the key its error must name and the line it must point at.
    static let broken: [(privacy: String, attributes: [Int: String], key: String, line: Int)] = [
        ("  lDiversity: {attribute: victimAge, l: 2}", [:], "privacy.lDiversity.attribute", 11),
        ("  lDiversity: {attribute: country, l: 2}", [:], "privacy.lDiversity.attribute", 11),
        ("  tCloseness: {attribute: exploitation, t: 0.2, distance: hierarchical}", [:], "privacy.tCloseness.attribute", 11),
        ("  tCloseness: [{attribute: exploitation, t: 0.2}, {attribute: sector, t: 2}]", [:], "privacy.tCloseness.t", 11),
        ("  lDiversity: {attribute: exploitation, l: 2}\n  cellSuppression: {priority: [country]}", [:], "privacy.cellSuppression", 12),
        ("", [4: "  country: {type: quasi-identifying, hierarchy: h/country.csv, maxLevel: 3}"], "attributes.country.maxLevel", 5),
        ("", [3: "  gender: {type: quasi-identifying, hierarchy: h/gender.csv, weight: -1}"], "attributes.gender.weight", 4),
        ("", [5: "  exploitation: {type: sensitive, maxLevel: 1}"], "attributes.exploitation.maxLevel", 6),
        ("  lDiversity: {attribute: exploitation, l: 2, flavour: distinct}", [:], "privacy.lDiversity.flavour", 11),
    ]

    @Test(arguments: broken.indices)
    func aBrokenModelEntryIsLocated(index: Int) throws {
        let c = Self.broken[index]
        var lines = Self.attributes
        for (i, text) in c.attributes { lines[i] = text }
        lines += ["privacy:", "  k: 3", "  suppressionLimit: 0.1"]
        if !c.privacy.isEmpty { lines += c.privacy.components(separatedBy: "\n") }
        let (document, found, scratch) = try Self.load(lines)
        defer { scratch.remove() }
        #expect(document == nil)
        let error = try #require(found)
        #expect(error.key == c.key, "\(error)")
        #expect(error.line == c.line, "\(error)")
        #expect(error.file == scratch.path("policy.yaml"))
        for value in Self.dataValues { #expect(!error.description.contains(value), "\(error) repeats \(value)") }
    }

    // MARK: Runs

    static let genders = ["F", "M"], countries = ["UA", "MD", "PH", "VN"], exploitations = ["Sexual", "Labour", "Begging"]

    /// 80 records, skewed so that some raw classes hold one exploitation only.
    static func cases(seed: UInt64 = 3) -> String {
        var rng = SplitMix64(seed: seed)
        var text = "name,gender,country,exploitation\n"
        for r in 0..<80 {
            let g = genders[Int.random(in: 0..<2, using: &rng)]
            let c = countries[min(Int.random(in: 0..<4, using: &rng), Int.random(in: 0..<4, using: &rng))]
            // Men in Asia were all exploited the same way here.
            let e = g == "M" && (c == "PH" || c == "VN") ? "Labour" : exploitations[Int.random(in: 0..<3, using: &rng)]
            text += "P\(r),\(g),\(c),\(e)\n"
        }
        return text
    }

    static func policy(_ scratch: Scratch, privacy: String, gender: String = "", country: String = "") throws -> String {
        try scratch.write("h/gender.csv", "F;*\nM;*\n")
        try scratch.write("h/country.csv", "UA;Europe;*\nMD;Europe;*\nPH;Asia;*\nVN;Asia;*\n")
        return try scratch.write("policy.yaml", """
            version: 1
            attributes:
              name: identifying
              gender: {type: quasi-identifying, hierarchy: h/gender.csv\(gender)}
              country: {type: quasi-identifying, hierarchy: h/country.csv\(country)}
              exploitation: sensitive
            privacy: \(privacy)

            """)
    }

    static func run(_ scratch: Scratch, _ policy: String, input: String, out: String) throws -> Report {
        try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path(out)).run().report
    }

    /// Published classes over gender and country, with their exploitation counts, from the file.
    static func published(_ path: String) throws -> [[String]: [String: Int]] {
        let rows = try readSimpleCSV(path, delimiter: ",")
        let h = rows[0]
        let (g, c, e) = (h.firstIndex(of: "gender")!, h.firstIndex(of: "country")!, h.firstIndex(of: "exploitation")!)
        var classes: [[String]: [String: Int]] = [:]
        for row in rows.dropFirst() { classes[[row[g], row[c]], default: [:]][row[e], default: 0] += 1 }
        return classes
    }

    @Test func lDiversityPublishesOnlyDiverseClassesAndReportsIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let input = try scratch.write("in.csv", Self.cases())
        let plain = try Self.run(scratch, try Self.policy(scratch, privacy: "{k: 2, suppressionLimit: 0.2}"), input: input, out: "plain")
        // Without the model a class with one exploitation is published: the model has work to do.
        #expect(try Self.published(scratch.path("plain/anonymized.csv")).values.contains { $0.count < 2 })
        #expect(plain.privacyModels == nil)

        let policy = try Self.policy(scratch, privacy: "{k: 2, suppressionLimit: 0.2, lDiversity: {attribute: exploitation, l: 2}}")
        let report = try Self.run(scratch, policy, input: input, out: "out")
        let classes = try Self.published(scratch.path("out/anonymized.csv"))
        #expect(!classes.isEmpty)
        #expect(classes.values.allSatisfy { $0.count >= 2 && $0.values.reduce(0, +) >= 2 })
        let r = report.records
        #expect(r.in == 80 && r.in == r.published + r.suppressed + r.excluded + r.rejected)
        #expect(classes.values.map { $0.values.reduce(0, +) }.reduce(0, +) == r.published)
        #expect(report.privacyModels == [Report.PrivacyModelOutcome(model: "distinct 2-diversity of exploitation",
                                                                    worst: Double(classes.values.map(\.count).min()!))])
        // The report on disk says the same.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("out/report.json")))) as? [String: Any]
        let listed = json?["privacyModels"] as? [[String: Any]]
        #expect(listed?.first?["model"] as? String == "distinct 2-diversity of exploitation")
        _ = try ReleaseVerifier.verify(directory: scratch.path("out"))
    }

    @Test func maxLevelZeroNeverGeneralises() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let input = try scratch.write("in.csv", Self.cases())
        let free = try Self.run(scratch, try Self.policy(scratch, privacy: "{k: 6, suppressionLimit: 0}"), input: input, out: "free")
        #expect(free.transformation["country"] ?? 0 > 0, "the uncapped run must generalise country for the cap to matter")
        let capped = try Self.run(scratch, try Self.policy(scratch, privacy: "{k: 6, suppressionLimit: 0.5}", country: ", maxLevel: 0"),
                                  input: input, out: "capped")
        #expect(capped.transformation["country"] == 0)
        let countries = try Self.published(scratch.path("capped/anonymized.csv")).keys.map { $0[1] }
        #expect(!countries.isEmpty && countries.allSatisfy(Self.countries.contains))
    }

    /// Four records, one per gender and sector: generalising either attribute makes pairs, at
    /// the same loss, so only a weight decides which stays raw.
    @Test(arguments: [("gender", "sector"), ("sector", "gender")])
    func aWeightKeepsItsAttributeFiner(heavy: String, light: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("h/gender.csv", "F;*\nM;*\n")
        try scratch.write("h/sector.csv", "Farm;*\nMine;*\n")
        let input = try scratch.write("in.csv", "gender,sector,exploitation\nF,Farm,Sexual\nF,Mine,Labour\nM,Farm,Labour\nM,Mine,Sexual\n")
        let attribute = { (name: String) in
            "  \(name): {type: quasi-identifying, hierarchy: h/\(name).csv\(name == heavy ? ", weight: 3" : "")}" }
        let policy = try scratch.write("policy.yaml", (["version: 1", "attributes:", attribute("gender"), attribute("sector"),
                                                         "  exploitation: sensitive", "privacy: {k: 2, suppressionLimit: 0}"]).joined(separator: "\n") + "\n")
        let report = try Self.run(scratch, policy, input: input, out: "out")
        #expect(report.transformation[heavy] == 0)
        #expect(report.transformation[light] == 1)
        #expect(report.weights?[heavy] == 3)
        #expect(report.records.suppressed == 0)
    }

    @Test func verifyRefusesAReleaseEditedToLoseDiversity() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let input = try scratch.write("in.csv", Self.cases())
        let policy = try Self.policy(scratch, privacy: "{k: 2, suppressionLimit: 0.2, lDiversity: {attribute: exploitation, l: 2}}")
        _ = try Self.run(scratch, policy, input: input, out: "out")
        let directory = scratch.path("out")
        #expect(try ReleaseVerifier.verify(directory: directory).records > 0)

        // Give every record of one class the same exploitation, then re-hash the file into the
        // manifest so that only the model check can notice.
        let path = directory + "/anonymized.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let (g, c, e) = (header.firstIndex(of: "gender")!, header.firstIndex(of: "country")!, header.firstIndex(of: "exploitation")!)
        let first = lines[1].components(separatedBy: ",")
        var edited = 0
        for i in 1..<lines.count where !lines[i].isEmpty {
            var cells = lines[i].components(separatedBy: ",")
            if cells[g] == first[g] && cells[c] == first[c] {
                if cells[e] != first[e] { edited += 1 }
                cells[e] = first[e]
                lines[i] = cells.joined(separator: ",")
            }
        }
        #expect(edited > 0)
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        let manifestPath = directory + "/" + Manifest.fileName
        var manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        try manifest.recordFiles(in: directory)
        try manifest.jsonData().write(to: URL(fileURLWithPath: manifestPath))

        #expect {
            _ = try ReleaseVerifier.verify(directory: directory)
        } throws: { error in
            let text = "\(error)"
            return text.contains("distinct 2-diversity of exploitation") && text.contains("anonymized.csv")
                && !Self.dataValues.contains { text.contains($0) }
        }
    }

    // MARK: Hierarchical t-closeness end to end

    /// The exploitation hierarchy: two families and no `*`, so the distance adds a root above
    /// them, and a value no record holds, which still counts in the reference.
    static func closenessPolicy(_ scratch: Scratch, rules: String = "") throws -> String {
        try scratch.write("h/exploitation.csv", "Sexual;Forced\nLabour;Forced\nDomestic;Forced\nBegging;Other\n")
        let path = try policy(scratch, privacy: "{k: 2, suppressionLimit: 0.2, tCloseness: {attribute: exploitation, t: 0.3, distance: hierarchical}}\n" + rules)
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "  exploitation: sensitive", with: "  exploitation: {type: sensitive, hierarchy: h/exploitation.csv}")
        return try scratch.write("policy.yaml", text)
    }

    @Test func hierarchicalClosenessVerifiesFromTheManifestAlone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let input = try scratch.write("in.csv", Self.cases())
        let policy = try Self.closenessPolicy(scratch)
        let report = try Self.run(scratch, policy, input: input, out: "out")
        let worst = try #require(report.privacyModels?.first?.worst)
        #expect(worst <= 0.3 && worst > 0)
        let directory = scratch.path("out")
        let manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json")))
        let reference = try #require(manifest.microdata.references?.first)
        #expect(reference.attribute == "exploitation" && reference.values.count == 4 && reference.hierarchy?.count == 4)
        #expect(reference.counts.reduce(0, +) == report.records.in - report.records.excluded - report.records.rejected)
        #expect(try ReleaseVerifier.verify(directory: directory).records == report.records.published)
    }

    /// A rule that rewrites the sensitive attribute must leave values its hierarchy can place, or
    /// be refused where it is written: a run must not fail on values that were never in the input.
    static func expectRefusedOrPublished(_ scratch: Scratch, rules: String, key: String) throws {
        let input = try scratch.write("in.csv", Self.cases())
        let policy = try Self.closenessPolicy(scratch, rules: rules)
        do {
            _ = try PolicyDocument.load(path: policy)
        } catch {
            #expect(error.key == key, "\(error)")
            return
        }
        let report = try Self.run(scratch, policy, input: input, out: "out")
        #expect(report.records.published > 0)
        #expect(try ReleaseVerifier.verify(directory: scratch.path("out")).records == report.records.published)
    }

    /// A fold of a sensitive attribute into a value its hierarchy lacks would leave hierarchical
    /// t-closeness no place for the folded value, so every class would fail: refused at load.
    @Test func foldingTheSensitiveAttributeIntoAValueItsHierarchyLacks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        do {
            try Self.expectRefusedOrPublished(scratch, rules: "rules:\n  fold:\n    - {name: rare, field: exploitation, below: 30, as: Rare}\n",
                                              key: "rules.fold.as")
        }
    }

    /// A blanked sensitive value is the empty text; a hierarchy without a row for it is refused at
    /// load rather than stopping pass 1 with a message about the input.
    @Test func blankingTheSensitiveAttributeThatHasAHierarchy() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        do {
            try Self.expectRefusedOrPublished(scratch, rules: "rules:\n  blank:\n    - {name: men, fields: [exploitation], when: \"gender = M\"}\n",
                                              key: "rules.blank.fields")
        }
    }
}
