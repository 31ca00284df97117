import Anonymize
import Export
import Foundation
import PolicyFile
import Tabular

/// Where one run's release goes. Every run writes and checks its release the same way; the sink
/// decides where it is staged, whether it is published, and what the caller gets back besides
/// the report.
public enum RunSink: Sendable {
    /// `htdx anonymize`, `htdx run`: the release replaces the output directory, and the rejects
    /// file its own.
    case publish
    /// `htdx preview`: the release is written and checked in a private temporary directory that is
    /// then removed; the output directory and rejects file are not touched. The outcome carries
    /// what the preview page draws.
    case preview
    /// `htdx explain`: as a preview, noting the fates of the records the selector picks.
    case explain(RecordSelector)

    var destination: any RunDestination {
        switch self {
        case .publish: PublishingSink()
        case .preview: PreviewSink()
        case .explain(let selector): ExplainSink(selector: selector)
        }
    }
}

/// Where a run's files go, made once every check has passed.
struct RunPlace {
    /// The directory the release is staged for, and moved into if it is published.
    let release: String
    /// Where the rejects file is moved when pass 1 ends.
    let rejects: String
    /// The rejects file as messages name it; nil when it goes when the run ends.
    let rejectsShown: String?
    /// Removes what the sink made for this run alone.
    let remove: () -> Void
}

/// What a finished run knows that a sink may hand back.
struct FinishedRun {
    let document: PolicyDocument
    let policyPath: String
    let hierarchies: [Hierarchy]
    let levels: [Int]
    /// Per quasi-identifier: the records holding each raw value, before anonymisation.
    let rawFrequencies: [[String: Int]]
    let watch: RecordWatch?
}

protocol RunDestination {
    /// Makes the run's place; called after every check, before anything of the release is written.
    func prepare(_ targets: PublishTargets.Resolved, rejectsPublished: String) throws(RunError) -> RunPlace
    /// The records whose fates the publishing pass notes, if any.
    var watching: RecordSelector? { get }
    /// Publishes the checked release, or leaves it to be discarded; true when it was published.
    func deliver(_ staging: AtomicDirectory) throws(ExportError) -> Bool
    /// Adds to the outcome what this sink hands back.
    func finish(_ outcome: inout AnonymizeRun.Outcome, _ run: FinishedRun)
}

struct PublishingSink: RunDestination {
    func prepare(_ targets: PublishTargets.Resolved, rejectsPublished: String) throws(RunError) -> RunPlace {
        // Made now, not after publishing, when the rejects file is moved into it.
        do {
            try FileManager.default.createDirectory(atPath: PathText.parent(targets.rejects), withIntermediateDirectories: true)
        } catch {
            throw .configuration("cannot create \(PathText.parent(rejectsPublished)) for the rejects file: \(WriteFailure.reason(error))")
        }
        return RunPlace(release: targets.output, rejects: targets.rejects, rejectsShown: targets.rejects, remove: {})
    }

    var watching: RecordSelector? { nil }

    func deliver(_ staging: AtomicDirectory) throws(ExportError) -> Bool {
        try staging.publish()
        return true
    }

    func finish(_ outcome: inout AnonymizeRun.Outcome, _ run: FinishedRun) {}
}

struct PreviewSink: RunDestination {
    func prepare(_ targets: PublishTargets.Resolved, rejectsPublished: String) throws(RunError) -> RunPlace {
        // Written where only this process looks, and removed whole.
        let root = try PreviewDirectory.make()
        return RunPlace(release: root + "/release", rejects: root + "/rejects.csv", rejectsShown: nil,
                        remove: { PreviewDirectory.remove(root) })
    }

    var watching: RecordSelector? { nil }

    func deliver(_ staging: AtomicDirectory) throws(ExportError) -> Bool { false }

    /// Each quasi-identifier's hierarchy and chosen level, its common values before, and the policy.
    func finish(_ outcome: inout AnonymizeRun.Outcome, _ run: FinishedRun) {
        let policy = run.document.policy
        outcome.published = false
        outcome.policyFile = run.policyPath
        outcome.policyText = String(decoding: run.document.bytes, as: UTF8.self)
        let k = policy.privacy.k
        outcome.attributes = policy.quasiIdentifiers.enumerated().map { q, qi in
            let rare = run.rawFrequencies[q].filter { $0.value < k }
            return PreviewPage.Attribute(
                name: qi.name, source: qi.hierarchySource, levels: run.hierarchies[q].labels, chosen: run.levels[q],
                commonBefore: run.rawFrequencies[q].filter { $0.value >= k },
                rareValuesBefore: rare.count, rareRecordsBefore: rare.values.reduce(0, +))
        }
    }
}

struct ExplainSink: RunDestination {
    let selector: RecordSelector
    private let preview = PreviewSink()

    func prepare(_ targets: PublishTargets.Resolved, rejectsPublished: String) throws(RunError) -> RunPlace {
        try preview.prepare(targets, rejectsPublished: rejectsPublished)
    }

    var watching: RecordSelector? { selector }

    func deliver(_ staging: AtomicDirectory) throws(ExportError) -> Bool { false }

    func finish(_ outcome: inout AnonymizeRun.Outcome, _ run: FinishedRun) {
        preview.finish(&outcome, run)
        outcome.fates = run.watch?.fates ?? []
    }
}
