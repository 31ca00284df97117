import Foundation
import Tabular
#if canImport(Glibc)
import Glibc
#endif

/// A directory that is written beside its destination, then moved into place in one step, so
/// that readers see either the old release whole or the new release whole, never a mix, and a
/// crash or kill at any point leaves one of the two.
///
/// Where the kernel and file system can swap two paths (`renameat2` with `RENAME_EXCHANGE`), the
/// new directory and the old one trade places in one step and the old one is then removed. Where
/// they cannot, the old release is renamed to `.NAME.previous` and the new one into place: the
/// destination is briefly absent, so a run that finds it absent beside a `.NAME.previous` puts
/// the previous release back before doing anything else.
public struct AtomicDirectory {
    public enum Method: String, Sendable {
        /// Nothing was there to replace: one rename.
        case rename
        /// `renameat2(RENAME_EXCHANGE)`: the destination was never absent.
        case exchange
        /// The file system refused the exchange: the old release moved aside, then the new one in.
        case twoRenames = "two-renames"
    }

    public let destination: String
    /// Where files are written until ``publish()``.
    public let staging: String
    /// How ``publish()`` will replace the destination, found before anything is written so that
    /// the report inside the release can say so.
    public let method: Method
    private let parent: String
    private let previous: String
    private let lock: Lock

    /// An exclusive `flock` on `.NAME.lock` beside the destination, held while the value lives:
    /// two runs that overlap (a slow cron job and the next one) must not interleave their renames.
    final class Lock {
        let fd: Int32
        init(path: String) throws(ExportError) {
            fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw ExportError.io(path: path, message: "cannot open the lock file: \(String(cString: strerror(errno)))") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                throw ExportError.io(path: path, message: "another htdx run holds this lock and is publishing to the same output; "
                    + "wait for it to finish, then run again")
            }
        }
        deinit { close(fd) }
    }

    public init(destination: String) throws(ExportError) {
        let dest = destination
        self.destination = dest
        let name = PathText.name(dest)
        parent = PathText.parent(dest)
        previous = parent + "/.\(name).previous"
        staging = parent + "/.\(name).staging-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ExportError.io(path: parent, message: "cannot create the parent directory: \(error.localizedDescription)")
        }
        lock = try Lock(path: parent + "/.\(name).lock")
        Self.recover(destination: dest, previous: previous, parent: parent, name: name)
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw ExportError.io(path: staging, message: "cannot create the staging directory: \(error.localizedDescription)")
        }
        if !FileManager.default.fileExists(atPath: dest) {
            method = .rename
        } else {
            // HTDX_REFUSE_EXCHANGE=1 takes the fallback on purpose, so that it can be tested on a
            // file system that supports the exchange.
            let refused = ProcessInfo.processInfo.environment["HTDX_REFUSE_EXCHANGE"] == "1"
            method = !refused && Self.canExchange(in: parent, name: name) ? .exchange : .twoRenames
        }
        Crash.point()
    }

    public func path(_ file: String) -> String { staging + "/" + file }

    /// Replaces the destination by the staging directory, by ``method``. The staged files and the
    /// directory are flushed to disk first, so that what is swapped in is what was verified.
    public func publish() throws(ExportError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw ExportError.io(path: destination, message: "exists and is not a directory; nothing was replaced")
        }
        try Self.flush(directory: staging)
        Crash.point()
        if !exists {
            guard rename(staging, destination) == 0 else {
                throw ExportError.io(path: destination, message: String(cString: strerror(errno)))
            }
            Crash.point()
            Self.sync(parent)
            return
        }
        #if os(Linux)
        if method == .exchange, let swap = renameExchange,
           swap(AT_FDCWD, staging, AT_FDCWD, destination, 2 /* RENAME_EXCHANGE */) == 0 {
            Crash.point()
            Self.sync(parent)
            Crash.point()
            try? FileManager.default.removeItem(atPath: staging)
            return
        }
        #endif
        try? FileManager.default.removeItem(atPath: previous)
        Crash.point()
        guard rename(destination, previous) == 0 else {
            throw ExportError.io(path: destination, message: "cannot move the old release aside: \(String(cString: strerror(errno)))")
        }
        Crash.point()
        guard rename(staging, destination) == 0 else {
            let message = String(cString: strerror(errno))
            _ = rename(previous, destination)
            throw ExportError.io(path: destination, message: message)
        }
        Crash.point()
        Self.sync(parent)
        try? FileManager.default.removeItem(atPath: previous)
    }

    /// Removes the staging directory after a failed run.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    // MARK: Recovery and probing

    /// Puts back a previous release that a crash left aside, and removes staging directories of
    /// runs that no longer exist.
    static func recover(destination: String, previous: String, parent: String, name: String) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: destination) && fm.fileExists(atPath: previous) {
            _ = rename(previous, destination)
        } else if fm.fileExists(atPath: destination) && fm.fileExists(atPath: previous) {
            // The new release is in place; the old one was not yet removed.
            try? fm.removeItem(atPath: previous)
        }
        let prefixes = [".\(name).staging-", ".\(name).probe-"]
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] {
            guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }) else { continue }
            let pidText = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            // Only a run that has ended leaves its directory for good; a live one is still writing.
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? fm.removeItem(atPath: parent + "/" + entry)
            }
        }
    }

    /// Whether two directories in `parent` can trade places in one step.
    static func canExchange(in parent: String, name: String) -> Bool {
        #if os(Linux)
        guard let swap = renameExchange else { return false }
        let a = parent + "/.\(name).probe-\(getpid())-a"
        let b = parent + "/.\(name).probe-\(getpid())-b"
        defer {
            rmdir(a)
            rmdir(b)
        }
        guard mkdir(a, 0o700) == 0, mkdir(b, 0o700) == 0 else { return false }
        return swap(AT_FDCWD, a, AT_FDCWD, b, 2) == 0
        #else
        return false
        #endif
    }

    /// fsync of every file in a directory tree, then of the directories.
    static func flush(directory: String) throws(ExportError) {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        var directories = [directory]
        while let name = walker.nextObject() as? String {
            let path = directory + "/" + name
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory {
                directories.append(path)
                continue
            }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ExportError.io(path: path, message: String(cString: strerror(errno))) }
            let result = fsync(fd)
            close(fd)
            guard result == 0 else { throw ExportError.io(path: path, message: "fsync: \(String(cString: strerror(errno)))") }
        }
        for d in directories.reversed() { sync(d) }
    }

    static func sync(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}

/// Numbered points at which a test can have the process killed (environment variable
/// `HTDX_CRASH_AT=N` kills it with SIGKILL at the Nth point reached), so that a kill test can
/// reach every step of writing and publishing, not only the ones a timer happens to land on.
/// Unset, each point costs one comparison.
public enum Crash {
    private nonisolated(unsafe) static var reached = 0
    private static let target: Int = Int(ProcessInfo.processInfo.environment["HTDX_CRASH_AT"] ?? "") ?? 0

    /// Counts a point; kills the process if it is the one asked for.
    public static func point() {
        guard target > 0 else { return }
        reached += 1
        if reached == target { kill(getpid(), SIGKILL) }
    }
}

#if os(Linux)
/// glibc's renameat2, looked up at run time because Swift does not import it; with
/// RENAME_EXCHANGE it swaps two directories in one step.
private let renameExchange: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)
}()
#endif
