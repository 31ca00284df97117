import Export
import Foundation
import TestSupport
import Testing

/// Kills `htdx run` with SIGKILL at hundreds of points while it replaces an existing release, and
/// checks after each kill that the output directory holds one release or the other, complete and
/// verifiable: never a mix, never a half-written file, never nothing (except in the fallback,
/// where the old release waits beside it and the next run puts it back).
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"), .tags(.slow))
struct ReleaseKillSlowTests {
    /// Two jobs over different inputs, so that their releases differ in every file.
    struct Fixture {
        let scratch: Scratch
        let jobs: [String]
        let output: String

        init() throws {
            let scratch = try Scratch()
            self.scratch = scratch
            output = scratch.path("release")
            let root = Repo.root.path
            // CTDC's layout with aggregates, so that every kind of file a release holds is written
            // while the kills land.
            func job(_ inputs: [String]) -> String {
                """
                version: 1
                policy: \(root)/Policies/ctdc-global.yaml
                inputs:
                \(inputs.map { "  - " + $0 }.joined(separator: "\n"))
                output: \(scratch.path("release"))
                rejects: \(scratch.path("release.rejects.csv"))
                aggregates:
                  combinations: {attributes: [Datasource, gender, ageBroad, isForcedLabour], length: 2, resolution: 10}
                  tables:
                    - {name: gender-by-age, dimensions: [gender, ageBroad]}

                """
            }
            jobs = [
                try scratch.write("a.yaml", job(["{profile: casemgmt, path: \(root)/Examples/partners/casemgmt.csv}"])),
                try scratch.write("b.yaml", job(["{profile: casemgmt, path: \(root)/Examples/partners/casemgmt.csv}",
                                                 "{profile: hotline, path: \(root)/Examples/partners/hotline.xml}"])),
            ]
        }
    }

    /// Starts `htdx run JOB`, kills it after `delay` seconds (or lets it finish if nil), and says
    /// whether it was killed.
    @discardableResult
    static func run(_ job: String, crashAt: Int? = nil, killAfter delay: Double? = nil, fallback: Bool = false) throws -> Bool {
        // Each run starts a history of its own: the two jobs' releases are compared by their files,
        // which a history of every earlier run would change (HistoryKillTests kills the history).
        try? FileManager.default.removeItem(atPath: (job as NSString).deletingLastPathComponent + "/release.history")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: htdxExecutable!)
        process.arguments = ["run", job]
        var environment = ProcessInfo.processInfo.environment
        if let crashAt { environment["HTDX_CRASH_AT"] = String(crashAt) }
        if fallback { environment["HTDX_REFUSE_EXCHANGE"] = "1" }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }

    static func manifest(_ directory: String) throws -> Manifest {
        try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json")))
    }

    /// Which release (index into `references`) the directory holds, after checking it whole.
    static func check(_ output: String, references: [Manifest], fallback: Bool, point: String) throws -> Int? {
        var directory = output
        if !FileManager.default.fileExists(atPath: output) {
            // Only the fallback may leave the destination absent, with the old release aside.
            let aside = (output as NSString).deletingLastPathComponent + "/.release.previous"
            #expect(fallback, "\(point): the release directory is missing")
            #expect(FileManager.default.fileExists(atPath: aside), "\(point): the release is missing and nothing waits aside")
            guard FileManager.default.fileExists(atPath: aside) else { return nil }
            directory = aside
        }
        let findings = Result { try ReleaseVerifier.verify(directory: directory) }
        #expect(throws: Never.self, "\(point): the release does not verify") { try findings.get() }
        let found = try manifest(directory)
        let index = references.firstIndex { $0.files == found.files && $0.jobSHA256 == found.jobSHA256 }
        #expect(index != nil, "\(point): the directory holds neither release")
        return index
    }

    func exercise(fallback: Bool, timedKills: Int) throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        // The two complete releases, for reference, each made by replacing the other (as every run
        // below does; the first publication of a directory is a plain rename). The slower run's
        // duration sets the timer range.
        var references: [Manifest] = []
        var duration = 0.0
        for job in f.jobs + f.jobs {
            let start = Date()
            #expect(try Self.run(job, fallback: fallback) == false)
            duration = max(duration, Date().timeIntervalSince(start))
            references.append(try Self.manifest(f.output))
        }
        references.removeFirst(2)
        #expect(references[0].files != references[1].files)
        var current = 1
        var points = 0

        // Every numbered point of writing and publishing, until a run passes them all.
        var n = 1
        while n < 100 {
            let killed = try Self.run(f.jobs[1 - current], crashAt: n, fallback: fallback)
            points += killed ? 1 : 0
            if let index = try Self.check(f.output, references: references, fallback: fallback, point: "crash point \(n)") {
                current = index
            }
            if !killed { break }
            n += 1
        }
        #expect(n > 5, "too few crash points were reached")

        // Kills at times spread over a whole run, to land where no numbered point is.
        for i in 0..<timedKills {
            let delay = duration * 1.1 * Double(i) / Double(timedKills)
            let killed = try Self.run(f.jobs[1 - current], killAfter: delay, fallback: fallback)
            points += killed ? 1 : 0
            if let index = try Self.check(f.output, references: references, fallback: fallback, point: String(format: "kill after %.3f s", delay)) {
                current = index
            }
        }
        #expect(points >= timedKills / 2 + 5, "too few runs were killed before they ended (\(points))")

        // A clean run afterwards publishes, verifies, and leaves no staging directory behind.
        #expect(try Self.run(f.jobs[1 - current], fallback: fallback) == false)
        #expect(try Self.check(f.output, references: references, fallback: false, point: "after the kills") == 1 - current)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.scratch.url.path)
            .filter { $0.contains(".staging-") || $0.contains(".probe-") || $0.hasSuffix(".previous") }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test func killedAtAnyPointTheReleaseIsOldOrNewAndVerifies() throws {
        try exercise(fallback: false, timedKills: 200)
    }

    @Test func theTwoRenameFallbackRecoversFromAKillBetweenItsRenames() throws {
        try exercise(fallback: true, timedKills: 40)
    }
}
