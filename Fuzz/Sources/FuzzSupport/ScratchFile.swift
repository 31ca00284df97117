import Foundation

/// A file private to this fuzzing process that each input is written to, because the readers
/// under test open paths, not memory. It lives in `$HTDX_FUZZ_SCRATCH` (which Benchmarks/fuzz.sh
/// sets up with the hierarchy files policies name) or the temporary directory.
public struct ScratchFile: Sendable {
    public let path: String

    public init(name: String) {
        let directory = ProcessInfo.processInfo.environment["HTDX_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        path = (directory.hasSuffix("/") ? directory : directory + "/") + "fuzz-\(getpid())-\(name)"
    }

    /// Replaces the file's contents with `count` bytes from `start`.
    public func write(_ start: UnsafeRawPointer, _ count: Int) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot write the scratch file \(path)")
        defer { close(fd) }
        var done = 0
        while done < count {
            let n = Foundation.write(fd, start + done, count - done)
            if n < 0 && errno == EINTR { continue }
            precondition(n > 0, "cannot write the scratch file \(path)")
            done += n
        }
    }
}
