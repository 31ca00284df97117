import Dispatch
import Foundation

/// Where a preview or an explanation writes its release: a directory of this process's own under
/// the system's temporary directory, readable by this user only, since it holds the records as a
/// real release does before it is published. Its name carries the process id, so that what a
/// killed preview left behind is removed by the next one, and by this process's signal handler.
public enum PreviewDirectory {
    static let prefix = "htdx-preview-"

    static var parent: String { (NSTemporaryDirectory() as NSString).standardizingPath }

    static func make() throws(RunError) -> String {
        removeDead()
        var template = Array((parent as NSString).appendingPathComponent("\(prefix)\(getpid())-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .internalError("cannot create a temporary directory for the preview in \(parent): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// On SIGINT, SIGTERM and SIGHUP, removes this process's preview directories, then exits
    /// with 128 + the signal's number, as a shell reports a process the signal ended: a preview
    /// stopped by hand or by a scheduler leaves no records behind.
    public static func removeOnSignal() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                removeOwn()
                // Not re-raised: the dispatch source may keep the signal blocked, and it must end the process.
                _exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func removeOwn() {
        remove { $0 == getpid() }
    }

    /// Preview directories of processes that no longer exist.
    static func removeDead() {
        remove { $0 != getpid() && kill($0, 0) != 0 && errno == ESRCH }
    }

    private static func remove(where owned: (pid_t) -> Bool) {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = pid_t(entry.dropFirst(prefix.count).prefix { $0.isNumber }), owned(pid) else { continue }
            try? fm.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
        }
    }
}
