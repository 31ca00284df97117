import Export
import Foundation
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// Records lost before anonymisation: the message says where they went and what to fix, the
/// rejects file is written even when the run stops, `maxRejectedShare` stops a batch that loses
/// too many, and a profile's date format that swaps day and month is caught.
@Suite struct RecordLossTests {
    typealias F = ProfileFixtures

    /// The casemgmt profile with `edit` applied, written into `scratch` as `profile.yaml`.
    static func profile(_ scratch: Scratch, _ edit: (String) -> String) throws {
        let text = try F.shippedText("casemgmt")
        let edited = edit(text)
        precondition(edited != text, "the edit must change the profile")
        try scratch.write("profile.yaml", edited)
    }

    /// A job reading `input` (default: the casemgmt sample) through `scratch/profile.yaml`.
    static func job(_ scratch: Scratch, input: String = F.sample("casemgmt.csv"), policy: String = F.partnersPolicy,
                    extra: String = "") throws -> String {
        try scratch.write("job.yaml", """
            version: 1
            policy: \(policy)
            inputs:
              - {profile: profile.yaml, path: \(input)}
            output: out
            rejects: out.rejects.csv
            \(extra)
            """)
    }

    func failure(_ body: () throws -> Void) -> RunError? {
        do {
            try body()
            return nil
        } catch {
            if let run = error as? RunError { return run }
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    static func lines(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func everyRecordRejectedSaysWhereTheyWentAndWritesTheRejects() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // The wrong source column: the value map covers none of its values, and it is never empty.
        try Self.profile(scratch) {
            $0.replacingOccurrences(of: "    from: sex\n", with: "    from: case_id\n")
                .replacingOccurrences(of: "ignore: [full_name,", with: "ignore: [sex, full_name,")
        }
        for extra in ["", "maxRejectedShare: 1"] {
            let job = try Self.job(scratch, extra: extra)
            let error = failure { _ = try ReleaseJob.load(path: job).run() }
            let text = error?.description ?? ""
            // Stopped by the share by default, and for too few records left when any share is allowed.
            #expect(error?.exitCode == (extra.isEmpty ? 3 : 4), "\(text)")
            #expect(text.contains("1,200 records read: 1,200 rejected"), "\(text)")
            #expect(text.contains("1,200 prs_Gender: a value the profile's value map does not cover"), "\(text)")
            #expect(text.contains("profile's mapping"), "\(text)")
            #expect(!text.contains("Lower k"), "\(text)")
            #expect(!text.contains("Feminine") && !text.contains("\"F\""), "\(text)")
            #expect(text.contains(scratch.path("out.rejects.csv")), "\(text)")
            // Written where asked, one line per record, and nothing published.
            #expect(Self.lines(scratch.path("out.rejects.csv")) == 1201)
            #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
        }
    }

    @Test func everyRecordExcludedNamesTheRule() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("Policies/hierarchies").path,
                                         toPath: scratch.path("hierarchies"))
        let policy = try String(contentsOfFile: Repo.root.appendingPathComponent("Policies/example.yaml").path, encoding: .utf8)
        let everyone = policy.replacingOccurrences(
            of: "    - {name: no-consent,", with: "    - {name: everyone, when: \"consent is missing or consent = TRUE or consent != TRUE\"}\n    - {name: no-consent,")
        #expect(everyone != policy)
        let policyPath = try scratch.write("policy.yaml", everyone)
        let run = AnonymizeRun(policyPath: policyPath, inputPath: Repo.root.appendingPathComponent("Examples/cases.csv").path,
                               outputDirectory: scratch.path("out"))
        let error = failure { _ = try run.run() }
        let text = error?.description ?? ""
        #expect(error?.exitCode == 4, "\(text)")
        #expect(text.contains("2,500 records read: 0 rejected, 2,500 excluded (by rule: 2,500 everyone)"), "\(text)")
        #expect(text.contains("exclude rules") && !text.contains("Lower k"), "\(text)")

        // preview and explain run the same way and say the same.
        var preview = run
        preview.sink = .preview
        #expect(failure { _ = try preview.run() }?.description == text)
        var explain = run
        explain.sink = .explain(.every())
        #expect(failure { _ = try explain.run() }?.description == text)
    }

    /// A profile that rejects every record whose labour sector is construction: some 8 % of the sample.
    static func constructionRejected(_ scratch: Scratch) throws -> Int {
        try Self.profile(scratch) { $0.replacingOccurrences(of: "      construction: F_Construction\n", with: "") }
        return try DuplicateReferenceTests.sampleRows().dropFirst().filter { $0[8] == "construction" }.count
    }

    @Test func aBatchThatRejectsMoreThanMaxRejectedShareStops() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rejected = try Self.constructionRejected(scratch)
        let share = Double(rejected) / 1200
        #expect(share > 0.05 && share < 0.5, "the fixture must reject more than the default share")

        let error = failure { _ = try ReleaseJob.load(path: try Self.job(scratch)).run() }
        let text = error?.description ?? ""
        #expect(error?.exitCode == 3, "\(text)")
        #expect(text.contains("\(LossReportFormat.number(rejected)) of 1,200 records"), "\(text)")
        #expect(text.contains("more than maxRejectedShare 0.05"), "\(text)")
        #expect(text.contains("vic_ForcedLabourIndustry: a value the profile's value map does not cover"), "\(text)")
        #expect(!text.contains("construction"), "a value must never be quoted: \(text)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
        #expect(Self.lines(scratch.path("out.rejects.csv")) == rejected + 1)

        // The job's share wins over the policy's default.
        let outcome = try ReleaseJob.load(path: try Self.job(scratch, extra: "maxRejectedShare: 0.5")).run()
        #expect(outcome.report.records.rejected == rejected)
        #expect(outcome.report.maxRejectedShare == 0.5)
        let r = outcome.report.records
        #expect(r.in == r.rejected + r.excluded + r.suppressed + r.published)
    }

    @Test func thePolicysShareAppliesAndTheJobsWins() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rejected = try Self.constructionRejected(scratch)
        // A copy of the partners policy beside its hierarchies, allowing half the records to be rejected.
        try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("Policies/hierarchies").path,
                                         toPath: scratch.path("hierarchies"))
        let lenient = try scratch.write("policy.yaml", try String(contentsOfFile: F.partnersPolicy, encoding: .utf8)
            + "\nmaxRejectedShare: 0.5\n")
        let outcome = try ReleaseJob.load(path: try Self.job(scratch, policy: lenient)).run()
        #expect(outcome.report.records.rejected == rejected && outcome.report.maxRejectedShare == 0.5)
        let strict = try Self.job(scratch, policy: lenient, extra: "maxRejectedShare: 0.01")
        #expect(failure { _ = try ReleaseJob.load(path: strict).run() }?.exitCode == 3)
    }

    @Test(arguments: ["-0.1", "1.5", "lots"])
    func aShareOutsideZeroToOneIsRefused(_ value: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.profile(scratch) { $0 + "\n" }
        let job = try Self.job(scratch, extra: "maxRejectedShare: \(value)")
        #expect(throws: PolicyError.self) { _ = try JobDocument.load(path: job) }
    }

    @Test func aSwappedDateFormatStopsTheRunWithTheCounts() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.profile(scratch) { $0.replacingOccurrences(of: "format: [dd/MM/yyyy, yyyy-MM-dd]", with: "format: MM/dd/yyyy") }
        // Counted independently: a dd/MM/yyyy date fails as MM/dd/yyyy exactly when its day is over 12.
        let births = try DuplicateReferenceTests.sampleRows().dropFirst().map { $0[2] }.filter { !$0.isEmpty }
        let failing = births.filter { Int($0.prefix(2))! > 12 }.count
        let line = try String(contentsOfFile: scratch.path("profile.yaml"), encoding: .utf8)
            .components(separatedBy: "\n").firstIndex { $0.contains("MM/dd/yyyy") }! + 1
        for extra in ["", "maxRejectedShare: 1"] {
            let error = failure { _ = try ReleaseJob.load(path: try Self.job(scratch, extra: extra)).run() }
            let text = error?.description ?? ""
            #expect(error?.exitCode == 3, "\(text)")
            #expect(text.contains("likely day/month swap in prs_Birthdate (profile \(scratch.path("profile.yaml")) line \(line)): "
                + "\(LossReportFormat.number(failing)) of \(LossReportFormat.number(births.count)) values fail as MM/dd/yyyy, "
                + "all parse as dd/MM/yyyy; set the format"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
            #expect(Self.lines(scratch.path("out.rejects.csv")) == failing + 1)
        }
    }

    @Test func aFewSwappedDatesAreReportedWithoutStopping() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Self.profile(scratch) { $0 + "\n" }
        var rows = try DuplicateReferenceTests.sampleRows()
        // Three birth dates written month first, with a day over 12: they fail, and parse swapped.
        for i in [5, 50, 500] { rows[i][2] = "12/25/1990" }
        try scratch.write("cases.csv", DuplicateReferenceTests.csv(rows))
        let outcome = try ReleaseJob.load(path: try Self.job(scratch, input: "cases.csv")).run()
        let check = outcome.report.dateFormats?.first { $0.field == "prs_Birthdate" }
        #expect(check?.failing == 3 && check?.parseSwapped == 3 && check?.likelySwap == false)
        #expect(check?.format == "dd/MM/yyyy or yyyy-MM-dd" && check?.partner == "casemgmt")
        #expect((check?.values ?? 0) > 1000)
        #expect(outcome.report.rejections["prs_Birthdate: not a date in dd/MM/yyyy or yyyy-MM-dd"] == 3)
    }

    @Test func theShippedReleasesRejectWithinTheDefaultShare() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try ReleaseJob.load(path: Repo.root.appendingPathComponent("Examples/release.yaml").path)
        var run = try job.anonymizeRun()
        run.sink = .preview
        let report = try run.run().report
        #expect(Double(report.records.rejected) <= 0.05 * Double(report.records.in))
        #expect(report.maxRejectedShare == 0.05 && report.duplicates?.checked == true)
    }
}

/// What a scheduler sees: the exit code, and the same breakdown from `run`, `preview` and `explain`.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct RecordLossCommandLineTests {
    func htdx(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: htdxExecutable!)
        process.arguments = arguments
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    @Test func runPreviewAndExplainStopAlikeOnASwappedDateFormat() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try RecordLossTests.profile(scratch) { $0.replacingOccurrences(of: "format: [dd/MM/yyyy, yyyy-MM-dd]", with: "format: MM/dd/yyyy") }
        let job = try RecordLossTests.job(scratch)
        let run = try htdx(["run", job])
        let preview = try htdx(["preview", job, "--no-html"])
        let explain = try htdx(["explain", job, "--record", "CM-000001"])
        for result in [run, preview, explain] {
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains("likely day/month swap in prs_Birthdate"), "\(result.stderr)")
            #expect(result.stderr.contains("1,200 records read: "), "\(result.stderr)")
            // Neither a date nor a reference of the export is quoted.
            #expect(!result.stderr.contains("/1999") && !result.stderr.contains("CM-0"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
        #expect(FileManager.default.fileExists(atPath: scratch.path("out.rejects.csv")))
    }
}

/// The thousands separators messages use, as a reader would write them.
enum LossReportFormat {
    static func number(_ n: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: n)) ?? String(n)
    }
}
