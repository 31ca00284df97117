import Export
import Foundation

/// The history's path, checked with the output and the rejects file before anything is created:
/// never the release, inside it or around it (the history is private; the release is public),
/// never where a file the run reads lies, never a system directory, and absent, empty or an htdx
/// history (``ReleaseHistory/state(of:)``).
enum HistoryTargets {
    /// `OUTPUT.history` beside the output, however the output is spelt (`out/release/` included).
    static func defaultPath(_ output: String) -> String {
        var trimmed = output
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + ".history"
    }

    /// Returns the history's path resolved.
    static func check(_ history: String, output: String, release: String, rejects: String,
                      protecting files: [ProtectedFile]) throws(RunError) -> String {
        guard let resolved = PathText.resolved(history) else {
            throw .configuration("the history \(history) cannot be followed (a symbolic link to nowhere, or a file used as a folder); give a real path")
        }
        if resolved == release || PathText.isInside(resolved, release) {
            throw .configuration("the history \(history) is inside the output directory \(output); the history says what each release "
                + "published and must stay out of the published drop. Give a directory beside it, such as \(release).history")
        }
        if PathText.isInside(release, resolved) {
            throw .configuration("the history \(history) contains the output directory \(output); give a directory of its own beside it, "
                + "such as \(release).history")
        }
        if resolved == rejects || PathText.isInside(rejects, resolved) {
            throw .configuration("the history \(history) is or contains the rejects file \(rejects); give each its own path")
        }
        if let system = SystemDirectories.named(resolved) ?? SystemDirectories.personal(resolved) {
            throw .configuration("the history \(history) is \(system), a system or home directory; give a directory of its own, "
                + "such as \(release).history")
        }
        try SystemDirectories.checkFolder(of: history, resolved: resolved, what: "the history")
        for file in files {
            guard let target = PathText.resolved(file.path) else { continue }
            if target == resolved || PathText.isInside(target, resolved) {
                throw .configuration("the history \(history) is or contains \(file.role) \(file.path); htdx never writes over what it reads. "
                    + "Give the history a directory of its own, such as \(release).history")
            }
            var st = stat()
            if stat(target, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, PathText.isInside(resolved, target) {
                throw .configuration("the history \(history) lies inside \(file.role) \(file.path), a folder htdx reads; give a path outside it")
            }
        }
        do {
            _ = try ReleaseHistory.state(of: resolved)
        } catch {
            throw .configuration("the history \(history) \(error.message)")
        }
        var existing = resolved
        while !FileManager.default.fileExists(atPath: existing) && existing != "/" { existing = PathText.parent(existing) }
        guard access(existing, W_OK | X_OK) == 0 else {
            throw .configuration("the history \(history) cannot be written: \(existing) is not a directory this user can write in")
        }
        return resolved
    }
}

extension AnonymizeRun {
    /// The history this run reads: completed after a kill when it publishes, read only otherwise.
    func loadHistory(_ path: String, output: String, writes: Bool) throws(RunError) -> HistoryContext {
        let history = ReleaseHistory(path: path)
        func publishedManifest() -> String? {
            FileManager.default.contents(atPath: output + "/" + Manifest.fileName).map { SHA256.hex([UInt8]($0)) }
        }
        do {
            let entries: [HistoryEntry]
            var lock: ReleaseHistory.Lock?
            var manifest = publishedManifest()
            // An absent history is created only when the release is about to be delivered, so
            // that a run that fails leaves nothing behind.
            if writes, try ReleaseHistory.state(of: path) == .history {
                lock = try history.lock()
                // Read again under the lock: a run that held it may have published meanwhile, and
                // its pending entry must be judged against the release now in place.
                manifest = publishedManifest()
                try history.recover(publishedManifestSHA256: manifest)
                entries = try history.entries()
            } else {
                entries = try history.entries(includingPendingOf: manifest)
            }
            return HistoryContext(history: history, entries: entries, publishedManifestSHA256: manifest, output: output,
                                  writes: writes, lock: lock)
        } catch {
            throw .configuration("the history \(error.description)")
        }
    }
}
