import Anonymize
import Export
import Foundation
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// `htdx preview`: everything a run does but the publishing, with figures a reader of the
/// published file can confirm.
@Suite(.tags(.slow)) struct PreviewSlowTests {
    /// The shipped release job with its output and rejects moved into `scratch`.
    static func releaseJob(_ scratch: Scratch) throws -> ReleaseJob {
        var job = try ReleaseJob.load(path: Repo.root.appendingPathComponent("Examples/release.yaml").path).document
        job.output = scratch.path("release")
        job.rejects = scratch.path("release.rejects.csv")
        return ReleaseJob(document: job)
    }

    static func preview(_ job: ReleaseJob) throws -> AnonymizeRun.Outcome {
        var run = try job.anonymizeRun()
        run.sink = .preview
        return try run.run()
    }

    /// The shipped release job with its output and rejects at the paths given.
    static func releaseRun(_ scratch: Scratch, output: String, rejects: String) throws -> AnonymizeRun {
        var document = try releaseJob(scratch).document
        document.output = output
        document.rejects = rejects
        return try ReleaseJob(document: document).anonymizeRun()
    }

    /// How the preview and then the run of `run` fail; nil, with an issue recorded, when either
    /// of them succeeds.
    static func refusals(_ run: AnonymizeRun, _ what: String) -> (preview: RunError, run: RunError)? {
        var run = run
        run.sink = .preview
        let preview = Result { () throws(RunError) in try run.run() }
        run.sink = .publish
        let real = Result { () throws(RunError) in try run.run() }
        guard case .failure(let p) = preview, case .failure(let r) = real else {
            Issue.record("\(what) was accepted")
            return nil
        }
        return (p, r)
    }

    /// The summary's value in the `after` column of the risk row that starts with `label`.
    static func afterColumn(_ summary: String, _ label: String) -> String? {
        summary.split(separator: "\n").first { $0.hasPrefix("  " + label + "  ") }
            .flatMap { $0.split(separator: " ").last.map(String.init) }
    }

    @Test func previewOfTheShippedReleasePrintsWhatThePublishedFileConfirms() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try Self.releaseJob(scratch)
        let preview = try Self.preview(job)
        // Nothing was written where anyone could read it.
        #expect(!preview.published)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)

        // The run publishes exactly what the preview said it would.
        let run = try job.run()
        #expect(run.published)
        #expect(preview.report == run.report)

        // The risk after, recomputed from anonymized.csv alone: classes over the quasi-identifiers
        // the manifest names, an empty cell counted as a value.
        let manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path("release/manifest.json"))))
        let rows = try readSimpleCSV(scratch.path("release/anonymized.csv"), delimiter: ";")
        let qi = manifest.microdata.quasiIdentifiers.map { rows[0].firstIndex(of: $0)! }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }
        let records = rows.count - 1
        let smallest = classes.values.min()!
        let atSmallest = classes.values.filter { $0 == smallest }.reduce(0, +)

        let summary = PreviewSummary.text(preview.report, attributes: preview.attributes)
        #expect(Self.afterColumn(summary, "highest") == String(format: "%.4f", 1.0 / Double(smallest)))
        #expect(Self.afterColumn(summary, "average") == String(format: "%.4f", Double(classes.count) / Double(records)))
        #expect(Self.afterColumn(summary, "records at highest") == String(format: "%.4f", Double(atSmallest) / Double(records)))
        #expect(Self.afterColumn(summary, "sample uniques") == String(classes.values.filter { $0 == 1 }.count))
        #expect(Self.afterColumn(summary, "classes") == String(classes.count))
        #expect(summary.contains("  published   " + String(repeating: " ", count: 9 - formatted(records).count) + formatted(records)))
        // The class-size histogram, from the file.
        var sizes: [Int: Int] = [:]
        for size in classes.values { sizes[size, default: 0] += 1 }
        let expected = sizes.keys.sorted().map { ClassSizeCount(size: $0, classes: sizes[$0]!, records: $0 * sizes[$0]!) }
        #expect(preview.report.risk?.classSizesAfter == expected)
        // Suppressed records were in classes smaller than k, and there are as many as the report says.
        let suppressed = try #require(preview.report.risk?.suppressedByClassSize)
        #expect(suppressed.allSatisfy { $0.size < preview.report.k })
        #expect(suppressed.reduce(0) { $0 + $1.records } == preview.report.records.suppressed)
    }

    @Test func thePageIsSelfContainedAndNamesNoRecord() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outcome = try Self.preview(try Self.releaseJob(scratch))
        let page = PreviewPage(report: outcome.report, attributes: outcome.attributes, source: "release.yaml",
                               policyFile: outcome.policyFile, policyText: outcome.policyText).html()
        for forbidden in ["<script", "src=", "href=", "url(", "@import", "<link", "<iframe", "<object"] {
            #expect(!page.lowercased().contains(forbidden), "preview.html has \(forbidden)")
        }
        #expect(page.components(separatedBy: "<svg").count - 1 >= 3 + outcome.attributes.count)
        #expect(page.contains("SHA-256") && page.contains(outcome.report.policySHA256))
        #expect(page.contains(formatted(outcome.report.records.published)))

        // No identifying value of any input record: names, birth dates, phone numbers and
        // references of the case-management partner.
        let input = try readSimpleCSV(Repo.root.appendingPathComponent("Examples/partners/casemgmt.csv").path, delimiter: ",")
        let header = input[0]
        for column in ["case_id", "full_name", "date_of_birth", "phone"] {
            let c = try #require(header.firstIndex(of: column))
            let leaked = input.dropFirst().map { $0[c] }.filter { !$0.isEmpty && page.contains(HTMLTextProbe.escape($0)) }
            #expect(leaked.isEmpty, "preview.html shows \(column) values such as \(leaked.prefix(1))")
        }
        // Raw values are listed only when at least k records hold them.
        for a in outcome.attributes {
            #expect(a.commonBefore.values.allSatisfy { $0 >= outcome.report.k })
            let utility = try #require(outcome.report.risk?.attributes.first { $0.name == a.name })
            #expect(a.commonBefore.count + a.rareValuesBefore == utility.distinctBefore)
        }
    }

    @Test func aPreviewThatWouldFailFailsAsTheRunWouldAndLeavesNothing() throws {
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
        // A table too large to protect: the run refuses it, and so must the preview.
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out"))
        run.tables = [.init(name: "abc", dimensions: ["a", "b", "c"])]
        guard let (p, r) = Self.refusals(run, "the oversized table") else { return }
        #expect(p.exitCode == r.exitCode && p.description == r.description)
        // The run stopped after reading the records, so it left its rejects file (never the preview).
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path))
            == ["input.csv", "policy.yaml", ".out.lock", "out.rejects.csv"])
    }

    /// What the run would refuse at the end, the preview refuses at the start, as the run now does.
    @Test func anOutputThatCannotBePublishedToIsRefusedByPreviewAndRunAlike() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.write("taken", "a file where the release should go\n")
        for output in [file, "/"] {
            let run = try Self.releaseRun(scratch, output: output, rejects: scratch.path("rejects.csv"))
            guard let (p, r) = Self.refusals(run, "publishing to \(output)") else { continue }
            #expect(p.exitCode == 2 && p.description == r.description, "\(p)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["taken"])
    }

    /// A rejects file that is the release, above it, or inside it however spelt (through `..`,
    /// a symbolic link, or a link to nowhere that the release would later fill) is refused by the
    /// preview and the run alike, before anything is written.
    @Test func rejectsThatReachTheReleaseAreRefusedHoweverSpelt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path("x"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path("release"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link"), withDestinationPath: scratch.path("release"))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("nowhere"), withDestinationPath: scratch.path("later"))
        let release = scratch.path("release")
        let cases = [(release, release), (release, scratch.url.path), (release, scratch.path("x/../release/rejects.csv")),
                     (release, scratch.path("link/rejects.csv")), (scratch.path("later"), scratch.path("nowhere/rejects.csv"))]
        for (output, rejects) in cases {
            let run = try Self.releaseRun(scratch, output: output, rejects: rejects)
            guard let (p, r) = Self.refusals(run, "rejects \(rejects) with output \(output)") else { continue }
            #expect(p.exitCode == 2 && p.description == r.description, "\(p)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("release")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("later")))
    }

    /// A rejects file in a directory that does not exist yet: the run makes it before publishing
    /// (it used to fail after), the preview makes nothing.
    @Test func aRejectsDirectoryIsMadeByTheRunAndNotByThePreview() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var document = try Self.releaseJob(scratch).document
        document.rejects = scratch.path("logs/rejects/release.rejects.csv")
        _ = try Self.preview(ReleaseJob(document: document))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
        _ = try ReleaseJob(document: document).run()
        #expect(FileManager.default.fileExists(atPath: scratch.path("logs/rejects/release.rejects.csv")))
        #expect(FileManager.default.fileExists(atPath: scratch.path("release/manifest.json")))
    }

    /// A preview killed outright leaves its directory; the next preview removes it, and leaves
    /// one whose owner still holds its lock, whatever the process ids in the names say.
    @Test func theNextPreviewRemovesWhatADeadOneLeft() throws {
        let temporary = (NSTemporaryDirectory() as NSString).standardizingPath
        let token = UUID().uuidString.prefix(8)
        let dead = temporary + "/htdx-preview-999999-\(token)"
        let live = temporary + "/htdx-preview-\(getpid())-\(token)"
        for directory in [dead, live] {
            try FileManager.default.createDirectory(atPath: directory + "/release", withIntermediateDirectories: true)
            try Data("held".utf8).write(to: URL(fileURLWithPath: directory + "/release/anonymized.csv"))
            _ = FileManager.default.createFile(atPath: directory + "/.owner", contents: nil)
        }
        let held = open(live + "/.owner", O_RDWR)
        #expect(held >= 0 && flock(held, LOCK_EX | LOCK_NB) == 0)
        defer {
            close(held)
            try? FileManager.default.removeItem(atPath: live)
            try? FileManager.default.removeItem(atPath: dead)
        }
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try Self.preview(Self.releaseJob(scratch))
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live + "/release/anonymized.csv"))
    }
}

func formatted(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return out
}

/// HTML escaping as the page must apply it, written out here so the test does not trust the page's own.
enum HTMLTextProbe {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
