import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

extension AnonymizeRun {
    /// The report of the run, before its risk and aggregates.
    func makeReport(_ document: PolicyDocument, _ counted: CountedRun, _ searched: SearchedRun, _ written: WrittenRecords,
                    _ findings: MicrodataVerifier.Findings) -> Report {
        let (result, blanking, hierarchies, plan) = (searched.result, searched.blanking, counted.hierarchies, counted.plan)
        let counts = counted.counts
        let policy = document.policy
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let best = result.best
        var transformation: [String: Int] = [:]
        var attributeLoss: [String: Double] = [:]
        // Cell suppression publishes some records the search counted as suppressed, with a blanked
        // cell costing only its own attribute: the loss is recounted on what was published.
        let publishedLoss = blanking.map {
            PublishedLoss.attributeLoss(histogram: counted.histogram, hierarchies: hierarchies, levels: best.levels,
                                        suppressed: searched.suppressedTuples, blanking: $0.plan)
        } ?? best.attributeLoss
        for (q, name) in qiNames.enumerated() {
            transformation[name] = best.levels[q]
            attributeLoss[name] = publishedLoss[q]
        }
        // By file name: the report holds no machine paths.
        func hashes(_ files: [(path: String, bytes: [UInt8])]) -> [String: String] {
            Dictionary(files.map { (PathText.name($0.path), SHA256.hex($0.bytes)) }, uniquingKeysWith: { _, last in last })
        }
        let hierarchyHashes = hashes(document.hierarchyFiles)
        let crosswalkHashes = hashes(document.crosswalkFiles)
        var report = Report(
            input: inputs.map { PathText.name($0.path) }.joined(separator: ", "),
            k: policy.privacy.k, suppressionLimit: policy.privacy.suppressionLimit, metric: policy.metric.rawValue,
            informationLoss: blanking == nil ? best.informationLoss : Metric.combinedLoss(publishedLoss, weights: policy.weights),
            attributeLoss: attributeLoss, discernibility: best.discernibility,
            records: .init(in: counts.recordsIn, rejected: counts.rejected, suppressed: written.suppressed,
                           published: written.published, suppressionAllowed: result.maxSuppressed, heldBack: written.heldBack),
            rejections: counts.rejectedByReason,
            partners: counts.partners.mapValues { .init(read: $0.read, accepted: $0.read - $0.rejected, rejected: $0.reasons) },
            // As the manifest lists them: a quasi-identifier that no input fills is not published.
            transformation: transformation, quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
            // Counted from the written file, which cell suppression may have regrouped.
            equivalenceClasses: .init(
                count: findings.classes, smallest: findings.smallestClass,
                mean: findings.classes == 0 ? 0 : Double(written.published) / Double(findings.classes)),
            search: .init(latticeSize: result.latticeSize, nodesEvaluated: result.nodesEvaluated,
                          distinctTuples: counted.histogram.tupleCount),
            columns: plan.published, dropped: plan.dropped,
            policySHA256: SHA256.hex(document.bytes), hierarchySHA256: hierarchyHashes)
        report.overrides = policy.overrides
        if policy.privacy.models.count > 1 {
            report.privacyModels = zip(policy.privacy.models, findings.models).filter { !($0.0 is KAnonymity) }.map {
                .init(model: $0.1.model, worst: $0.1.worst.flatMap { $0.isFinite ? $0 : nil })
            }
        }
        if let weights = policy.weights {
            report.weights = Dictionary(uniqueKeysWithValues: zip(qiNames, weights))
        }
        report.maxRejectedShare = maxRejectedShare ?? policy.maxRejectedShare
        report.duplicates = .init(checked: counts.referencesChecked, rejected: counted.duplicateRecords.count - counted.personDuplicates.count,
                                  withoutReference: counts.withoutReference)
        report.persons = counted.persons
        let dates = counts.dateFormats
        if !dates.isEmpty { report.dateFormats = dates }
        if !crosswalkHashes.isEmpty { report.crosswalkSHA256 = crosswalkHashes }
        if let blanking, let rule = policy.cellSuppression {
            let summary = blanking.plan.summary
            var cells: [String: Int] = [:]
            for (q, name) in qiNames.enumerated() where rule.priority.contains(name) { cells[name] = summary.cellsBlanked[q] }
            report.cellSuppression = .init(priority: rule.priority, maxCells: rule.maxCells ?? rule.priority.count,
                                           cellsBlanked: cells, recordsBlanked: summary.recordsBlanked,
                                           recordsSuppressed: summary.recordsSuppressed)
        }
        report.records.excluded = counts.excluded
        for (i, filter) in policy.filters.enumerated() {
            report.exclusions[filter.name] = counts.exclusions[i]
            report.rules.append(.init(name: filter.name, kind: "exclude", records: counts.exclusions[i]))
        }
        for (i, rule) in policy.blanks.enumerated() {
            var entry = Report.Rule(name: rule.name, kind: "blank", records: counts.blankRecords[i])
            entry.cells = counts.blankCells[i]
            entry.touchedNothing = counts.blankCells[i] == 0
            report.rules.append(entry)
        }
        for (i, rule) in policy.folds.enumerated() {
            var entry = Report.Rule(name: rule.name, kind: "fold", records: counts.foldRecords[i])
            entry.cells = counts.foldRecords[i]
            // How many values were folded, not which: a rare value is what identifies someone.
            entry.valuesFolded = counted.foldedValues[i]?.count ?? 0
            report.rules.append(entry)
        }
        for (i, rule) in policy.codings.enumerated() {
            var entry = Report.Rule(name: rule.name, kind: rule.side == .top ? "topCode" : "bottomCode", records: counts.codingCells[i])
            entry.cells = counts.codingCells[i]
            report.rules.append(entry)
        }
        return report
    }
}
