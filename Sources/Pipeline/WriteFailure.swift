import Foundation

/// A failed write in words a data officer can act on: a full disk is said to be one, rather than
/// shown as Foundation's error dump.
public enum WriteFailure {
    /// `path` and why it could not be written, ending in `nothing was published`.
    static func message(_ path: String, _ error: any Error) -> String {
        "\(path): \(reason(error)); nothing was published"
    }

    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let code = posixCode(ns) {
            if code == ENOSPC || code == EDQUOT { return diskFull }
            return "cannot write it: " + String(cString: strerror(code))
        }
        guard ns.domain == NSCocoaErrorDomain else { return "cannot write it (\(ns.domain) error \(ns.code))" }
        switch ns.code {
        case NSFileWriteOutOfSpaceError: return diskFull
        case NSFileWriteNoPermissionError: return "cannot write it: permission denied"
        case NSFileWriteVolumeReadOnlyError: return "cannot write it: the file system is read-only"
        default: return "cannot write it (error \(ns.code))"
        }
    }

    static let diskFull = "the disk is full (or a quota is exceeded)"

    /// Whether a message made from `strerror` reports a full disk.
    static func saysDiskFull(_ text: String) -> Bool {
        text.contains(String(cString: strerror(ENOSPC))) || text.contains(String(cString: strerror(EDQUOT)))
    }

    private static func posixCode(_ error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError { return posixCode(underlying) }
        return nil
    }
}

extension RunError {
    /// A failure reported by a writer as `PATH: cannot write: No space left on device`, said as
    /// a full disk, with what that means for the release.
    public var explainingFullDisk: RunError {
        guard case .internalError(let message) = self, WriteFailure.saysDiskFull(message) else { return self }
        let path = message.range(of: ": ").map { String(message[..<$0.lowerBound]) } ?? "a file of the release"
        return .internalError("\(path): \(WriteFailure.diskFull); nothing was published. Free some space, then run again")
    }
}
