import Foundation
import Tabular

/// A history's failure: the file or directory, and what is wrong with it.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// The release history on disk: a private directory beside the output holding a marker file and
/// one entry per published release (`release-000001.json`, …).
///
/// An entry is written as `release-NNNNNN.json.pending` and flushed before its release is
/// delivered, then renamed into place once the release is. A kill between the two leaves a pending
/// entry; ``recover(publishedManifestSHA256:)`` completes it when the release it describes is the
/// one published, and removes it otherwise, so that the history and the release end in step.
public struct ReleaseHistory {
    /// Marks a directory as an htdx history: htdx writes into no other directory that exists.
    public static let markerName = "htdx-history.json"
    public static let markerFormat = "htdx-history/1"
    static let entryPrefix = "release-"
    static let entrySuffix = ".json"
    static let pendingSuffix = ".json.pending"

    public enum State: Sendable, Equatable {
        case absent, empty, history
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Whether `path` may serve as a history: absent, an empty directory, or a directory with the marker.
    public static func state(of path: String) throws(HistoryError) -> State {
        var st = stat()
        guard stat(path, &st) == 0 else { return .absent }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw HistoryError(path: path, message: "exists and is not a directory; the history must be a directory htdx keeps. Give another path")
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw HistoryError(path: path, message: "cannot be listed; check its permissions")
        }
        if entries.isEmpty { return .empty }
        guard let data = FileManager.default.contents(atPath: path + "/" + markerName),
              let marker = try? JSONDecoder().decode([String: String].self, from: data),
              marker["format"] == markerFormat else {
            throw HistoryError(path: path, message: "is not empty and is not an htdx history (it has no \(markerName)); "
                + "htdx keeps a history only in a directory of its own. Give another path, or move the directory aside yourself")
        }
        return .history
    }

    // MARK: Reading

    /// The completed entries, in order of sequence.
    public func entries() throws(HistoryError) -> [HistoryEntry] {
        var found: [HistoryEntry] = []
        for name in files(suffix: Self.entrySuffix) {
            found.append(try Self.read(path + "/" + name))
        }
        found.sort { $0.sequence < $1.sequence }
        for (i, e) in found.enumerated() where e.sequence != i + 1 {
            throw HistoryError(path: path, message: "entry \(i + 1) is missing (the entries jump to \(e.sequence)); "
                + "a history with a gap cannot prove what was published. Restore it from its backup")
        }
        return found
    }

    /// The entries a read-only look (a preview, an explanation) sees: the completed ones, and the
    /// pending one of the release published, which the next run will complete.
    public func entries(includingPendingOf manifestSHA256: String?) throws(HistoryError) -> [HistoryEntry] {
        var found = try entries()
        if let manifestSHA256 {
            for name in files(suffix: Self.pendingSuffix) {
                let entry = try? Self.read(path + "/" + name)
                if let entry, entry.manifestSHA256 == manifestSHA256, entry.sequence == found.count + 1 { found.append(entry) }
            }
        }
        return found
    }

    static func read(_ file: String) throws(HistoryError) -> HistoryEntry {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw HistoryError(path: file, message: "cannot be read; check its permissions")
        }
        guard let entry = try? HistoryEntry.decode(data), entry.format == HistoryEntry.format else {
            throw HistoryError(path: file, message: "is not an \(HistoryEntry.format) entry; restore the history from its backup")
        }
        return entry
    }

    /// htdx's own file names only: nothing else in the directory is read or removed.
    private func files(suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { Self.sequence(of: $0, suffix: suffix) != nil }.sorted()
    }

    static func sequence(of name: String, suffix: String) -> Int? {
        guard name.hasPrefix(entryPrefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(entryPrefix.count).dropLast(suffix.count)
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    static func fileName(_ sequence: Int) -> String {
        entryPrefix + String(repeating: "0", count: max(0, 6 - String(sequence).count)) + String(sequence)
    }

    // MARK: Writing

    /// Completes the pending entry of the release published (its manifest's SHA-256) and removes
    /// any other: the release it was written for never replaced the published one. Returns the
    /// entries completed.
    @discardableResult
    public func recover(publishedManifestSHA256: String?) throws(HistoryError) -> [HistoryEntry] {
        var completed: [HistoryEntry] = []
        let pendingFiles = files(suffix: Self.pendingSuffix)
        for name in pendingFiles {
            let pending = path + "/" + name
            let entry = try? Self.read(pending)
            if let entry, entry.manifestSHA256 == publishedManifestSHA256 {
                try complete(pending)
                completed.append(entry)
            } else {
                guard unlink(pending) == 0 else {
                    throw HistoryError(path: pending, message: "cannot be removed: \(String(cString: strerror(errno)))")
                }
            }
        }
        if !pendingFiles.isEmpty { Self.sync(path) }
        return completed
    }

    /// An exclusive `flock` on the history's directory, held while the value lives: two runs that
    /// publish different outputs into one history must not both take the next sequence number.
    public final class Lock {
        let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    /// Creates the history (with its marker) when absent or empty, and locks it.
    public func lock() throws(HistoryError) -> Lock {
        try create()
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw HistoryError(path: path, message: "cannot be opened: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw HistoryError(path: path, message: "another htdx run holds this history and is publishing with it; "
                + "wait for it to finish, then run again")
        }
        return Lock(fd: fd)
    }

    /// Writes `entry` as a pending file and flushes it (creating the history, with its marker,
    /// when absent or empty); returns its path.
    public func writePending(_ entry: HistoryEntry) throws(HistoryError) -> String {
        try create()
        let file = path + "/" + Self.fileName(entry.sequence) + Self.pendingSuffix
        let data: Data
        do { data = try entry.jsonData() } catch {
            throw HistoryError(path: file, message: "cannot be encoded: \(error)")
        }
        try Self.writeFlushed(data, to: file)
        Self.sync(path)
        return file
    }

    /// Renames a pending entry into place and flushes the directory.
    public func complete(_ pending: String) throws(HistoryError) {
        let final = String(pending.dropLast(Self.pendingSuffix.count)) + Self.entrySuffix
        guard rename(pending, final) == 0 else {
            throw HistoryError(path: final, message: "the entry cannot be put in place: \(String(cString: strerror(errno)))")
        }
        Self.sync(path)
    }

    private func create() throws(HistoryError) {
        let marker = path + "/" + Self.markerName
        if FileManager.default.fileExists(atPath: marker) { return }
        // Private: the history says what each release published, which a later attacker could use.
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw HistoryError(path: path, message: "cannot be created: \(error.localizedDescription)")
        }
        let text = """
            {"format": "\(Self.markerFormat)", "note": "htdx's release history: keep it private, beside the output, and back it up with it"}

            """
        try Self.writeFlushed(Data(text.utf8), to: marker)
        Self.sync(path)
        Self.sync(PathText.parent(path))
    }

    private static func writeFlushed(_ data: Data, to file: String) throws(HistoryError) {
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HistoryError(path: file, message: "cannot be created: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            throw HistoryError(path: file, message: "cannot be written: \(String(cString: strerror(errno)))")
        }
    }

    static func sync(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
