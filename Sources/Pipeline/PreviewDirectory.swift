import Dispatch
import Export
import Foundation

/// Where a preview or an explanation writes its release, and where a run copies an input that can
/// be read only once (a pipe): a directory of this process's own under the system's temporary
/// directory, readable by this user only, since it holds records.
///
/// Each directory holds `.owner`, locked (`flock`) for as long as the process that made it lives.
/// A directory whose lock can be taken belongs to a process that has ended, which a signal or a
/// kill stopped before it could clean up; the next preview removes it. A lock, not the process id
/// in the name: ids repeat across containers that share a temporary directory.
public enum PreviewDirectory {
    static let prefix = "htdx-preview-"
    /// The prefix of a directory holding copies of inputs read from pipes.
    static let spoolPrefix = "htdx-spool-"

    static var parent: String {
        let temporary = NSTemporaryDirectory()
        return PathText.resolved(temporary) ?? temporary
    }

    /// This process's directories, and the open descriptors that hold their locks.
    private static let mine = NSLock()
    nonisolated(unsafe) private static var made: [String: Int32] = [:]
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    nonisolated(unsafe) private static var handling = false

    static func make(prefix: String = Self.prefix, purpose: String = "the preview") throws(RunError) -> String {
        removeAbandoned()
        // mkdtemp makes the directory with mode 0700.
        var template = Array(PathText.join(parent, "\(prefix)\(getpid())-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .internalError("cannot create a temporary directory for \(purpose) in \(parent): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: created)
        let fd = open(path + "/.owner", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            if fd >= 0 { close(fd) }
            try? FileManager.default.removeItem(atPath: path)
            throw .internalError("cannot lock the temporary directory of \(purpose) \(path): \(String(cString: strerror(errno)))")
        }
        mine.withLock { made[path] = fd }
        return path
    }

    /// Removes a directory this process made, and releases its lock.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        if let fd = mine.withLock({ made.removeValue(forKey: path) }) { close(fd) }
    }

    /// On SIGINT, SIGTERM and SIGHUP, removes this process's preview directories, then exits
    /// with 128 + the signal's number, as a shell reports a process the signal ended: a preview
    /// stopped by hand or by a scheduler leaves no records behind.
    public static func removeOnSignal() {
        let first = mine.withLock { () -> Bool in
            defer { handling = true }
            return !handling
        }
        guard first else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                for path in mine.withLock({ Array(made.keys) }) { try? FileManager.default.removeItem(atPath: path) }
                // Not re-raised: the dispatch source may keep the signal blocked, and it must end the process.
                _exit(128 + sig)
            }
            source.resume()
            mine.withLock { sources.append(source) }
        }
    }

    /// Preview directories whose owner has ended: their lock can be taken. One without a lock
    /// file is being made, or was abandoned before it held anything, and is left alone.
    static func removeAbandoned() {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) || entry.hasPrefix(spoolPrefix) {
            let path = PathText.join(parent, entry)
            if mine.withLock({ made[path] != nil }) { continue }
            let fd = open(path + "/.owner", O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { try? fm.removeItem(atPath: path) }
        }
    }
}
