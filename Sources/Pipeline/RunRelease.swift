import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// The written file checked from the file alone.
struct VerifiedRecords {
    /// Per quasi-identifier, every label the written file may hold: its chosen level's, and the
    /// label of a blanked cell.
    let publishable: [[String]]
    let findings: MicrodataVerifier.Findings
}

/// The release's description, its files not yet written.
struct DescribedRelease {
    var report: Report
    let description: ReleaseDescription
    /// Per quasi-identifier: the records holding each raw value, before anonymisation; kept out of the report.
    let rawFrequencies: [[String: Int]]
    let aggregates: AggregateBuilder.Written?
}

extension AnonymizeRun {
    /// Checks the drop from the file alone before anyone can see it, and completes the watched fates from it.
    func verify(_ counted: CountedRun, _ searched: SearchedRun, _ written: WrittenRecords,
                _ document: PolicyDocument) throws(RunError) -> VerifiedRecords {
        let policy = document.policy
        let layout = document.layout
        let plan = counted.plan
        let hierarchies = counted.hierarchies
        let levels = searched.levels
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let publishable: [[String]] = qiNames.indices.map { q in
            let labels = hierarchies[q].labels[levels[q]]
            guard let blank = searched.blanking?.blankLabels[q], !labels.contains(blank) else { return labels }
            return labels + [blank]
        }
        var allowed: [String: [String]] = [:]
        for (q, name) in qiNames.enumerated() { allowed[name] = publishable[q] }
        let output = Self.outputDelimiter(document)
        try written.watch?.complete(histogram: counted.histogram, hierarchies: hierarchies, levels: levels, names: qiNames,
                                    dataPath: written.dataPath, delimiter: output, headerRows: layout.hxl ? 2 : 1)
        // t-closeness compares each class with the attribute's distribution over every record
        // that entered anonymisation; the manifest carries it so that `htdx verify` can too.
        let references = Dictionary(uniqueKeysWithValues: counted.sensitive.map { ($0.column.name, $0.column) })
        do {
            let findings = try MicrodataVerifier.verify(
                path: written.dataPath, delimiter: output,
                promise: .init(header: (layout.termsOfUse.map { [$0] } ?? []) + plan.published, headerRows: layout.hxl ? 2 : 1,
                               quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
                               allowedLabels: allowed.filter { plan.published.contains($0.key) },
                               models: policy.privacy, references: references, records: written.published))
            return VerifiedRecords(publishable: publishable, findings: findings)
        } catch {
            throw .internalError(error.description)
        }
    }

    /// The report, the risk, the aggregates' files and the codebook's description.
    func describe(_ inputs: [RunInput], _ document: PolicyDocument, _ counted: CountedRun, _ searched: SearchedRun,
                  _ written: WrittenRecords, _ verified: VerifiedRecords, staging: AtomicDirectory) throws(RunError) -> DescribedRelease {
        let policy = document.policy
        let layout = document.layout
        let plan = counted.plan
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let (hierarchies, levels, blanking) = (counted.hierarchies, searched.levels, searched.blanking)
        var report = makeReport(document, counted, searched, written, verified.findings)
        var risk = RiskMetrics.report(raw: counted.histogram, hierarchies: hierarchies, levels: levels, suppressed: searched.suppressedTuples,
                                      blanking: blanking?.plan, blankLabels: blanking?.blankLabels ?? qiNames.map { _ in "" },
                                      names: qiNames)
        let rawFrequencies = risk.attributes.map(\.before)
        for i in risk.attributes.indices { risk.attributes[i].before = [:] }
        report.risk = risk
        let aggregateFiles = try written.aggregates?.write(into: staging.staging, guarding: searched.guarded?.earlierCells ?? [],
                                                          k: policy.privacy.k)
        report.aggregates = aggregateFiles?.report
        if let guarded = searched.guarded {
            report.history = .init(releasesCompared: guarded.compared, earlierTransformationKept: guarded.keptEarlier,
                                   recordsHeldBack: guarded.recordsHeldBack, classesHeldBack: guarded.classesHeldBack,
                                   smallestDifference: guarded.smallestDifference,
                                   aggregateCellsSuppressed: aggregateFiles?.cellsGuarded ?? 0)
        }
        // Every CSV the run wrote: the records and the rejects counted by their writers (the
        // rejects file is already in its place), the aggregates read back.
        var escaped = ["anonymized.csv": written.cellsEscaped, "rejects": counted.counts.rejectsEscaped]
        do {
            for file in aggregateFiles?.manifest.map(\.file) ?? [] {
                escaped[file] = try CellEscaping.escapedCells(inFile: staging.path(file), delimiter: UInt8(ascii: ","))
            }
        } catch { throw .internalError(error.description) }
        report.cellsEscaped = escaped
        // Said only when the file system refused the one-step swap, so that two runs on the same
        // inputs still give byte-identical reports.
        if staging.method == .twoRenames { report.publication = staging.method.rawValue }
        let description = ReleaseDescription(
            title: layout.title ?? "htdx release", k: policy.privacy.k, quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
            tables: [ReleaseDescriber.microdata(policy: policy, published: plan.published, hierarchies: hierarchies, levels: levels,
                                                publishable: verified.publishable,
                                                listFields: inputs.reduce(into: Set<String>()) { $0.formUnion($1.splitFields) },
                                                delimiter: Self.outputDelimiter(document), termsOfUse: layout.termsOfUse, hxl: layout.hxl)]
                + (aggregateFiles?.description ?? []))
        return DescribedRelease(report: report, description: description, rawFrequencies: rawFrequencies, aggregates: aggregateFiles)
    }

    /// report.json, codebook.md and datapackage.json, each a point a crash may stop at.
    func writeDescriptions(_ described: DescribedRelease, name: String, staging: AtomicDirectory) throws(RunError) {
        Crash.point()
        try Self.write(staging.path("report.json")) { () throws in try described.report.jsonData() }
        Crash.point()
        try Self.write(staging.path("codebook.md")) { Data(Codebook.markdown(described.description).utf8) }
        Crash.point()
        try Self.write(staging.path("datapackage.json")) { () throws in try DataPackage.json(described.description, name: name) }
        Crash.point()
    }

    private static func write(_ path: String, _ data: () throws -> Data) throws(RunError) {
        do {
            try data().write(to: URL(fileURLWithPath: path))
        } catch {
            throw .internalError(WriteFailure.message(path, error))
        }
    }

    /// The manifest comes last: it hashes every other file, and the release is checked through it
    /// exactly as `htdx verify` will check it before the sink takes it. True when it was published.
    func seal(_ described: DescribedRelease, _ document: PolicyDocument, _ counted: CountedRun, _ searched: SearchedRun,
              staging: AtomicDirectory, deliver destination: any RunDestination, history: HistoryContext? = nil) throws(RunError) -> Bool {
        let policy = document.policy
        let report = described.report
        let plan = counted.plan
        let qiNames = policy.quasiIdentifiers.map(\.name)
        do {
            var manifest = Manifest(
                policySHA256: report.policySHA256, jobSHA256: jobSHA256,
                records: .init(report.records),
                microdata: .init(file: "anonymized.csv", delimiter: String(UnicodeScalar(Self.outputDelimiter(document))),
                                 headerRows: document.layout.hxl ? 2 : 1,
                                 k: policy.privacy.k, quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
                                 cellsBlanked: report.cellSuppression?.cellsBlanked ?? [:]))
            if policy.privacy.models.count > 1 {
                manifest.microdata.models = policy.privacy.models.map(Manifest.Model.init)
                let compared = policy.privacy.models.filter(\.needsReference)
                let hierarchical = Set(compared.filter(\.needsHierarchy).compactMap(\.sensitiveAttribute))
                let names = Set(compared.compactMap(\.sensitiveAttribute))
                let kept = counted.sensitive.filter { names.contains($0.column.name) }
                    .map { Manifest.Reference($0.column, withHierarchy: hierarchical.contains($0.column.name)) }
                if !kept.isEmpty { manifest.microdata.references = kept }
            }
            manifest.aggregates = described.aggregates?.manifest ?? []
            try manifest.recordFiles(in: staging.staging)
            do {
                try manifest.jsonData().write(to: URL(fileURLWithPath: staging.path(Manifest.fileName)))
            } catch {
                throw RunError.internalError(WriteFailure.message(staging.path(Manifest.fileName), error))
            }
            Crash.point()
            _ = try ReleaseVerifier.verify(directory: staging.staging)
            // The history's entry is on disk before the release is delivered, and put in place
            // after: a kill in between leaves a pending entry the next run settles.
            let pending = try history.flatMap { (h) throws(RunError) in
                try writePending(h, described, document, searched, staging: staging)
            }
            let delivered: Bool
            do { delivered = try destination.deliver(staging) } catch {
                if let pending { unlink(pending.path) }
                throw error
            }
            if let history, let pending { try completeEntry(history, pending) }
            return delivered
        } catch let error as ExportError {
            throw RunError.internalError(error.description).explainingFullDisk
        } catch let error as RunError {
            throw error
        } catch {
            throw .internalError("\(error)")
        }
    }
}
