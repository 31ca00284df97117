import Foundation
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// The limits a configuration file (policy, job, profile, hierarchy, crosswalk) must keep, and
/// where a policy's hierarchies may come from.
struct ConfigFileLimitTests {
    static let base = """
        version: 1
        attributes:
          name: identifying
          citizenship: {type: quasi-identifying, hierarchy: hierarchies/country.csv}
        privacy: {k: 2, suppressionLimit: 0.5}

        """

    func folder() throws -> Scratch {
        let s = try Scratch()
        try s.write("hierarchies/country.csv", "GB;Europe;*\nFR;Europe;*\n")
        return s
    }

    func error(_ path: String, allowOutside: Bool = false) -> PolicyError? {
        do {
            _ = try PolicyDocument.load(path: path, allowOutside: allowOutside)
            return nil
        } catch { return error }
    }

    @Test func aPolicyOverTheSizeLimitIsNotRead() throws {
        let s = try folder()
        defer { s.remove() }
        let p = try s.write("big.yaml", Self.base + "# " + String(repeating: "x", count: ConfigFile.yamlLimit) + "\n")
        let e = try #require(error(p))
        #expect(e.message.contains("larger than the limit of 1 MiB"))
    }

    @Test func aFIFODirectoryOrDeviceIsRefusedWithoutBlocking() throws {
        let s = try folder()
        defer { s.remove() }
        let fifo = s.path("policy.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Nobody writes to the FIFO: opening it for reading the ordinary way would block for ever.
        #expect(try #require(error(fifo)).message.contains("pipe"))
        #expect(try #require(error(s.path("hierarchies"))).message.contains("directory"))
        #expect(try #require(error("/dev/null")).message.contains("device"))
        // A FIFO where a hierarchy is required.
        try FileManager.default.removeItem(atPath: s.path("hierarchies/country.csv"))
        #expect(mkfifo(s.path("hierarchies/country.csv"), 0o600) == 0)
        let p = try s.write("policy.yaml", Self.base)
        #expect(try #require(error(p)).message.contains("pipe"))
    }

    @Test func deepNestingIsRefusedNotOverflowed() throws {
        let s = try folder()
        defer { s.remove() }
        let brackets = try s.write("deep.yaml", Self.base + "release: " + String(repeating: "[", count: 200_000) + "\n")
        #expect(try #require(error(brackets)).message.contains("nests more than 64 levels"))
        let dashes = try s.write("dashes.yaml", Self.base + "rules:\n" + String(repeating: "- ", count: 200_000) + "x\n")
        #expect(try #require(error(dashes)).message.contains("nests more than"))
    }

    @Test func attributesAndRulesAreCapped() throws {
        let s = try folder()
        defer { s.remove() }
        var text = "version: 1\nattributes:\n"
        for i in 0...10_000 { text += "  c\(i): insensitive\n" }
        let many = try s.write("many.yaml", text + "privacy: {k: 2, suppressionLimit: 0.5}\n")
        #expect(try #require(error(many)).message.contains("more than the limit of 10000"))
        var rules = Self.base + "rules:\n  exclude:\n"
        for i in 0...10_000 { rules += "    - {name: r\(i), when: \"name = x\"}\n" }
        let manyRules = try s.write("rules.yaml", rules)
        #expect(try #require(error(manyRules)).message.contains("more than the limit of 10000"))
    }

    @Test func hierarchiesMustLieInThePolicysFolder() throws {
        let s = try folder()
        let outside = try Scratch()
        defer { s.remove(); outside.remove() }
        let elsewhere = try outside.write("country.csv", "GB;Europe;*\nFR;Europe;*\n")
        let absolute = try s.write("absolute.yaml", Self.base.replacingOccurrences(of: "hierarchies/country.csv", with: elsewhere))
        #expect(try #require(error(absolute)).message.contains("outside the policy's folder"))
        #expect(error(absolute, allowOutside: true) == nil)
        let dotdot = try s.write("sub/dotdot.yaml", Self.base.replacingOccurrences(of: "hierarchies/", with: "../hierarchies/"))
        #expect(try #require(error(dotdot)).message.contains("outside the policy's folder"))
        // A link inside the folder to a file outside it is outside.
        try FileManager.default.createSymbolicLink(atPath: s.path("hierarchies/link.csv"), withDestinationPath: elsewhere)
        let linked = try s.write("linked.yaml", Self.base.replacingOccurrences(of: "country.csv", with: "link.csv"))
        #expect(try #require(error(linked)).message.contains("outside the policy's folder"))
        let fine = try s.write("fine.yaml", Self.base)
        #expect(error(fine) == nil)
    }

    /// Several top values load (the run fails closed if k cannot be met), but check warns.
    @Test func aHierarchyWithoutOneTopValueIsACheckWarning() throws {
        let s = try folder()
        defer { s.remove() }
        try s.write("hierarchies/country.csv", "GB;Europe\nKE;Africa\n")
        let p = try s.write("policy.yaml", Self.base)
        #expect(error(p) == nil)
        let found = PolicyCheck.check(path: p, samples: [])
        #expect(found.contains { $0.severity == .warning && $0.message.contains("2 values at its top level") }, "\(found)")
        try s.write("hierarchies/country.csv", "GB;Europe;*\nKE;Africa;*\n")
        #expect(!PolicyCheck.check(path: p, samples: []).contains { $0.message.contains("top level") })
    }

    @Test func theShippedPoliciesStillLoad() throws {
        for file in ["Policies/example.yaml", "Policies/partners.yaml", "Policies/ctdc-global.yaml"] {
            let path = Repo.root.appendingPathComponent(file).path
            #expect(error(path) == nil, "\(file)")
        }
    }
}
