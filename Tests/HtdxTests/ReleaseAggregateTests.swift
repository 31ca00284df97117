import Export
import Foundation
import Pipeline
import PolicyFile
import Tabular
import TestSupport
import Testing

/// Aggregates through a whole run: counted from the records accepted after the rules, protected
/// by their own rules, listed in the manifest and re-checked by the verifier.
@Suite struct ReleaseAggregateTests {
    /// A table with a consent column, so that excluded records can be told apart, and a policy
    /// that excludes them.
    static func fixture(_ scratch: Scratch, records: Int, seed: UInt64) throws -> (policy: String, input: String, rows: [[String]]) {
        var rng = SplitMix64(seed: seed)
        let genders = ["F", "M", "X"], regions = ["North", "South", "East", "West"], types = ["sex", "labour", "other"]
        var rows: [[String]] = []
        var text = "consent,gender,region,type\n"
        for _ in 0..<records {
            let row = [rng.next() % 10 == 0 ? "FALSE" : "TRUE", genders[Int(rng.next() % 3)],
                       regions[Int(rng.next() % 4)], types[Int(rng.next() % 3)]]
            rows.append(row)
            text += row.joined(separator: ",") + "\n"
        }
        let policy = try scratch.write("policy.yaml", """
            version: 1
            attributes:
              consent: insensitive
              gender: quasi-identifying
              region: quasi-identifying
              type: sensitive
            rules:
              exclude:
                - {name: no-consent, when: "consent != TRUE"}
            privacy: {k: 3, suppressionLimit: 0.5}

            """)
        return (policy, try scratch.write("input.csv", text), rows)
    }

    @Test(arguments: [1, 2, 3])
    func countsComeFromConsentingRecordsAndObeyTheirRules(seed: UInt64) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (policy, input, rows) = try Self.fixture(scratch, records: 400, seed: seed)
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out"))
        run.combinations = .init(attributes: ["gender", "region", "type"], length: 2, resolution: 5)
        run.tables = [.init(name: "gender-by-region", dimensions: ["gender", "region"], threshold: 30)]
        let report = try run.run().report
        let kept = rows.filter { $0[0] == "TRUE" }
        #expect(report.records.excluded == rows.count - kept.count && report.records.excluded > 0)

        // Combination counts: an independent recount of the consenting records, rounded down.
        let index = ["gender": 1, "region": 2, "type": 3]
        var truth: [String: Int] = [:]
        let names = ["gender", "region", "type"]
        for row in kept {
            for a in names.indices {
                truth["\(names[a]):\(row[index[names[a]]!])", default: 0] += 1
                for b in names.indices where b > a {
                    truth["\(names[a]):\(row[index[names[a]]!]);\(names[b]):\(row[index[names[b]]!])", default: 0] += 1
                }
            }
        }
        let published = try readSimpleCSV(scratch.path("out/aggregates/combinations.csv"), delimiter: ",")
        #expect(published[0] == ["combination", "length", "count"])
        var seen: [String: Int] = [:]
        for row in published.dropFirst() { seen[row[0]] = Int(row[2]) }
        let expected = truth.mapValues { $0 / 5 * 5 }.filter { $0.value > 0 }
        #expect(seen == expected)

        // The cross-tabulation: interior cells are true counts or empty, never below 30 when shown.
        let table = try readSimpleCSV(scratch.path("out/aggregates/gender-by-region.csv"), delimiter: ",")
        #expect(table[0] == ["gender", "region", "margin", "count"])
        for row in table.dropFirst() where row[2].isEmpty {
            let count = kept.filter { $0[1] == row[0] && $0[2] == row[1] }.count
            if let shown = Int(row[3]) { #expect(shown == count && (shown == 0 || shown >= 30)) }
        }
        #expect(table.dropFirst().last?[3].isEmpty == true || Int(table.dropFirst().last![3]) == kept.count)

        let manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path("out/manifest.json"))))
        #expect(Set(manifest.aggregates.map(\.file)) == ["aggregates/combinations.csv", "aggregates/gender-by-region.csv"])
        #expect(manifest.files["aggregates/combinations.csv"] != nil)
        _ = try ReleaseVerifier.verify(directory: scratch.path("out"))
        let codebook = try String(contentsOfFile: scratch.path("out/codebook.md"), encoding: .utf8)
        #expect(codebook.contains("aggregates/gender-by-region.csv"))
    }

    @Test func aTamperedAggregateFailsVerification() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (policy, input, _) = try Self.fixture(scratch, records: 300, seed: 9)
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out"))
        run.combinations = .init(attributes: ["gender", "region"], length: 2, resolution: 10)
        _ = try run.run()
        let file = scratch.path("out/aggregates/combinations.csv")
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text += "gender:F;region:North,2,7\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try ReleaseVerifier.verify(directory: scratch.path("out")) }
        // Even with the checksum brought up to date, the rounding rule still fails it.
        var manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path("out/manifest.json"))))
        try manifest.recordFiles(in: scratch.path("out"))
        try manifest.jsonData().write(to: URL(fileURLWithPath: scratch.path("out/manifest.json")))
        #expect(throws: ExportError.self) { try ReleaseVerifier.verify(directory: scratch.path("out")) }
    }

    @Test func anIdentifyingAttributeCannotBeCounted() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (policy, input, _) = try Self.fixture(scratch, records: 50, seed: 4)
        try (try String(contentsOfFile: policy, encoding: .utf8)).replacingOccurrences(of: "type: sensitive", with: "type: identifying")
            .write(toFile: policy, atomically: true, encoding: .utf8)
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out"))
        run.combinations = .init(attributes: ["gender", "type"], length: 2, resolution: 10)
        #expect(throws: RunError.self) { try run.run() }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }

    /// A table beyond what the suppression audit handles stops the run with a clear message
    /// instead of running for minutes; nothing is published.
    @Test func aTableTooLargeToAuditIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var text = "a,b,c\n"
        for i in 0..<3000 { text += "a\(i % 20),b\(i % 19),c\(i % 11)\n" }
        let input = try scratch.write("input.csv", text)
        let policy = try scratch.write("policy.yaml", """
            version: 1
            attributes: {a: sensitive, b: sensitive, c: quasi-identifying}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out"))
        run.tables = [.init(name: "abc", dimensions: ["a", "b", "c"])]
        #expect {
            _ = try run.run()
        } throws: { error in
            guard let error = error as? RunError, case .configuration(let message) = error else { return false }
            return message.contains("aggregates/abc.csv would have 5040 cells")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }
}
