import Anonymize
import Export
import Foundation
import PolicyFile

/// The release history as one run sees it: the earlier releases, and the release now published
/// at the output (whose anonymized.csv a hold-back may keep rows from).
struct HistoryContext {
    let history: ReleaseHistory
    /// Earlier releases, oldest first.
    let entries: [HistoryEntry]
    /// The SHA-256 of the manifest of the release at the output, if there is one.
    let publishedManifestSHA256: String?
    /// The output as resolved, where the published release lies.
    let output: String
    /// False for a preview or an explanation: they read the history and never write it.
    let writes: Bool
    /// Held from the start of a publishing run to its end; nil when the run only reads.
    let lock: ReleaseHistory.Lock?
}

/// What the differencing guard decided, for the report, the records pass and the history.
struct GuardOutcome {
    /// Earlier releases compared.
    let compared: Int
    /// The classes as published, hold-back applied: the entry the history will keep.
    var classes: ReleaseClasses
    /// Whether the latest release's transformation replaced the search's.
    var keptEarlier = false
    var recordsHeldBack = 0
    var classesHeldBack = 0
    /// The smallest non-zero difference from any earlier release after the guard.
    var smallestDifference: Int?
    /// The aggregate cells every earlier release published, for the aggregates' own guard.
    let earlierCells: [[String: [String: Int?]]]
}

extension AnonymizeRun {
    /// The differencing guard, between the search and the records pass. With no earlier release
    /// it only notes the classes; otherwise, when some class would differ from an earlier
    /// release's by 1 to k − 1 records, it tries, in order, the latest release's transformation
    /// (classes only grow) and holding back records within what the suppression limit has left.
    func guardRelease(_ searched: SearchedRun, search: OptimalSearch, counted: CountedRun, document: PolicyDocument,
                      context: HistoryContext) throws(RunError) -> SearchedRun {
        let policy = document.policy
        let k = policy.privacy.k
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let published = qiNames.indices.filter { counted.plan.published.contains(qiNames[$0]) }
        let earlier = context.entries.map(\.releaseClasses)
        func classes(_ s: SearchedRun) -> ReleaseClasses {
            HistoryClasses.build(histogram: counted.histogram, hierarchies: counted.hierarchies, levels: s.levels,
                                 suppressedTuples: s.suppressedTuples, blanking: s.blanking, names: qiNames, published: published)
        }
        func offence(_ current: ReleaseClasses) -> (entry: Int, findings: [DifferenceFinding])? {
            for (i, e) in earlier.enumerated() {
                let found = DifferencingGuard.findings(earlier: e, current: current, k: k)
                if !found.isEmpty { return (i, found) }
            }
            return nil
        }
        var chosen = searched
        var outcome = GuardOutcome(compared: earlier.count, classes: classes(searched),
                                   earlierCells: context.entries.map(\.aggregateCells))
        guard let firstOffence = offence(outcome.classes), let latest = context.entries.last else {
            chosen.guarded = finished(outcome, earlier: earlier)
            return chosen
        }
        // The candidates in the order the guard prefers them: the latest release's transformation
        // when it still meets the models within the limit, then the search's.
        var candidates: [(run: SearchedRun, classes: ReleaseClasses, kept: Bool)] = []
        let latestLevels = latest.transformation.map(\.level)
        if latest.transformation.map(\.name) == qiNames, latestLevels != searched.levels,
           zip(latestLevels, counted.hierarchies).allSatisfy({ $0 >= 0 && $0 <= $1.maxLevel }),
           policy.maxLevels.map({ zip(latestLevels, $0).allSatisfy { $0 <= $1 } }) ?? true {
            let evaluated = search.evaluate(levels: latestLevels, on: counted.histogram, sensitive: counted.sensitive)
            if evaluated.best.suppressed <= evaluated.maxSuppressed {
                let kept = decide(evaluated, search: search, counted: counted, document: document)
                candidates.append((kept, classes(kept), true))
            }
        }
        candidates.append((searched, outcome.classes, false))

        if let clean = candidates.first(where: { $0.kept && offence($0.classes) == nil }) {
            chosen = clean.run
            outcome.classes = clean.classes
            outcome.keptEarlier = true
            chosen.guarded = finished(outcome, earlier: earlier)
            return chosen
        }
        // A model that reads sensitive values judges a class by its members, which a partial hold-back
        // would change unseen. k alone needs only that every class left keeps 0 or ≥ k records, which
        // the plan keeps, blanked rows' classes (under their published labels) included.
        let wholeClassesOnly = policy.privacy.models.contains { $0.sensitiveAttribute != nil }
        for candidate in candidates {
            let limit = max(0, candidate.run.result.maxSuppressed - candidate.run.expectedSuppressed)
            guard let plan = DifferencingGuard.holdBack(earlier: earlier, current: candidate.classes, k: k, limit: limit,
                                                        wholeClassesOnly: wholeClassesOnly) else { continue }
            chosen = candidate.run
            var remaining = candidate.classes
            for (key, held) in plan where held > 0 {
                let left = (remaining.counts[key] ?? 0) - held
                remaining.counts[key] = left > 0 ? left : nil
            }
            chosen.holdBack = plan.filter { $0.value > 0 }
            outcome.classes = remaining
            outcome.keptEarlier = candidate.kept
            outcome.recordsHeldBack = chosen.holdBack.values.reduce(0, +)
            outcome.classesHeldBack = chosen.holdBack.count
            // Rows already published may be published again in the same order: only under the
            // same transformation, and only from the release the latest entry describes.
            if chosen.levels == latestLevels, context.publishedManifestSHA256 == latest.manifestSHA256 {
                chosen.previousRelease = context.output + "/anonymized.csv"
            }
            chosen.guarded = finished(outcome, earlier: earlier)
            return chosen
        }
        throw .privacy(Self.refusal(context.entries[firstOffence.entry], findings: firstOffence.findings, k: k,
                                    names: outcome.classes.names, inputs: Self.names(inputs)))
    }

    /// A stable pseudonym links a person's rows across releases, which tells a reader exactly the
    /// newcomers the guard hides: refused once the history holds an earlier release, before any
    /// record is read.
    func refuseStablePseudonyms(_ document: PolicyDocument, _ context: HistoryContext) throws(RunError) {
        let stable = document.policy.stablePseudonyms
        guard !stable.isEmpty, let latest = context.entries.last else { return }
        throw .configuration("\(policyPath): \(stable.joined(separator: ", ")) \(stable.count == 1 ? "is" : "are") pseudonymised with "
            + "scope: stable, which links a person's rows across releases and so shows which records are new since \(latest.name) "
            + "in the history \(context.history.path). Give \(stable.count == 1 ? "it" : "them") scope: release (the default)")
    }

    private func finished(_ outcome: GuardOutcome, earlier: [ReleaseClasses]) -> GuardOutcome {
        var outcome = outcome
        outcome.smallestDifference = earlier.compactMap { DifferencingGuard.smallestDifference(earlier: $0, current: outcome.classes) }.min()
        return outcome
    }

    /// Names the earlier release and up to five offending classes by their published labels.
    static func refusal(_ entry: HistoryEntry, findings: [DifferenceFinding], k: Int, names: [String], inputs: String) -> String {
        let shown = findings.sorted { abs($0.difference) < abs($1.difference) }.prefix(5).map { f in
            "(" + zip(names, f.labels).map { "\($0)=\($1)" }.joined(separator: ", ") + ") by \(f.difference)"
        }
        return "\(inputs): this release would differ from \(entry.name) (sequence \(entry.sequence)) by 1 to \(k - 1) records "
            + "in \(findings.count) class\(findings.count == 1 ? "" : "es"), so subtracting one from the other would isolate them: "
            + shown.joined(separator: "; ") + (findings.count > 5 ? "; …" : "") + ". Neither keeping \(entry.name)'s transformation "
            + "nor holding back records within the suppression limit avoids it. Raise suppressionLimit, or wait until more records "
            + "fill these classes. Nothing was published."
    }
}
