import Anonymize
import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// A small release whose classes the tests control: two quasi-identifiers (gender, and age in
/// decades at the level the search picks), four records per class, k = 3.
struct HistoryFixture {
    let scratch: Scratch
    let policy: String

    init(suppressionLimit: Double = 0.1) throws {
        scratch = try Scratch()
        try scratch.write("policy/gender.csv", "Female;*\nMale;*\n")
        policy = try scratch.write("policy/policy.yaml", """
            version: 1
            input: {delimiter: ","}
            attributes:
              id: identifying
              gender: {type: quasi-identifying, hierarchy: gender.csv}
              age: {type: quasi-identifying, hierarchy: {intervals: {min: 0, max: 99, widths: [10, 50]}}}
              outcome: insensitive
            privacy: {k: 3, suppressionLimit: \(suppressionLimit)}

            """)
    }

    /// The base records (four per gender and decade, 20s to 50s, ages distinct within a class),
    /// then `extra` (gender, age) records, less `dropping` base records of the given classes.
    @discardableResult
    func data(_ name: String, extra: [(String, Int)] = [], dropping: [(String, Int)] = []) throws -> String {
        var lines = ["id,gender,age,outcome"]
        var id = 0
        for gender in ["Female", "Male"] {
            for decade in [20, 30, 40, 50] {
                let dropped = dropping.filter { $0.0 == gender && $0.1 / 10 * 10 == decade }.count
                for j in 0..<(4 - dropped) {
                    id += 1
                    lines.append("\(id),\(gender),\(decade + 2 * j + 1),x")
                }
            }
        }
        for (gender, age) in extra {
            id += 1
            lines.append("\(id),\(gender),\(age),y")
        }
        return try scratch.write("data/\(name).csv", lines.joined(separator: "\n") + "\n")
    }

    func run(_ input: String, out: String = "out/release", history: String? = nil,
             sink: RunSink = .publish) throws -> AnonymizeRun.Outcome {
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path(out))
        run.historyPath = history.map { scratch.path($0) }
        run.sink = sink
        return try run.run()
    }

    /// `htdx anonymize` in the scratch directory.
    func cli(_ input: String, out: String = "out/release", history: String? = nil,
             environment: [String: String] = [:]) throws -> HtdxProcess.Result {
        try HtdxProcess.run(["anonymize", "--policy", policy, "--out", out, input] + (history.map { ["--history", $0] } ?? []),
                            in: scratch.url.path, environment: environment)
    }

    func verify(_ out: String = "out/release", history: String = "out/release.history") throws -> HtdxProcess.Result {
        try HtdxProcess.run(["verify", out, "--history", history], in: scratch.url.path)
    }

    func entries(_ history: String = "out/release.history") throws -> [HistoryEntry] {
        try ReleaseHistory(path: scratch.path(history)).entries()
    }

    func files(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path(directory))) ?? []).sorted()
    }

    func manifestSHA256(_ out: String = "out/release") -> String? {
        FileManager.default.contents(atPath: scratch.path(out + "/manifest.json")).map { SHA256.hex([UInt8]($0)) }
    }

    /// The published file's records per (gender, age) label pair.
    func publishedClasses(_ out: String = "out/release") throws -> [[String]: Int] {
        let rows = try readSimpleCSV(scratch.path(out + "/anonymized.csv"), delimiter: ",")
        let g = rows[0].firstIndex(of: "gender")!, a = rows[0].firstIndex(of: "age")!
        var counts: [[String]: Int] = [:]
        for row in rows.dropFirst() { counts[[row[g], row[a]], default: 0] += 1 }
        return counts
    }
}

/// The history a publication keeps: one entry per release, in step with it, holding labels and
/// counts only; and the paths a history may not take.
@Suite struct HistoryRunTests {
    @Test func aPublicationAddsOneEntryThatDescribesExactlyTheReleasePublished() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        let outcome = try f.run(try f.data("a"))
        let entries = try f.entries()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.sequence == 1)
        #expect(entry.manifestSHA256 == f.manifestSHA256())
        #expect(entry.k == 3)
        #expect(entry.policySHA256 == outcome.report.policySHA256)
        #expect(Dictionary(uniqueKeysWithValues: entry.transformation.map { ($0.name, $0.level) }) == outcome.report.transformation)
        #expect(entry.releaseClasses.names == ["gender", "age"])
        #expect(entry.releaseClasses.counts == (try f.publishedClasses()))
        #expect(f.files("out/release.history") == ["htdx-history.json", "release-000001.json"])
        #expect(outcome.report.history == .init(releasesCompared: 0, earlierTransformationKept: false, recordsHeldBack: 0,
                                                classesHeldBack: 0, smallestDifference: nil, aggregateCellsSuppressed: 0))
        // Every label climbs from itself to the top of its hierarchy.
        for ladder in entry.ladders {
            for (label, chain) in ladder.ancestors {
                #expect(chain.first == label && chain.count == ladder.top - ladder.level + 1 && chain.last == "*")
            }
        }
    }

    /// With cell suppression, blanked rows are their own classes: the entry must count them as the
    /// file does, which `verify --history` checks (its current entry's classes equal the file's).
    @Test func blankedRowsAreCountedUnderTheirPublishedLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let policy = try CellSuppressionRunTests.policy(scratch, privacy: """
            privacy: {k: 5, suppressionLimit: 0.05, cellSuppression: {priority: [citizenship, yearOfRegistration], maxCells: 1}}
            """)
        let out = scratch.path("out/release")
        let report = try AnonymizeRun(policyPath: policy, inputPath: Repo.root.appendingPathComponent("Examples/cases.csv").path,
                                      outputDirectory: out).run().report
        #expect(report.cellSuppression?.recordsBlanked ?? 0 > 0)
        let entry = try #require(try ReleaseHistory(path: out + ".history").entries().first)
        #expect(entry.releaseClasses.counts.values.reduce(0, +) == report.records.published)
        let findings = try HistoryVerifier.verify(release: out, history: out + ".history")
        #expect(findings.sequence == 1)
        #expect(findings.problems.isEmpty, "\(findings.problems)")
    }

    @Test func theEntryHoldsNoRecordNorAnyRawValueBelowThePublishedLevel() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        let input = try f.data("a")
        let outcome = try f.run(input)
        #expect(outcome.report.transformation["age"] == 1, "ages are published in decades, so a raw age must not appear")
        let text = try String(contentsOfFile: f.scratch.path("out/release.history/release-000001.json"), encoding: .utf8)
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
        var strings = Set<String>()
        func collect(_ value: Any) {
            if let s = value as? String { strings.insert(s) }
            if let a = value as? [Any] { a.forEach(collect) }
            if let d = value as? [String: Any] { d.keys.forEach { strings.insert($0) }; d.values.forEach(collect) }
        }
        collect(json)
        let rows = try readSimpleCSV(input, delimiter: ",").dropFirst()
        let raw = Set(rows.flatMap { [$0[0], $0[2]] })
        #expect(strings.isDisjoint(with: raw), "raw ages or record ids in the entry: \(strings.intersection(raw).sorted())")
    }

    /// The default history follows the output however it is spelt, and a job names its own.
    @Test func theHistoryIsBesideTheOutputByDefaultAndAJobNamesItRelativeToItself() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        _ = try f.run(try f.data("a"), out: "out/release/")
        #expect(f.files("out") == [".release.lock", "release", "release.history", "release.rejects.csv"])
        let job = try f.scratch.write("jobs/job.yaml", """
            version: 1
            policy: ../policy/policy.yaml
            inputs:
              - {csv: ../data/a.csv}
            output: ../out/second
            history: ../private/second-history

            """)
        _ = try ReleaseJob.load(path: job).run()
        #expect(f.files("private/second-history") == ["htdx-history.json", "release-000001.json"])
        #expect(!FileManager.default.fileExists(atPath: f.scratch.path("out/second.history")))
    }

    /// Each refused before anything is created: no output, no rejects file, the history untouched.
    @Test(arguments: [
        ("out/release/history", "inside the output directory"),
        ("out", "contains the output directory"),
        ("mine", "is not an htdx history"),
        ("data", "is or contains the input"),
        ("out/release.rejects.csv", "is or contains the rejects file"),
    ])
    func aHistoryPathThatIsNotItsOwnIsRefusedBeforeAnythingIsWritten(history: String, reason: String) throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        let input = try f.data("a")
        try f.scratch.write("mine/notes.txt", "an operator's own folder")
        #expect {
            _ = try f.run(input, history: history)
        } throws: { error in
            guard let error = error as? RunError, case .configuration(let message) = error else { return false }
            return message.contains(reason) && message.contains(f.scratch.path(history))
        }
        #expect(f.files("out").isEmpty)
        #expect(f.files("mine") == ["notes.txt"])
    }

    /// A history is made only when a release is about to be delivered: a run that fails leaves none.
    @Test func aRunThatPublishesNothingLeavesNoHistory() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        let tooFew = try f.scratch.write("data/few.csv", "id,gender,age,outcome\n1,Female,21,x\n2,Male,35,x\n")
        #expect(throws: RunError.self) { _ = try f.run(tooFew) }
        #expect(!f.files("out").contains("release.history"))
        #expect(!f.files("out").contains("release"))
    }

    /// A stable pseudonym would show which rows are new since the release before: refused once the
    /// history holds one, before a record is read; nothing is published or written.
    @Test func aStablePseudonymIsRefusedOnceTheHistoryHoldsAnEarlierRelease() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try PseudonymTests.run(scratch, date: "2026-01-31")
        let manifest = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/manifest.json")))
        #expect {
            _ = try PseudonymTests.run(scratch, date: "2026-02-28")
        } throws: { error in
            guard let error = error as? RunError, case .configuration(let message) = error else { return false }
            return message.contains("alias is pseudonymised with scope: stable") && message.contains("release 1 of ")
                && !message.contains("case is")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/manifest.json"))) == manifest)
        #expect(try ReleaseHistory(path: scratch.path("out.history")).entries().count == 1)
    }

    @Test func aPreviewReadsTheHistoryAndNeverWritesIt() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        // With no history yet, a preview creates none.
        _ = try f.run(try f.data("a"), sink: .preview)
        #expect(f.files("out").isEmpty)
        _ = try f.run(try f.data("a"))
        let before = try Data(contentsOf: URL(fileURLWithPath: f.scratch.path("out/release.history/release-000001.json")))
        let preview = try f.run(try f.data("b", extra: [("Female", 21), ("Female", 25), ("Female", 27)]), sink: .preview)
        #expect(preview.report.history?.releasesCompared == 1)
        #expect(preview.report.history?.smallestDifference == 3)
        #expect(f.files("out/release.history") == ["htdx-history.json", "release-000001.json"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.scratch.path("out/release.history/release-000001.json"))) == before)
    }
}
