import Export
import Foundation
@testable import Pipeline
import TestSupport
import Testing

/// A job's world in a scratch directory: `Policies/` (a copy of the shipped policies and their
/// hierarchies), `job/partners/cases.csv`, `job/notes.txt`, and `job/job.yaml`, whose output and
/// rejects each test chooses.
struct World {
    let scratch: Scratch
    var root: String { scratch.url.path }
    var jobDirectory: String { scratch.path("job") }
    var jobFile: String { scratch.path("job/job.yaml") }
    var policy: String { scratch.path("Policies/example.yaml") }
    var cases: String { scratch.path("job/partners/cases.csv") }

    init() throws {
        scratch = try Scratch()
        let fm = FileManager.default
        try fm.copyItem(atPath: Repo.root.appendingPathComponent("Policies").path, toPath: scratch.path("Policies"))
        try fm.createDirectory(atPath: scratch.path("job/partners"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: Repo.root.appendingPathComponent("Examples/cases.csv").path, toPath: cases)
        try scratch.write("job/notes.txt", "minutes of the partners' meeting\n")
    }

    func writeJob(output: String, rejects: String? = nil) throws {
        try scratch.write("job/job.yaml", """
            version: 1
            policy: ../Policies/example.yaml
            inputs:
              - {csv: partners/cases.csv}
            output: \(output)
            \(rejects.map { "rejects: \($0)" } ?? "")

            """)
    }

    /// Every entry below the world, with a file's SHA-256, a link's target, or "directory".
    func snapshot(of directory: String? = nil) throws -> [String: String] {
        let top = directory ?? root
        var found: [String: String] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: top) else { return found }
        while let name = walker.nextObject() as? String {
            let path = top + "/" + name
            let type = try fm.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            switch type {
            case .typeSymbolicLink?: found[name] = "link " + (try fm.destinationOfSymbolicLink(atPath: path))
            case .typeDirectory?: found[name] = "directory"
            default: found[name] = SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            }
        }
        return found
    }

    func remove() { scratch.remove() }
}

@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct NeverDestroyTests {
    /// Runs the job with `output` and `rejects`, and checks that it exits 2 naming `named`, and
    /// that nothing in the world changed: no file, no new lock or staging entry.
    func refused(output: String, rejects: String? = nil, named: String, prepare: (World) throws -> Void = { _ in }) throws {
        let world = try World()
        defer { world.remove() }
        try prepare(world)
        try world.writeJob(output: output, rejects: rejects)
        let before = try world.snapshot()
        let result = try HtdxProcess.run(["run", world.jobFile])
        #expect(result.status == 2, "output \(output), rejects \(rejects ?? "-"): exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(named), "the message does not name \(named): \(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"))
        #expect(try world.snapshot() == before, "output \(output), rejects \(rejects ?? "-") changed the files")
    }

    @Test func anOutputThatHoldsTheInputsOrTheJobOrThePoliciesIsRefused() throws {
        try refused(output: "partners", named: "partners")
        try refused(output: ".", named: "job/.")
        try refused(output: "../job", named: "../job")
        try refused(output: "../Policies", named: "../Policies")
        try refused(output: "../Policies/hierarchies", named: "../Policies/hierarchies")
        try refused(output: "partners/../../Policies", named: "partners/../../Policies")
        try refused(output: "..", named: "job/..")
    }

    @Test func anOutputReachedThroughASymbolicLinkIsJudgedWhereItLands() throws {
        // A link to the folder of the inputs, and a link to a folder of someone's own files.
        try refused(output: "inputs", named: "inputs") { world in
            try FileManager.default.createSymbolicLink(atPath: world.scratch.path("job/inputs"), withDestinationPath: "partners")
        }
        try refused(output: "elsewhere", named: "elsewhere") { world in
            try world.scratch.write("victim/letter.txt", "not a release\n")
            try FileManager.default.createSymbolicLink(atPath: world.scratch.path("job/elsewhere"), withDestinationPath: "../victim")
        }
        // A hard link of the input in a folder given as the output: the same file, by inode.
        try refused(output: "copies", named: "copies") { world in
            try FileManager.default.createDirectory(atPath: world.scratch.path("job/copies"), withIntermediateDirectories: true)
            try FileManager.default.linkItem(atPath: world.cases, toPath: world.scratch.path("job/copies/cases.csv"))
        }
    }

    /// Runs a system tool quietly; -1 when it is not there.
    func tool(_ path: String, _ arguments: [String]) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: path) else { return -1 }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// A real full disk: a 64 KiB tmpfs, where this user may mount one.
    @Test func aFullDiskIsSaidInWordsAndNothingIsPublished() throws {
        let world = try World()
        defer { world.remove() }
        let small = world.scratch.path("small")
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        guard getuid() == 0, try tool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small]) == 0 else { return }
        defer { _ = try? tool("/bin/umount", [small]) }
        let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", small + "/release", world.cases])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the disk is full (or a quota is exceeded); nothing was published"), "\(result.stderr)")
        #expect(!result.stderr.contains("Domain") && !result.stderr.contains("Code="))
        // The rejects file is moved into place after pass 1 on purpose, so that a run that stops
        // later still lists what it rejected; nothing else may be left.
        let left = try FileManager.default.contentsOfDirectory(atPath: small).filter { !$0.hasSuffix(".lock") && $0 != "release.rejects.csv" }
        #expect(left.isEmpty, "\(left)")
        #expect(!FileManager.default.fileExists(atPath: small + "/release"))
    }

    /// A bind mount shows the inputs' folder under another path, which only the device and
    /// inode give away. Tried only where this user may mount (root in a container that allows it).
    @Test func aBindMountOfTheInputsIsKnownByItsInode() throws {
        let world = try World()
        defer { world.remove() }
        let mountPoint = world.scratch.path("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard getuid() == 0, try tool("/bin/mount", ["--bind", world.scratch.path("job/partners"), mountPoint]) == 0 else { return }
        defer { _ = try? tool("/bin/umount", [mountPoint]) }
        try world.writeJob(output: "../mnt", rejects: "../out/release.rejects.csv")
        let before = try world.snapshot(of: world.scratch.path("job"))
        let output = try HtdxProcess.run(["run", world.jobFile])
        #expect(output.status == 2 && output.stderr.contains("is or contains the input"), "\(output.stderr)")
        try world.writeJob(output: "../out/release", rejects: "../mnt/cases.csv")
        let rejects = try HtdxProcess.run(["run", world.jobFile])
        #expect(rejects.status == 2 && rejects.stderr.contains("../mnt/cases.csv is the input"), "\(rejects.stderr)")
        try world.writeJob(output: "../mnt", rejects: "../out/release.rejects.csv")
        #expect(try world.snapshot(of: world.scratch.path("job")) == before)
    }

    @Test func anOutSymlinkToANonReleaseDirectoryIsRefused() throws {
        let world = try World()
        defer { world.remove() }
        try world.scratch.write("victim/letter.txt", "not a release\n")
        try FileManager.default.createSymbolicLink(atPath: world.scratch.path("out"), withDestinationPath: world.scratch.path("victim"))
        let before = try world.snapshot()
        let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("out"), world.cases])
        #expect(result.status == 2 && result.stderr.contains(world.scratch.path("out")), "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("not an htdx release"))
        #expect(try world.snapshot() == before)
    }

    @Test func aDirectoryThatIsNotAReleaseIsRefusedAndAChangedReleaseToo() throws {
        try refused(output: "../mine", named: "../mine") { world in
            try world.scratch.write("mine/thesis.docx", "chapter one\n")
        }
        // Only a manifest.json of another program's.
        try refused(output: "../mine", named: "../mine") { world in
            try world.scratch.write("mine/manifest.json", "{\"name\": \"a web app\"}\n")
        }
        // A release that a file was added to after publication no longer verifies: refused.
        try refused(output: "../release", named: "no longer verifies") { world in
            try world.writeJob(output: "../release")
            let first = try HtdxProcess.run(["run", world.jobFile])
            #expect(first.status == 0, "\(first.stderr)")
            try world.scratch.write("release/draft.txt", "a note kept beside the data\n")
        }
    }

    @Test func aRejectsFileIsOverwrittenOnlyWhenItIsOne() throws {
        try refused(output: "../out/release", rejects: "partners/cases.csv", named: "partners/cases.csv")
        try refused(output: "../out/release", rejects: "../Policies/example.yaml", named: "../Policies/example.yaml")
        try refused(output: "../out/release", rejects: "../Policies/hierarchies/gender.csv", named: "../Policies/hierarchies/gender.csv")
        try refused(output: "../out/release", rejects: "job.yaml", named: "job.yaml")
        try refused(output: "../out/release", rejects: "notes.txt", named: "notes.txt")
        try refused(output: "../out/release", rejects: "partners", named: "partners")
        // The input by another name: a hard link.
        try refused(output: "../out/release", rejects: "twin.csv", named: "twin.csv") { world in
            try FileManager.default.linkItem(atPath: world.cases, toPath: world.scratch.path("job/twin.csv"))
        }
        // A symbolic link to the policy.
        try refused(output: "../out/release", rejects: "link.csv", named: "link.csv") { world in
            try FileManager.default.createSymbolicLink(atPath: world.scratch.path("job/link.csv"), withDestinationPath: world.policy)
        }
    }

    /// `.NAME.previous` beside the output is where a crash may leave the old release; a folder
    /// of someone else's under that name is neither put back nor removed.
    @Test func aForeignFolderWhereThePreviousReleaseWouldBeIsLeftAlone() throws {
        let world = try World()
        defer { world.remove() }
        try world.writeJob(output: "../out/release", rejects: "../out/release.rejects.csv")
        #expect(try HtdxProcess.run(["run", world.jobFile]).status == 0)
        let aside = world.scratch.path("out/.release.previous")
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: aside + "/notes.txt"))
        let run = try HtdxProcess.run(["run", world.jobFile])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(".release.previous"), "\(run.stderr)")
        #expect(try String(contentsOfFile: aside + "/notes.txt", encoding: .utf8) == "keep me")
        #expect(try HtdxProcess.run(["verify", world.scratch.path("out/release")]).status == 0)
    }

    @Test func aReleaseIsReplacedAndVerifiesAndAnEmptyDirectoryIsAccepted() throws {
        let world = try World()
        defer { world.remove() }
        try FileManager.default.createDirectory(atPath: world.scratch.path("out/release"), withIntermediateDirectories: true)
        try world.writeJob(output: "../out/release", rejects: "../out/release.rejects.csv")
        for round in 1...2 {
            let run = try HtdxProcess.run(["run", world.jobFile])
            #expect(run.status == 0, "round \(round): \(run.stderr)")
        }
        let verify = try HtdxProcess.run(["verify", world.scratch.path("out/release")])
        #expect(verify.status == 0, "\(verify.stderr)")
        let rejects = try String(contentsOfFile: world.scratch.path("out/release.rejects.csv"), encoding: .utf8)
        #expect(rejects.hasPrefix(PublishTargets.rejectsHeader + "\n"))
        // Nothing of the publishing is left beside the release.
        let beside = try FileManager.default.contentsOfDirectory(atPath: world.scratch.path("out")).filter { !$0.hasSuffix(".lock") }
        #expect(beside.sorted() == ["release", "release.history", "release.rejects.csv"])
    }

    @Test func aLinkToAReleaseReplacesTheReleaseAndKeepsTheLink() throws {
        let world = try World()
        defer { world.remove() }
        let first = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("v1"), world.cases])
        #expect(first.status == 0, "\(first.stderr)")
        try FileManager.default.createSymbolicLink(atPath: world.scratch.path("current"), withDestinationPath: "v1")
        let again = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("current"),
                                         "--rejects", world.scratch.path("current.rejects.csv"), world.cases])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: world.scratch.path("current")) == "v1")
        let verify = try HtdxProcess.run(["verify", world.scratch.path("current")])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test func aBareRejectsFileNameIsAnEverydaySpelling() throws {
        let world = try World()
        defer { world.remove() }
        let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", "o", "--rejects", "r.csv", world.cases],
                                         in: world.root)
        #expect(result.status == 0, "\(result.status): \(result.stderr)")
        let rejects = try String(contentsOfFile: world.scratch.path("r.csv"), encoding: .utf8)
        #expect(rejects.hasPrefix(PublishTargets.rejectsHeader + "\n"))
        #expect(FileManager.default.fileExists(atPath: world.scratch.path("o/manifest.json")))
        // Bare names everywhere, from the policy's own folder.
        let again = try HtdxProcess.run(["anonymize", "--policy", "example.yaml", "--out", "o", "--rejects", "r.csv",
                                         "--input", "partners.yaml=missing.csv"], in: world.scratch.path("Policies"))
        #expect(again.status == 2 && !again.stderr.contains("Illegal instruction"), "\(again.status): \(again.stderr)")
    }

    /// System directories are tried only through `htdx preview`, which publishes nothing
    /// whatever happens, so that a failing test cannot harm the machine.
    @Test func systemDirectoriesAreRefusedOutright() throws {
        let world = try World()
        defer { world.remove() }
        let passwd = FileManager.default.contents(atPath: "/etc/passwd")
        var home = ["/", "/etc", "/usr", "/var", "/bin", "/tmp", "/home", "/etc/htdx-release", "/usr/share/htdx-release"]
        if FileManager.default.fileExists(atPath: "/lib") { home.append("/lib") }
        for output in home {
            try world.writeJob(output: output, rejects: "../out/release.rejects.csv")
            let result = try HtdxProcess.run(["preview", "--no-html", world.jobFile])
            #expect(result.status == 2 && result.stderr.contains(output), "\(output): \(result.status) \(result.stderr)")
        }
        // The home directory itself, even empty.
        let fakeHome = world.scratch.path("home")
        try FileManager.default.createDirectory(atPath: fakeHome, withIntermediateDirectories: true)
        try world.writeJob(output: fakeHome, rejects: "../out/release.rejects.csv")
        let result = try HtdxProcess.run(["preview", "--no-html", world.jobFile], environment: ["HOME": fakeHome])
        #expect(result.status == 2 && result.stderr.contains("home directory"), "\(result.stderr)")
        // An existing file that is not a rejects file, and a new one in /etc.
        for rejects in ["/etc/passwd", "/etc/htdx.rejects.csv"] {
            try world.writeJob(output: "../out/release", rejects: rejects)
            let result = try HtdxProcess.run(["preview", "--no-html", world.jobFile])
            #expect(result.status == 2 && result.stderr.contains(rejects), "\(rejects): \(result.stderr)")
        }
        #expect(FileManager.default.contents(atPath: "/etc/passwd") == passwd)
        #expect(!FileManager.default.fileExists(atPath: "/etc/htdx.rejects.csv"))
    }

    @Test func theCheckRefusesSystemDirectoriesWithoutTouchingThem() throws {
        for output in ["/", "/etc", "/usr", "/var", "/boot", "/root", "/home", "/opt", "/srv", "/tmp", "/tmp/", "/etc/../etc",
                       "/etc/new-release", "/usr/local/share/new-release", "/proc/self"] {
            #expect(throws: RunError.self, "\(output)") {
                try PublishTargets.check(output: output, rejects: "/nonexistent-\(UUID().uuidString)/r.csv")
            }
        }
        #expect(SystemDirectories.named("/lib64") != nil || !FileManager.default.fileExists(atPath: "/lib64"))
        #expect(SystemDirectories.named("/var/lib") == nil)
    }

    @Test func verifySaysWhatDoesNotCheckOutNotWhatWasNotPublished() throws {
        let world = try World()
        defer { world.remove() }
        try world.scratch.write("mine/manifest.json", "{}")
        let result = try HtdxProcess.run(["verify", world.scratch.path("mine")])
        #expect(result.status == 1 && !result.stderr.contains("nothing was published"), "\(result.stderr)")
        #expect(result.stderr.contains("does not verify"))
    }

    @Test func aFullDiskIsSaidInWords() {
        let cocoa = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError)
        #expect(WriteFailure.message("out/report.json", cocoa) == "out/report.json: the disk is full (or a quota is exceeded); nothing was published")
        let posix = NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EDQUOT))])
        #expect(WriteFailure.reason(posix) == WriteFailure.diskFull)
        let writer = RunError.internalError("/x/.release.staging-1/anonymized.csv: cannot write: \(String(cString: strerror(ENOSPC)))")
        #expect(writer.explainingFullDisk.description
                == "/x/.release.staging-1/anonymized.csv: the disk is full (or a quota is exceeded); nothing was published. Free some space, then run again")
    }

    @Test func aRunThatFindsTheLockHeldSaysAnotherRunHoldsIt() throws {
        let world = try World()
        defer { world.remove() }
        let out = world.scratch.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let lock = open(PathText.resolved(out)! + "/.release.lock", O_RDWR | O_CREAT, 0o600)
        #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        defer { close(lock) }
        let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", out + "/release", world.cases])
        #expect(result.status == 1 && result.stderr.contains("another htdx run holds this lock"), "\(result.stderr)")
        #expect(!result.stderr.contains("cannot write"))
        #expect(!FileManager.default.fileExists(atPath: out + "/release"))
    }
}

@Suite struct PathTextTests {
    @Test func aBareNameHasTheCurrentFolderAsItsParent() {
        #expect(PathText.parent("r.csv") == ".")
        #expect(PathText.parent("/r.csv") == "/")
        #expect(PathText.parent("a/b/") == "a")
        #expect(PathText.parent("a//b") == "a")
        #expect(PathText.name("a/b/") == "b")
        #expect(PathText.name("/") == "/")
        #expect(PathText.name("r.csv") == "r.csv")
    }

    @Test func resolvingFollowsLinksAndKeepsTheMissingPart() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("real/file.txt", "x")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link"), withDestinationPath: scratch.path("real"))
        let real = PathText.resolved(scratch.path("real"))!
        #expect(PathText.resolved(scratch.path("link/file.txt")) == real + "/file.txt")
        #expect(PathText.resolved(scratch.path("link/new/../other")) == real + "/other")
        #expect(PathText.resolved(scratch.path("link/..")) == PathText.parent(real))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("dangling"), withDestinationPath: scratch.path("nowhere"))
        #expect(PathText.resolved(scratch.path("dangling/x")) == nil)
        #expect(PathText.resolved(scratch.path("dangling")) == nil)
    }
}
