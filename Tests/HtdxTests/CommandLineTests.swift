import Foundation
import TestSupport
import Testing

/// Runs the built `htdx` executable, to check what a scheduler sees: exit codes and streams.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct CommandLineTests {

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    func htdx(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: htdxExecutable!)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    var example: [String] {
        ["--policy", Repo.root.appendingPathComponent("Policies/example.yaml").path,
         Repo.root.appendingPathComponent("Examples/cases.csv").path]
    }

    @Test func successExitsZeroAndPrintsJSONOnlyWhenAsked() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let quiet = try htdx(["anonymize", "--out", scratch.path("a")] + example)
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "without a TTY only errors are printed")
        let json = try htdx(["anonymize", "--json", "--out", scratch.path("b")] + example)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["k"] as? Int == 5)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try htdx(["anonymize"]).status == 2)
        #expect(try htdx(["anonymize", "--bogus"]).status == 2)
        #expect(try htdx(["frobnicate"]).status == 2)
        #expect(try htdx(["--help"]).status == 0)
    }

    @Test func configurationDataAndPrivacyFailuresHaveTheirOwnCodes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("h.csv", "a;*\nb;*\n")
        let policy = try scratch.write("p.yaml", "version: 1\nattributes:\n  q: {type: quasi-identifying, hierarchy: h.csv}\nprivacy: {k: 3, suppressionLimit: 0}\n")
        let small = try scratch.write("small.csv", "q\na\nb\n")
        let broken = try scratch.write("broken.csv", "q\n\"a\n")
        let unknown = try scratch.write("unknown.csv", "q,phone\na,1\n")
        let missingPolicy = try htdx(["anonymize", "--policy", scratch.path("none.yaml"), "--out", scratch.path("o"), small])
        #expect(missingPolicy.status == 2)
        #expect(try htdx(["anonymize", "--policy", policy, "--out", scratch.path("o"), unknown]).status == 2)
        let data = try htdx(["anonymize", "--policy", policy, "--out", scratch.path("o"), broken])
        #expect(data.status == 3)
        #expect(data.stderr.contains("broken.csv:2"))
        let privacy = try htdx(["anonymize", "--policy", policy, "--out", scratch.path("o"), small])
        #expect(privacy.status == 4)
        #expect(privacy.stderr.hasPrefix("htdx: error:") && !privacy.stderr.contains("Fatal"))
        let summary = try htdx(["anonymize", "--json", "--policy", policy, "--out", scratch.path("o"), small])
        let object = try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any]
        #expect(summary.status == 4)
        #expect(object?["exitCode"] as? Int == 4 && object?["status"] as? String == "failed")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("o")))
    }

    @Test func previewPrintsTheSummaryWritesThePageAndPublishesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try writeCaseJob(scratch)
        let page = scratch.path("page/preview.html")
        try FileManager.default.createDirectory(atPath: scratch.path("page"), withIntermediateDirectories: true)
        let result = try htdx(["preview", job, "--html", page])
        #expect(result.status == 0, "\(result.stderr)")
        for heading in ["nothing was published", "Records", "Transformation", "Classes", "Risk (prosecutor)", "wrote \(page)"] {
            #expect(result.stdout.contains(heading), "the summary lacks \(heading)")
        }
        #expect(try String(contentsOfFile: page, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)) == ["job.yaml", "page"])

        let json = try htdx(["preview", job, "--json", "--no-html"])
        #expect(json.status == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["k"] as? Int == 5)
    }

    @Test func explainFindsARecordByLineAndRefusesAnUnknownOne() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try writeCaseJob(scratch)
        let found = try htdx(["explain", job, "--line", "cases.csv:2"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("cases.csv:2") && !found.stdout.contains("Kofi Boateng") && !found.stdout.contains("SYN-000001"))
        let missing = try htdx(["explain", job, "--record", "no-such-reference"])
        #expect(missing.status == 2 && missing.stderr.contains("no-such-reference"))
        #expect(try htdx(["explain", job]).status == 2)
        #expect(try htdx(["explain", job, "--record", "a", "--line", "cases.csv:2"]).status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["job.yaml"])
    }

    /// A preview stopped by SIGTERM part-way leaves no directory of records behind.
    @Test func aPreviewStoppedBySIGTERMRemovesItsDirectory() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: htdxExecutable!)
        process.arguments = ["preview", Repo.root.appendingPathComponent("Examples/release.yaml").path, "--no-html"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let temporary = (NSTemporaryDirectory() as NSString).standardizingPath
        let mine = { (try? FileManager.default.contentsOfDirectory(atPath: temporary))?.filter { $0.hasPrefix("htdx-preview-\(pid)-") } ?? [] }
        // Wait until the preview has made its directory, then stop it.
        let deadline = Date().addingTimeInterval(20)
        while mine().isEmpty && process.isRunning && Date() < deadline { usleep(2_000) }
        let stoppedPartWay = !mine().isEmpty && process.isRunning
        process.terminate()
        process.waitUntilExit()
        #expect(mine().isEmpty, "\(mine())")
        // Ended by the signal, as a shell reports it, not left running or exiting as if it had finished.
        if stoppedPartWay { #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM) }
    }

    /// The page never goes into the release, however the path is spelt; a line holding many
    /// records (an XML export on one line) is refused rather than explained record by record.
    @Test func thePageStaysOutOfTheReleaseAndALineOfManyRecordsIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try writeCaseJob(scratch)
        try FileManager.default.createDirectory(atPath: scratch.path("release"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link"), withDestinationPath: scratch.path("release"))
        for page in [scratch.path("release/p.html"), scratch.path("link/p.html"), scratch.path("x/../release/p.html")] {
            let result = try htdx(["preview", job, "--html", page])
            #expect(result.status == 2 && result.stderr.contains("inside the job's output directory"), "\(page): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("release")).isEmpty)
        // A page that cannot be written is refused before the job runs, with nothing printed.
        let nowhere = try htdx(["preview", job, "--html", scratch.path("missing/p.html")])
        #expect(nowhere.status == 2 && nowhere.stdout.isEmpty && nowhere.stderr.contains("missing is not a directory"), "\(nowhere.stderr)")

        let xml = try String(contentsOf: Repo.root.appendingPathComponent("Examples/partners/hotline.xml"), encoding: .utf8)
        try scratch.write("oneline.xml", xml.replacingOccurrences(of: "\n", with: ""))
        let oneLine = try scratch.write("oneline.yaml", """
            version: 1
            policy: \(Repo.root.appendingPathComponent("Policies/ctdc-global.yaml").path)
            inputs:
              - {profile: hotline, path: oneline.xml}
            output: out/release

            """)
        let many = try htdx(["explain", oneLine, "--line", "oneline.xml:1"])
        #expect(many.status == 2 && many.stderr.contains("holds") && many.stdout.isEmpty, "\(many.stderr)")
    }
}
