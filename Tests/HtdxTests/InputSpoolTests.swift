import Foundation
@testable import Pipeline
import TestSupport
import Testing

/// Inputs that can be read only once (a FIFO, a pipe, standard input) are copied once and read
/// twice; a device or a stray directory is refused. Through the built `htdx`.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct InputSpoolTests {
    @Test func aFIFOInputIsReadForBothPassesAsAFileIs() throws {
        let world = try World()
        defer { world.remove() }
        let plain = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("plain"), world.cases])
        #expect(plain.status == 0, "\(plain.stderr)")

        let fifo = world.scratch.path("job/partners/cases.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: world.cases))
        Thread.detachNewThread {
            // Opened without blocking until the reader has it open, so that a run that never
            // opens it does not leave this thread behind for ever.
            let deadline = Date().addingTimeInterval(120)
            var fd: Int32 = -1
            while fd < 0 && Date() < deadline {
                fd = open(fifo, O_WRONLY | O_NONBLOCK)
                if fd < 0 { usleep(20_000) }
            }
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFL, 0)
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            try? handle.write(contentsOf: bytes)
            try? handle.close()
        }
        let piped = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("piped"),
                                         "--rejects", world.scratch.path("piped.rejects.csv"), fifo])
        #expect(piped.status == 0, "\(piped.status): \(piped.stderr)")
        #expect(FileManager.default.contents(atPath: world.scratch.path("plain/anonymized.csv"))
                == FileManager.default.contents(atPath: world.scratch.path("piped/anonymized.csv")))
        // The rejects file names the input as given, never the private copy.
        let rejects = try String(contentsOfFile: world.scratch.path("piped.rejects.csv"), encoding: .utf8)
        #expect(!rejects.contains("htdx-spool"))
        #expect(rejects.split(separator: "\n").dropFirst().allSatisfy { $0.contains(fifo) })
        #expect(try spoolsLeft().isEmpty)
    }

    @Test func standardInputIsReadAsAnInput() throws {
        let world = try World()
        defer { world.remove() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: world.cases))
        let plain = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("plain"), world.cases])
        #expect(plain.status == 0, "\(plain.stderr)")
        for name in ["-", "/dev/stdin"] {
            let out = world.scratch.path("stdin-\(name == "-" ? "dash" : "dev")")
            let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", out, name], stdin: bytes)
            #expect(result.status == 0, "\(name): \(result.status) \(result.stderr)")
            #expect(FileManager.default.contents(atPath: world.scratch.path("plain/anonymized.csv"))
                    == FileManager.default.contents(atPath: out + "/anonymized.csv"), "\(name)")
        }
        // A value error in piped input is reported against the name given, not the copy.
        let broken = Data("a,b\n1,2\n".utf8)
        let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("broken"), "-"], stdin: broken)
        #expect(result.status != 0 && !result.stderr.contains("htdx-spool") && result.stderr.contains("-"), "\(result.stderr)")
        #expect(try spoolsLeft().isEmpty)
    }

    @Test func aDirectoryOrADeviceAsAnInputIsRefused() throws {
        let world = try World()
        defer { world.remove() }
        for input in [world.scratch.path("job/partners"), "/dev/null"] {
            let result = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", world.scratch.path("o"), input])
            #expect(result.status == 2 && result.stderr.contains(input), "\(input): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: world.scratch.path("o")))
    }

    @Test func aRunStoppedWhileReadingAPipeRemovesItsCopy() throws {
        let world = try World()
        defer { world.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: htdxExecutable!)
        process.arguments = ["anonymize", "--policy", world.policy, "--out", world.scratch.path("o"), "-"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Half the export, and the pipe left open: the run is copying it when the signal comes.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: world.cases))
        try input.fileHandleForWriting.write(contentsOf: bytes.prefix(bytes.count / 2))
        let prefix = PreviewDirectory.spoolPrefix + "\(process.processIdentifier)-"
        let parent = PreviewDirectory.parent
        func spools() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix(prefix) }
        }
        let deadline = Date().addingTimeInterval(60)
        while spools().isEmpty && Date() < deadline { usleep(20_000) }
        let made = spools()
        #expect(made.count == 1)
        var st = stat()
        #expect(stat(parent + "/" + (made.first ?? ""), &st) == 0 && st.st_mode & 0o777 == 0o700)
        process.terminate()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 128 + SIGTERM)
        #expect(spools().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: world.scratch.path("o")))
    }

    /// Spool directories of this test process's children that are still there.
    func spoolsLeft() throws -> [String] {
        let parent = PreviewDirectory.parent
        return try FileManager.default.contentsOfDirectory(atPath: parent).filter { name in
            guard name.hasPrefix(PreviewDirectory.spoolPrefix) else { return false }
            // Only a directory whose owner has ended counts; another suite may be running one.
            let fd = open(parent + "/" + name + "/.owner", O_RDWR)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            return flock(fd, LOCK_EX | LOCK_NB) == 0
        }
    }
}
