import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// One `htdx anonymize` run: policy, two passes over one CSV file, the optimal search, the
/// verified drop moved into place, and the rejects file beside it.
public struct AnonymizeRun {
    public var policyPath: String
    public var inputs: [RunInput]
    public var outputDirectory: String
    /// Where rejected records are listed; by default `DIR.rejects.csv` beside the drop, never inside it.
    public var rejectsPath: String?
    public var codeBook: any CodeBook
    /// The SHA-256 of the job file, when a scheduled job started the run; recorded in the manifest.
    public var jobSHA256: String?
    /// The job file, when a scheduled job started the run: never written over.
    public var jobPath: String?
    /// Open-access aggregates to publish beside the records (a job's `aggregates`).
    public var combinations: JobDocument.Combinations?
    public var tables: [JobDocument.Table] = []
    /// Shows progress while the passes run; nil shows nothing.
    public var progress: ProgressMeter?
    /// Runs everything but the publishing (`htdx preview`, `htdx explain`): the release is written
    /// and checked exactly as a run would, in a private temporary directory that is then removed,
    /// and the output directory and rejects file are not touched.
    public var previewOnly = false
    /// The records `htdx explain` asks about; their fates are in the outcome.
    public var explaining: RecordSelector?
    /// The job's `maxRejectedShare`, which wins over the policy's.
    public var maxRejectedShare: Double?
    /// Hierarchy and crosswalk files may lie outside the policy's folder (`--allow-outside`).
    public var allowOutside = false

    public init(policyPath: String, inputs: [RunInput], outputDirectory: String, rejectsPath: String? = nil,
                codeBook: any CodeBook = StandardCodeBook()) {
        self.policyPath = policyPath
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.rejectsPath = rejectsPath
        self.codeBook = codeBook
    }

    /// One plain CSV file, read by its header: the first slice's run.
    public init(policyPath: String, inputPath: String, outputDirectory: String, rejectsPath: String? = nil) {
        self.init(policyPath: policyPath, inputs: [.csv(inputPath)], outputDirectory: outputDirectory, rejectsPath: rejectsPath)
    }

    public struct Outcome: Sendable {
        public var report: Report
        public var outputDirectory: String
        public var rejectsPath: String
        /// False for a preview: nothing was written where anyone could read it.
        public var published = true
        /// What a preview draws besides the report: each quasi-identifier's hierarchy, and the policy.
        public var attributes: [PreviewPage.Attribute] = []
        public var policyFile = ""
        public var policyText = ""
        /// The fates of the records `explaining` selects, in input order.
        public var fates: [RecordFate] = []
    }

    public func run() throws(RunError) -> Outcome {
        let document: PolicyDocument
        do {
            document = try PolicyDocument.load(path: policyPath, allowOutside: allowOutside)
        } catch {
            throw .configuration(error.description)
        }
        let policy = document.policy
        let requestedOutput = outputDirectory
        let rejectsPublished = rejectsPath ?? requestedOutput + ".rejects.csv"
        let targets = try PublishTargets.check(output: requestedOutput, rejects: rejectsPublished,
                                               protecting: protectedFiles(document: document))
        guard !self.inputs.isEmpty else { throw .configuration("no input: give an input file, or --input PROFILE=PATH") }
        // Pipes copied once, so that both passes can read them; the copies go when the run ends.
        // An export named twice is refused before a pipe is copied (pipes are never compared).
        try InputIdentity.check(self.inputs)
        let spool = try InputSpool(self.inputs)
        defer { spool.remove() }
        let inputs = spool.inputs
        if !previewOnly && explaining == nil {
            // Made now, not after publishing, when the rejects file is moved into it.
            let directory = PathText.parent(targets.rejects)
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .configuration("cannot create \(PathText.parent(rejectsPublished)) for the rejects file: \(WriteFailure.reason(error))")
            }
        }
        // A preview writes where only this process looks, and removes it all.
        let previewRoot = previewOnly || explaining != nil ? try PreviewDirectory.make() : nil
        defer { if let previewRoot { PreviewDirectory.remove(previewRoot) } }
        let destination = previewRoot.map { $0 + "/release" } ?? targets.output
        let rejectsFinal = previewRoot.map { $0 + "/rejects.csv" } ?? targets.rejects
        let inputNames = inputs.map(\.path).joined(separator: ", ")

        let staging: AtomicDirectory
        do { staging = try AtomicDirectory(destination: destination) } catch {
            // Said as it is: a lock held by another run is not a failure to write.
            if case .io(let path, let message) = error { throw .internalError("\(path): \(message)") }
            throw .internalError(error.description)
        }
        var published = false
        defer { if !published { staging.discard() } }
        let rejectsStaging = staging.staging + ".rejects.csv"
        defer { try? FileManager.default.removeItem(atPath: rejectsStaging) }

        let layout = document.layout
        // The published file's delimiter; the inputs are read with the policy's input delimiter.
        let output = layout.delimiter ?? document.delimiter
        let derived = policy.derived.isEmpty ? nil : try DerivedColumns(policy.derived)

        // Pass 1.
        let rejects = try RejectsLog(path: rejectsStaging)
        var counted = CountingPass(inputs: inputs, policy: policy, policyPath: policyPath, rejects: rejects)
        progress?.startPass(1, total: nil)
        counted.progress = progress
        for (i, input) in inputs.enumerated() {
            try input.feed(into: &counted, index: i, delimiter: document.delimiter, codeBook: codeBook, derived: derived)
        }
        try rejects.finish()
        // The rejects file goes into its place now, beside the release and never inside it, so
        // that a run that stops from here on still lists what it rejected.
        guard rename(rejectsStaging, rejectsFinal) == 0 else {
            throw .internalError("cannot move the rejects file to \(rejectsFinal): \(String(cString: strerror(errno))); nothing was published")
        }
        counted.endReading()
        // A mistake in the configuration is said before what it made the run lose.
        let plan = try RunPlan(inputs: inputs, plans: counted.plans, policy: policy, policyPath: policyPath, columns: layout.columns)
        let losses = counted.losses(rejectsPath: previewRoot == nil ? rejectsFinal : nil)
        let swaps = counted.dates.likelySwaps
        if !swaps.isEmpty { throw .inputData("\(inputNames): " + LossReport.dateSwap(swaps, losses: losses)) }
        let maxShare = maxRejectedShare ?? policy.maxRejectedShare
        if counted.recordsIn > 0 && Double(counted.rejected) > maxShare * Double(counted.recordsIn) {
            throw .inputData("\(inputNames): " + losses.tooManyRejected(maxShare: maxShare))
        }
        if counted.recordsIn > 0 && losses.left == 0 {
            throw .privacy("\(inputNames): " + losses.tooFewLeft(k: policy.privacy.k))
        }

        counted.applyFolds()
        // The search sees only the histogram.
        let hierarchies = try counted.hierarchies()
        let search = OptimalSearch(hierarchies: hierarchies, models: policy.privacy, metric: policy.metric,
                                   weights: policy.weights, maxLevels: policy.maxLevels)
        let sensitive = counted.sensitiveTables()
        let result: SearchResult
        do {
            result = try search.run(on: counted.histogram, sensitive: sensitive)
        } catch {
            if case .latticeTooLarge = error { throw RunError.configuration("\(policyPath): \(error.description)") }
            if case .infeasible(_, let minimum, let records, _, _) = error, records < minimum, losses.rejected + losses.excluded > 0 {
                throw RunError.privacy("\(inputNames): " + losses.tooFewLeft(k: minimum))
            }
            throw RunError.privacy("\(inputNames): \(Self.explain(error, names: policy.quasiIdentifiers.map(\.name))) Nothing was published.")
        }
        let levels = result.best.levels
        let suppressedTuples = search.suppressedTuples(in: counted.histogram, levels: levels, sensitive: sensitive)
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let blanking = policy.cellSuppression.map { rule in
            CellBlanking(histogram: counted.histogram, hierarchies: hierarchies, levels: levels, suppressedTuples: suppressedTuples,
                         k: policy.privacy.minimumClassSize, priority: rule.priority.compactMap { qiNames.firstIndex(of: $0) },
                         maxCells: rule.maxCells, delimiter: output)
        }
        let expectedSuppressed = blanking?.plan.summary.recordsSuppressed ?? result.best.suppressed

        // Pass 2.
        let dataPath = staging.path("anonymized.csv")
        var written = try PublishingPass(
            counted: counted, plan: plan, levels: levels, hierarchies: hierarchies,
            suppressedTuples: suppressedTuples, blanking: blanking, outputPath: dataPath, delimiter: output,
            termsOfUse: layout.termsOfUse, hxl: layout.hxl ? plan.published.map { policy.attribute(named: $0)?.hxl ?? "" } : nil)
        progress?.startPass(2, total: counted.recordsIn)
        written.progress = progress
        let aggregates = combinations == nil && tables.isEmpty ? nil
            : try AggregateBuilder(combinations: combinations, tables: tables, threshold: policy.privacy.k)
        if let aggregates {
            for name in aggregates.attributes {
                guard let attribute = policy.attribute(named: name) else {
                    throw .configuration("aggregates name \(name), which the policy \(policyPath) does not list")
                }
                guard attribute.role != .identifying else {
                    throw .configuration("aggregates name \(name), which the policy makes identifying: it is never published, in counts either")
                }
            }
        }
        written.aggregates = aggregates
        let watch = explaining.map(RecordWatch.init)
        written.watch = watch
        for (i, input) in inputs.enumerated() {
            try input.feed(into: &written, index: i, delimiter: document.delimiter, codeBook: codeBook, derived: derived)
        }
        progress?.finish()
        try written.finish()
        Crash.point()
        guard written.records == counted.recordsIn else {
            throw .internalError("the inputs changed between the two passes (\(counted.recordsIn) then \(written.records) records); run again")
        }
        guard written.suppressed == expectedSuppressed, written.excluded == counted.excluded,
              counted.recordsIn == counted.rejected + counted.excluded + written.suppressed + written.published else {
            throw .internalError("the records do not balance: \(counted.recordsIn) read, \(counted.rejected) rejected, "
                + "\(counted.excluded) excluded (then \(written.excluded)), "
                + "\(written.suppressed) suppressed (the search expected \(expectedSuppressed)), \(written.published) published")
        }

        // Per quasi-identifier, every label the written file may hold: its chosen level's, and
        // the label of a blanked cell.
        let publishable: [[String]] = qiNames.indices.map { q in
            let labels = hierarchies[q].labels[levels[q]]
            guard let blank = blanking?.blankLabels[q], !labels.contains(blank) else { return labels }
            return labels + [blank]
        }
        // Check the drop from the file alone before anyone can see it.
        var allowed: [String: [String]] = [:]
        for (q, name) in qiNames.enumerated() { allowed[name] = publishable[q] }
        try watch?.complete(histogram: counted.histogram, hierarchies: hierarchies, levels: levels, names: qiNames,
                            dataPath: dataPath, delimiter: output, headerRows: layout.hxl ? 2 : 1)
        let findings: MicrodataVerifier.Findings
        // t-closeness compares each class with the attribute's distribution over every record
        // that entered anonymisation; the manifest carries it so that `htdx verify` can too.
        let references = Dictionary(uniqueKeysWithValues: sensitive.map { ($0.column.name, $0.column) })
        do {
            findings = try MicrodataVerifier.verify(
                path: dataPath, delimiter: output,
                promise: .init(header: (layout.termsOfUse.map { [$0] } ?? []) + plan.published, headerRows: layout.hxl ? 2 : 1,
                               quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
                               allowedLabels: allowed.filter { plan.published.contains($0.key) },
                               models: policy.privacy, references: references, records: written.published))
        } catch {
            throw .internalError(error.description)
        }
        var report = makeReport(document: document, counted: counted, plan: plan, result: result, written: written, findings: findings,
                                blanking: blanking, suppressedTuples: suppressedTuples, hierarchies: hierarchies)
        var risk = RiskMetrics.report(raw: counted.histogram, hierarchies: hierarchies, levels: levels, suppressed: suppressedTuples,
                                      blanking: blanking?.plan, blankLabels: blanking?.blankLabels ?? qiNames.map { _ in "" },
                                      names: qiNames)
        let rawFrequencies = risk.attributes.map(\.before)
        for i in risk.attributes.indices { risk.attributes[i].before = [:] }
        report.risk = risk
        let aggregateFiles = try aggregates?.write(into: staging.staging)
        report.aggregates = aggregateFiles?.report
        // Every CSV the run wrote: the records and the rejects counted by their writers (the
        // rejects file is already in its place), the aggregates read back.
        var escaped = ["anonymized.csv": written.cellsEscaped, "rejects": rejects.cellsEscaped]
        do {
            for file in aggregateFiles?.manifest.map(\.file) ?? [] {
                escaped[file] = try CellEscaping.escapedCells(inFile: staging.path(file), delimiter: UInt8(ascii: ","))
            }
        } catch { throw .internalError(error.description) }
        report.cellsEscaped = escaped
        // Said only when the file system refused the one-step swap, so that two runs on the same
        // inputs still give byte-identical reports.
        if staging.method == .twoRenames { report.publication = staging.method.rawValue }
        Crash.point()
        do {
            try report.jsonData().write(to: URL(fileURLWithPath: staging.path("report.json")))
        } catch {
            throw .internalError(WriteFailure.message(staging.path("report.json"), error))
        }
        Crash.point()
        let description = ReleaseDescription(
            title: layout.title ?? "htdx release", k: policy.privacy.k, quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
            tables: [ReleaseDescriber.microdata(policy: policy, published: plan.published, hierarchies: hierarchies, levels: levels,
                                                publishable: publishable,
                                                listFields: inputs.reduce(into: Set<String>()) { $0.formUnion($1.splitFields) },
                                                delimiter: output, termsOfUse: layout.termsOfUse, hxl: layout.hxl)]
                + (aggregateFiles?.description ?? []))
        do {
            try Data(Codebook.markdown(description).utf8).write(to: URL(fileURLWithPath: staging.path("codebook.md")))
        } catch {
            throw .internalError(WriteFailure.message(staging.path("codebook.md"), error))
        }
        Crash.point()
        do {
            try DataPackage.json(description, name: PathText.name(requestedOutput))
                .write(to: URL(fileURLWithPath: staging.path("datapackage.json")))
        } catch {
            throw .internalError(WriteFailure.message(staging.path("datapackage.json"), error))
        }
        Crash.point()

        do {
            // The manifest comes last: it hashes every other file, and the release is checked
            // through it exactly as `htdx verify` will check it.
            var manifest = Manifest(
                policySHA256: report.policySHA256, jobSHA256: jobSHA256,
                records: .init(report.records),
                microdata: .init(file: "anonymized.csv", delimiter: String(UnicodeScalar(output)), headerRows: layout.hxl ? 2 : 1,
                                 k: policy.privacy.k, quasiIdentifiers: qiNames.filter { plan.published.contains($0) },
                                 cellsBlanked: report.cellSuppression?.cellsBlanked ?? [:]))
            if policy.privacy.models.count > 1 {
                manifest.microdata.models = policy.privacy.models.map(Manifest.Model.init)
                let compared = policy.privacy.models.filter(\.needsReference)
                let hierarchical = Set(compared.filter(\.needsHierarchy).compactMap(\.sensitiveAttribute))
                let names = Set(compared.compactMap(\.sensitiveAttribute))
                let kept = sensitive.filter { names.contains($0.column.name) }
                    .map { Manifest.Reference($0.column, withHierarchy: hierarchical.contains($0.column.name)) }
                if !kept.isEmpty { manifest.microdata.references = kept }
            }
            manifest.aggregates = aggregateFiles?.manifest ?? []
            try manifest.recordFiles(in: staging.staging)
            do {
                try manifest.jsonData().write(to: URL(fileURLWithPath: staging.path(Manifest.fileName)))
            } catch {
                throw RunError.internalError(WriteFailure.message(staging.path(Manifest.fileName), error))
            }
            Crash.point()
            _ = try ReleaseVerifier.verify(directory: staging.staging)
            if previewRoot == nil { try staging.publish() }
        } catch let error as ExportError {
            throw RunError.internalError(error.description).explainingFullDisk
        } catch let error as RunError {
            throw error
        } catch {
            throw .internalError("\(error)")
        }
        var outcome = Outcome(report: report, outputDirectory: requestedOutput, rejectsPath: rejectsPublished)
        outcome.fates = watch?.fates ?? []
        if previewRoot != nil {
            outcome.published = false
            outcome.policyFile = policyPath
            outcome.policyText = String(decoding: document.bytes, as: UTF8.self)
            let k = policy.privacy.k
            outcome.attributes = policy.quasiIdentifiers.enumerated().map { q, qi in
                let rare = rawFrequencies[q].filter { $0.value < k }
                return PreviewPage.Attribute(
                    name: qi.name, source: qi.hierarchySource, levels: hierarchies[q].labels, chosen: levels[q],
                    commonBefore: rawFrequencies[q].filter { $0.value >= k },
                    rareValuesBefore: rare.count, rareRecordsBefore: rare.values.reduce(0, +))
            }
            return outcome
        }
        published = true
        return outcome
    }


    /// The search's refusal in the policy's terms: attribute names rather than a level vector.
    static func explain(_ error: AnonymizationError, names: [String]) -> String {
        guard case .infeasible(let models, let minimum, let records, let maxSuppressed, let closest) = error, records >= minimum else {
            return error.description
        }
        let levels = zip(names, closest.levels).map { "\($0)=\($1)" }.joined(separator: ", ")
        return "\(models) cannot be met within the suppression limit of \(maxSuppressed) of \(records) records. "
            + "The closest transformation, every hierarchy at its top (\(levels)), still suppresses "
            + "\(closest.suppressed): a hierarchy stops short of one group. Add a top level such as `*`, "
            + "or raise suppressionLimit."
    }

    private func makeReport(
        document: PolicyDocument, counted: CountingPass, plan: RunPlan, result: SearchResult, written: PublishingPass,
        findings: MicrodataVerifier.Findings, blanking: CellBlanking?, suppressedTuples: [Bool], hierarchies: [Hierarchy]
    ) -> Report {
        let policy = document.policy
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let best = result.best
        var transformation: [String: Int] = [:]
        var attributeLoss: [String: Double] = [:]
        // Cell suppression publishes some records the search counted as suppressed, with a blanked
        // cell costing only its own attribute: the loss is recounted on what was published.
        let publishedLoss = blanking.map {
            PublishedLoss.attributeLoss(histogram: counted.histogram, hierarchies: hierarchies, levels: best.levels,
                                        suppressed: suppressedTuples, blanking: $0.plan)
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
            records: .init(in: counted.recordsIn, rejected: counted.rejected, suppressed: written.suppressed,
                           published: written.published, suppressionAllowed: result.maxSuppressed),
            rejections: counted.rejects.byReason,
            partners: counted.partners.mapValues { .init(read: $0.read, accepted: $0.read - $0.rejected, rejected: $0.reasons) },
            transformation: transformation, quasiIdentifiers: qiNames,
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
        report.duplicates = .init(checked: counted.referencesChecked, rejected: counted.duplicateRecords.count,
                                  withoutReference: counted.withoutReference)
        let dates = counted.dates.report
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
        report.records.excluded = counted.excluded
        for (i, filter) in policy.filters.enumerated() {
            report.exclusions[filter.name] = counted.exclusions[i]
            report.rules.append(.init(name: filter.name, kind: "exclude", records: counted.exclusions[i]))
        }
        for (i, rule) in policy.blanks.enumerated() {
            var entry = Report.Rule(name: rule.name, kind: "blank", records: counted.blankRecords[i])
            entry.cells = counted.blankCells[i]
            entry.touchedNothing = counted.blankCells[i] == 0
            report.rules.append(entry)
        }
        for (i, rule) in policy.folds.enumerated() {
            var entry = Report.Rule(name: rule.name, kind: "fold", records: counted.foldRecords[i])
            entry.cells = counted.foldRecords[i]
            // How many values were folded, not which: a rare value is what identifies someone.
            entry.valuesFolded = counted.foldedValues[i]?.count ?? 0
            report.rules.append(entry)
        }
        for (i, rule) in policy.codings.enumerated() {
            var entry = Report.Rule(name: rule.name, kind: rule.side == .top ? "topCode" : "bottomCode", records: counted.codingCells[i])
            entry.cells = counted.codingCells[i]
            report.rules.append(entry)
        }
        return report
    }
}
