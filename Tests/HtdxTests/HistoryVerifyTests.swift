import Export
import Foundation
import TestSupport
import Testing

/// Successive publications against the history, and `htdx verify --history` re-running the
/// differencing check from the files alone.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct HistoryVerifyTests {
    @Test func aSequenceWhoseClassesGrowByAtLeastKVerifiesAgainstItsHistory() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        #expect(try f.cli(try f.data("a")).status == 0)
        #expect(try f.cli(try f.data("b", extra: [("Female", 21), ("Female", 25), ("Female", 27)])).status == 0)
        let entries = try f.entries()
        #expect(entries.map(\.sequence) == [1, 2])
        #expect(entries.last?.manifestSHA256 == f.manifestSHA256())
        let report = try Report.decode(Data(contentsOf: URL(fileURLWithPath: f.scratch.path("out/release/report.json"))))
        #expect(report.history?.releasesCompared == 1)
        #expect(report.history?.smallestDifference == 3)
        let verified = try f.verify()
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    /// Publishing elsewhere, without the history, is exactly what the history guards against:
    /// the release verifies alone, and fails against the history of the release before it.
    @Test func aReleasePublishedWithoutTheHistoryFailsAgainstItWithTheClassLocated() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        #expect(try f.cli(try f.data("a")).status == 0)
        let newcomer = try f.data("c", extra: [("Male", 33)])
        #expect(try f.cli(newcomer, out: "elsewhere/release", history: "private/elsewhere").status == 0)
        #expect(f.files("private/elsewhere") == ["htdx-history.json", "release-000001.json"])
        #expect(!FileManager.default.fileExists(atPath: f.scratch.path("elsewhere/release.history")))
        let alone = try HtdxProcess.run(["verify", "elsewhere/release"], in: f.scratch.url.path)
        #expect(alone.status == 0, "\(alone.stderr)")
        let against = try f.verify("elsewhere/release", history: "out/release.history")
        #expect(against.status == 1)
        #expect(against.stderr.contains("anonymized.csv: the class (gender=Male, age=30-39) differs from release 1 of "))
        #expect(against.stderr.contains("by 1 record"))
        #expect(against.stderr.contains("no entry of the history has this manifest's SHA-256"))
        // Against its own history it is the current release, with nothing earlier.
        #expect(try f.verify("elsewhere/release", history: "private/elsewhere").status == 0)
    }

    /// The second release has enough records for exact ages, but its youngest women's class would
    /// then differ from the first release's by 2 (two of the newcomers suppressed): the first
    /// release's decades still meet k within the limit, and classes then only grow.
    @Test func theEarlierTransformationIsKeptWhenItStillMeetsKAndAvoidsTheDifference() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        var extra: [(String, Int)] = Array(repeating: ("Female", 21), count: 2) + Array(repeating: ("Female", 23), count: 2)
        for gender in ["Female", "Male"] {
            for decade in [20, 30, 40, 50] where !(gender == "Female" && decade == 20) {
                for j in 0..<4 { extra += Array(repeating: (gender, decade + 2 * j + 1), count: 2) }
            }
        }
        let second = try f.data("b", extra: extra)
        // Alone, the search prefers exact ages.
        #expect(try f.cli(second, out: "alone/release").status == 0)
        let alone = try Report.decode(Data(contentsOf: URL(fileURLWithPath: f.scratch.path("alone/release/report.json"))))
        #expect(alone.transformation["age"] == 0)

        #expect(try f.cli(try f.data("a")).status == 0)
        let run = try f.cli(second)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Report.decode(Data(contentsOf: URL(fileURLWithPath: f.scratch.path("out/release/report.json"))))
        #expect(report.transformation["age"] == 1)
        #expect(report.history?.earlierTransformationKept == true)
        #expect(report.history?.recordsHeldBack == 0)
        #expect(report.history?.smallestDifference ?? 0 >= 3)
        #expect(try f.verify().status == 0)
        // The release the search alone chose is the one the attack works on.
        let attacked = try f.verify("alone/release", history: "out/release.history")
        // Its exact ages are in no earlier release: it is refused for not being in the history, and
        // its ages compared only at the top.
        #expect(attacked.status == 1)
        #expect(attacked.stderr.contains("no entry of the history has this manifest's SHA-256"))
        #expect(attacked.stderr.contains("some labels of age are in no earlier release"))
    }

    @Test func aDifferenceNothingCanRepairIsRefusedWithExit4NamingTheEarlierReleaseAndTheClass() throws {
        // No suppression allowed: nothing may be held back.
        let f = try HistoryFixture(suppressionLimit: 0)
        defer { f.scratch.remove() }
        #expect(try f.cli(try f.data("a")).status == 0)
        let published = f.manifestSHA256()
        let refused = try f.cli(try f.data("d", extra: [("Male", 33)]))
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("release 1 of \(try f.entries()[0].date)"))
        #expect(refused.stderr.contains("(gender=Male, age=30-39) by 1"))
        #expect(!refused.stderr.contains("age=33"), "a raw age is not a published label")
        #expect(f.manifestSHA256() == published)
        #expect(try f.entries().count == 1)
        #expect(f.files("out/release.history") == ["htdx-history.json", "release-000001.json"])
    }

    /// One record changes its outcome, not its class: the records file may follow, but the table's
    /// cell for the old outcome would shrink by 1. The new outcome's cell is below the threshold, so
    /// the table's own protection already hides the old one; either way the release verifies
    /// against the history (which compares every cell the two publish).
    @Test func anAggregateCellThatWouldDifferByLessThanKIsSuppressedAndTheReleaseVerifies() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        let a = try f.data("a")
        let b = try String(contentsOfFile: a, encoding: .utf8).replacingOccurrences(of: "\n1,Female,21,x\n", with: "\n1,Female,21,y\n")
        try f.scratch.write("data/b.csv", b)
        func job(_ input: String) throws -> String {
            try f.scratch.write("job-\(input).yaml", """
                version: 1
                policy: policy/policy.yaml
                inputs:
                  - {csv: data/\(input).csv}
                output: out/release
                aggregates:
                  tables:
                    - {name: outcomes, dimensions: [outcome]}

                """)
        }
        #expect(try HtdxProcess.run(["run", try job("a")], in: f.scratch.url.path).status == 0)
        let second = try HtdxProcess.run(["run", try job("b")], in: f.scratch.url.path)
        #expect(second.status == 0, "\(second.stderr)")
        let report = try Report.decode(Data(contentsOf: URL(fileURLWithPath: f.scratch.path("out/release/report.json"))))
        #expect(report.history?.smallestDifference == nil, "the classes are the same")
        let verified = try f.verify()
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    /// Holding back needs the records pass to leave the held-back records out: the file, the
    /// history's entry and `verify --history` must then agree.
    @Test func recordsHeldBackStayOutOfTheFileAndTheSequenceStillVerifies() throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        #expect(try f.cli(try f.data("a")).status == 0)
        #expect(try f.cli(try f.data("c", extra: [("Male", 33)])).status == 0)
        let report = try Report.decode(Data(contentsOf: URL(fileURLWithPath: f.scratch.path("out/release/report.json"))))
        #expect(report.history?.recordsHeldBack ?? 0 >= 1)
        #expect(try f.entries().last?.releaseClasses.counts == (try f.publishedClasses()))
        let verified = try f.verify()
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
