import Anonymize
import Export
import Foundation
import PolicyFile

extension RunSink {
    /// Only a publication adds to the history: a preview or an explanation reads it.
    var writesHistory: Bool {
        if case .publish = self { return true }
        return false
    }
}

/// An entry written and flushed, not yet in place, and the history's lock held until it is.
struct PendingEntry {
    let path: String
    let lock: ReleaseHistory.Lock?
}

extension AnonymizeRun {
    /// Writes the release's history entry as a pending file, flushed, once the staged release has
    /// verified; nil when the run does not write the history.
    func writePending(_ context: HistoryContext, _ described: DescribedRelease, _ document: PolicyDocument,
                      _ searched: SearchedRun, staging: AtomicDirectory) throws(RunError) -> PendingEntry? {
        guard context.writes, let guarded = searched.guarded else { return nil }
        let manifestPath = staging.path(Manifest.fileName)
        guard let manifest = FileManager.default.contents(atPath: manifestPath) else {
            throw .internalError("\(manifestPath): cannot be read back to record it in the history; nothing was published")
        }
        let policy = document.policy
        let entry = HistoryEntry(
            sequence: context.entries.count + 1, date: HistoryEntry.now(), policySHA256: described.report.policySHA256,
            jobSHA256: jobSHA256, manifestSHA256: SHA256.hex([UInt8](manifest)), k: policy.privacy.k,
            transformation: zip(policy.quasiIdentifiers, searched.levels).map { .init(name: $0.name, level: $1) },
            classes: guarded.classes, aggregates: described.aggregates?.cells ?? [:],
            heldBack: .init(records: guarded.recordsHeldBack, classes: guarded.classesHeldBack))
        var lock = context.lock
        if lock == nil {
            // The history was absent or empty when the run started: made and locked now, and
            // refused if another run published into it meanwhile.
            do throws(HistoryError) {
                lock = try context.history.lock()
                if try !context.history.entries().isEmpty {
                    throw HistoryError(path: context.history.path, message: "another run published with this history while this one ran; run again")
                }
            } catch {
                throw RunError.internalError("the history \(error.description); nothing was published")
            }
        }
        let pending: String
        do { pending = try context.history.writePending(entry) } catch {
            throw RunError.internalError("the history \(error.description); nothing was published").explainingFullDisk
        }
        Crash.point()
        return PendingEntry(path: pending, lock: lock)
    }

    /// Puts the delivered release's entry in place.
    func completeEntry(_ context: HistoryContext, _ pending: PendingEntry) throws(RunError) {
        Crash.point()
        do { try context.history.complete(pending.path) } catch {
            throw .internalError("the release was published, but the history \(error.description). "
                + "The next run, or `htdx verify OUTPUT --history \(context.history.path)`, completes it")
        }
        Crash.point()
    }
}
