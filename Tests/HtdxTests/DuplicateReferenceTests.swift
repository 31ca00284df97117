import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// A person sent twice must count once: repeated partner references are rejected as
/// `duplicate reference` (the first kept), and an export named twice is refused.
@Suite struct DuplicateReferenceTests {
    typealias F = ProfileFixtures

    /// The casemgmt sample's records, parsed independently of htdx's reader.
    static func sampleRows() throws -> [[String]] {
        try readSimpleCSV(F.sample("casemgmt.csv"), delimiter: ",")
    }

    /// Rows as CSV with every field quoted, so that the notes' line breaks and commas survive.
    static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    }

    /// A job over casemgmt exports in `scratch`, publishing to `scratch/out`.
    static func job(_ scratch: Scratch, inputs: [String], extra: String = "") throws -> String {
        try scratch.write("job.yaml", """
            version: 1
            policy: \(F.partnersPolicy)
            inputs:
            \(inputs.map { "  - {profile: casemgmt, path: \($0)}" }.joined(separator: "\n"))
            output: out
            rejects: out.rejects.csv
            \(extra)
            """)
    }

    /// Class sizes of the published file over the report's quasi-identifiers.
    static func classSizes(_ out: String, report: Report) throws -> [Int] {
        let rows = try readSimpleCSV(out + "/anonymized.csv", delimiter: ",")
        let columns = report.quasiIdentifiers.compactMap { rows[0].firstIndex(of: $0) }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[columns.map { row[$0] }, default: 0] += 1 }
        return Array(classes.values)
    }

    @Test func theSameExportSentAgainIsRejectedAsDuplicatesAndKCountsPeople() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = try Self.sampleRows()
        let records = Array(rows.dropFirst())
        // The second copy holds the same people in another order, so it is not byte-identical.
        try scratch.write("again.csv", Self.csv([rows[0]] + records.reversed()))
        let single = try ReleaseJob.load(path: try Self.job(scratch, inputs: [F.sample("casemgmt.csv")])).run()
        let alone = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/anonymized.csv")))

        let jobPath = try Self.job(scratch, inputs: [F.sample("casemgmt.csv"), "again.csv"], extra: "maxRejectedShare: 1")
        let outcome = try ReleaseJob.load(path: jobPath).run()
        let report = outcome.report
        let r = report.records
        #expect(r.in == r.rejected + r.excluded + r.suppressed + r.published)
        #expect(report.duplicates == .init(checked: true, rejected: records.count, withoutReference: 0))
        #expect(report.rejections["duplicate reference"] == records.count)
        #expect(report.partners["casemgmt"]?.rejected["duplicate reference"] == records.count)
        // What is published is what one copy publishes: every class is one of distinct people.
        #expect(r.published == single.report.records.published)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/anonymized.csv"))) == alone)
        #expect(try Self.classSizes(scratch.path("out"), report: report).allSatisfy { $0 >= report.k })

        // The rejects file lists each duplicate by its reference and names no other value.
        let rejects = try readSimpleCSV(scratch.path("out.rejects.csv"), delimiter: ",")
        #expect(rejects[0] == ["partner", "file", "line", "reference", "field", "reason"])
        let duplicates = rejects.dropFirst().filter { $0[5] == "duplicate reference" }
        #expect(duplicates.count == records.count)
        #expect(Set(duplicates.map { $0[3] }) == Set(records.map { $0[0] }))
        #expect(duplicates.allSatisfy { $0[1].hasSuffix("again.csv") && $0[4] == "case_id" })

        // Pass 2 skips exactly what pass 1 rejected: no record of the copy is published.
        var explained = try ReleaseJob.load(path: jobPath).anonymizeRun()
        explained.sink = .explain(.every())
        let fates = try explained.run().fates
        let copy = fates.filter { $0.file.hasSuffix("again.csv") }
        #expect(copy.count == records.count)
        #expect(copy.allSatisfy { $0.outcome == .rejected(field: "case_id", reason: "duplicate reference") })
    }

    @Test func aReferenceRepeatedWithinOneExportKeepsTheFirst() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var rows = try Self.sampleRows()
        // Records 20 and 40 repeat record 3's reference.
        let repeated = rows[3][0]
        rows[20][0] = repeated
        rows[40][0] = " \(repeated) "  // trimmed as the reader trims it
        try scratch.write("cases.csv", Self.csv(rows))
        let outcome = try ReleaseJob.load(path: try Self.job(scratch, inputs: ["cases.csv"])).run()
        #expect(outcome.report.rejections["duplicate reference"] == 2)
        #expect(outcome.report.duplicates?.rejected == 2)
        let r = outcome.report.records
        #expect(r.in == r.rejected + r.excluded + r.suppressed + r.published)
        let rejects = try readSimpleCSV(scratch.path("out.rejects.csv"), delimiter: ",").dropFirst()
        #expect(rejects.map { $0[3] } == [repeated, repeated])
        #expect(rejects.allSatisfy { $0[5] == "duplicate reference" })
    }

    @Test(arguments: ["same path", "spelt with ..", "symlink", "hard link", "byte-identical copy"])
    func anExportNamedTwiceIsRefused(_ spelling: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try scratch.write("exports/cases.csv", try String(contentsOfFile: F.sample("casemgmt.csv"), encoding: .utf8))
        let second: String
        switch spelling {
        case "same path": second = "exports/cases.csv"
        case "spelt with ..": second = "exports/../exports/./cases.csv"
        case "symlink":
            try FileManager.default.createSymbolicLink(atPath: scratch.path("link.csv"), withDestinationPath: original)
            second = "link.csv"
        case "hard link":
            try FileManager.default.linkItem(atPath: original, toPath: scratch.path("hard.csv"))
            second = "hard.csv"
        default:
            try FileManager.default.copyItem(atPath: original, toPath: scratch.path("copy.csv"))
            second = "copy.csv"
        }
        let job = try Self.job(scratch, inputs: ["exports/cases.csv", second], extra: "maxRejectedShare: 1")
        var caught: RunError?
        do { _ = try ReleaseJob.load(path: job).run() } catch { caught = error }
        #expect(caught?.exitCode == 2, "an export named twice must be refused")
        #expect(caught?.description.contains("given twice") == true && caught?.description.contains("cases.csv") == true)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.rejects.csv")))
    }

    @Test func twoDifferentExportsOfOnePartnerAreNotRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = try Self.sampleRows()
        try scratch.write("first.csv", Self.csv(Array(rows[0..<600])))
        try scratch.write("second.csv", Self.csv([rows[0]] + Array(rows[600...])))
        let outcome = try ReleaseJob.load(path: try Self.job(scratch, inputs: ["first.csv", "second.csv"])).run()
        #expect(outcome.report.duplicates == .init(checked: true, rejected: 0, withoutReference: 0))
        #expect(outcome.report.records.in == rows.count - 1)
    }

    @Test func aPlainCSVHasNoReferenceAndIsNotChecked() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outcome = try AnonymizeRun(policyPath: Repo.root.appendingPathComponent("Policies/example.yaml").path,
                                       inputPath: Repo.root.appendingPathComponent("Examples/cases.csv").path,
                                       outputDirectory: scratch.path("out")).run()
        #expect(outcome.report.duplicates == .init(checked: false, rejected: 0, withoutReference: 0))
    }
}
