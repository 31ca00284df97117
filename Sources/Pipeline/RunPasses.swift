import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// The search's decision: the transformation, and what it leaves out or blanks.
struct SearchedRun {
    let result: SearchResult
    var levels: [Int] { result.best.levels }
    /// Per tuple of the counted histogram: whether its class is too small.
    let suppressedTuples: [Bool]
    /// Rows of small classes that publish with blanked cells instead, when the policy asks.
    let blanking: CellBlanking?
    /// The records the search's decision leaves out, which pass 2 must find.
    let expectedSuppressed: Int
    /// Records the differencing guard holds back, per published class (its labels over the
    /// manifest's quasi-identifiers, in the policy's order).
    var holdBack: [[String]: Int] = [:]
    /// The published release's anonymized.csv, when a hold-back may keep its rows in place.
    var previousRelease: String?
    /// What the differencing guard decided; nil when the run keeps no history.
    var guarded: GuardOutcome?
}

/// What pass 2 wrote.
struct WrittenRecords {
    let dataPath: String
    let published: Int
    let suppressed: Int
    /// Held back by the differencing guard, for a later release.
    var heldBack = 0
    /// Cells of the records file written with a leading `'` (``CellEscaping``).
    let cellsEscaped: Int
    /// The aggregates counted from the records, not yet written.
    let aggregates: AggregateBuilder?
    /// The fates of the records a sink asked about, still to complete from the written file.
    let watch: RecordWatch?
}

extension AnonymizeRun {
    static func names(_ inputs: [RunInput]) -> String { inputs.map(\.path).joined(separator: ", ") }

    /// The published file's delimiter; the inputs are read with the policy's input delimiter.
    static func outputDelimiter(_ document: PolicyDocument) -> UInt8 { document.layout.delimiter ?? document.delimiter }

    static func derivedColumns(_ policy: Policy) throws(RunError) -> DerivedColumns? {
        policy.derived.isEmpty ? nil : try DerivedColumns(policy.derived)
    }

    /// Pass 1, and the checks of what it found: too many records lost stops the run here.
    func countRecords(_ inputs: [RunInput], _ document: PolicyDocument, derived: DerivedColumns?, rejectsStaging: String,
                      place: RunPlace, keys: PseudonymKeys? = nil) throws(RunError) -> CountedRun {
        let policy = document.policy
        let rejects = try RejectsLog(path: rejectsStaging)
        var counted = CountingPass(inputs: inputs, policy: policy, policyPath: policyPath, rejects: rejects)
        counted.persons = try personCheck(inputs, document, derived: derived, keys: keys)
        progress?.startPass(1, total: nil)
        counted.progress = progress
        for (i, input) in inputs.enumerated() {
            try input.feed(into: &counted, index: i, delimiter: document.delimiter, codeBook: codeBook, derived: derived)
        }
        try rejects.finish()
        // The rejects file goes into its place now, beside the release and never inside it, so
        // that a run that stops from here on still lists what it rejected.
        guard rename(rejectsStaging, place.rejects) == 0 else {
            throw .internalError("cannot move the rejects file to \(place.rejects): \(String(cString: strerror(errno))); nothing was published")
        }
        if !counted.uncovered.isEmpty { throw .configuration(counted.uncovered.message) }
        counted.endReading()
        // A mistake in the configuration is said before what it made the run lose.
        let plan = try RunPlan(inputs: inputs, plans: counted.plans, policy: policy, policyPath: policyPath,
                               columns: document.layout.columns)
        let losses = counted.losses(rejectsPath: place.rejectsShown)
        let inputNames = Self.names(inputs)
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
        var result = try counted.result(plan: plan, losses: losses)
        result.keys = keys
        return result
    }

    /// The optimal transformation, from the histogram alone.
    func search(_ counted: CountedRun, _ document: PolicyDocument, inputs: [RunInput],
                guarding history: HistoryContext? = nil) throws(RunError) -> SearchedRun {
        let policy = document.policy
        let hierarchies = counted.hierarchies
        let search = OptimalSearch(hierarchies: hierarchies, models: policy.privacy, metric: policy.metric,
                                   weights: policy.weights, maxLevels: policy.maxLevels)
        let result: SearchResult
        do {
            result = try search.run(on: counted.histogram, sensitive: counted.sensitive)
        } catch {
            let losses = counted.losses
            if case .latticeTooLarge = error { throw RunError.configuration("\(policyPath): \(error.description)") }
            if case .infeasible(_, let minimum, let records, _, _) = error, records < minimum, losses.rejected + losses.excluded > 0 {
                throw RunError.privacy("\(Self.names(inputs)): " + losses.tooFewLeft(k: minimum))
            }
            throw RunError.privacy("\(Self.names(inputs)): \(Self.explain(error, names: policy.quasiIdentifiers.map(\.name))) Nothing was published.")
        }
        let searched = decide(result, search: search, counted: counted, document: document)
        guard let history else { return searched }
        return try guardRelease(searched, search: search, counted: counted, document: document, context: history)
    }

    /// What a transformation leaves out or blanks.
    func decide(_ result: SearchResult, search: OptimalSearch, counted: CountedRun, document: PolicyDocument) -> SearchedRun {
        let policy = document.policy
        let hierarchies = counted.hierarchies
        let levels = result.best.levels
        let suppressedTuples = search.suppressedTuples(in: counted.histogram, levels: levels, sensitive: counted.sensitive)
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let blanking = policy.cellSuppression.map { rule in
            CellBlanking(histogram: counted.histogram, hierarchies: hierarchies, levels: levels, suppressedTuples: suppressedTuples,
                         k: policy.privacy.minimumClassSize, priority: rule.priority.compactMap { qiNames.firstIndex(of: $0) },
                         maxCells: rule.maxCells, delimiter: Self.outputDelimiter(document))
        }
        return SearchedRun(result: result, suppressedTuples: suppressedTuples, blanking: blanking,
                           expectedSuppressed: blanking?.plan.summary.recordsSuppressed ?? result.best.suppressed)
    }

    /// Pass 2, and the accounting: every record read is rejected, excluded, suppressed, held back or published.
    func writeRecords(_ inputs: [RunInput], _ counted: CountedRun, _ searched: SearchedRun, _ document: PolicyDocument,
                      derived: DerivedColumns?, watching: RecordSelector?, dataPath: String) throws(RunError) -> WrittenRecords {
        let policy = document.policy
        let layout = document.layout
        let plan = counted.plan
        var written = try PublishingPass(
            counted: counted, inputs: inputs, policy: policy, plan: plan, levels: searched.levels,
            suppressedTuples: searched.suppressedTuples, blanking: searched.blanking, outputPath: dataPath,
            delimiter: Self.outputDelimiter(document), termsOfUse: layout.termsOfUse,
            hxl: layout.hxl ? plan.published.map { policy.attribute(named: $0)?.hxl ?? "" } : nil,
            orderKey: counted.rowOrderKey)
        let recordsIn = counted.counts.recordsIn
        progress?.startPass(2, total: recordsIn)
        written.progress = progress
        written.aggregates = try aggregates(policy)
        written.watch = watching.map(RecordWatch.init)
        written.holdBack = searched.holdBack
        written.previousRelease = searched.previousRelease
        for (i, input) in inputs.enumerated() {
            try input.feed(into: &written, index: i, delimiter: document.delimiter, codeBook: codeBook, derived: derived)
        }
        progress?.finish()
        try written.finish()
        Crash.point()
        let c = counted.counts
        guard written.records == recordsIn else {
            throw .internalError("the inputs changed between the two passes (\(recordsIn) then \(written.records) records); run again")
        }
        guard written.suppressed == searched.expectedSuppressed, written.excluded == c.excluded,
              recordsIn == c.rejected + c.excluded + written.suppressed + written.heldBack + written.published else {
            throw .internalError("the records do not balance: \(recordsIn) read, \(c.rejected) rejected, "
                + "\(c.excluded) excluded (then \(written.excluded)), "
                + "\(written.suppressed) suppressed (the search expected \(searched.expectedSuppressed)), "
                + "\(written.heldBack) held back, \(written.published) published")
        }
        var records = WrittenRecords(dataPath: dataPath, published: written.published, suppressed: written.suppressed,
                                     cellsEscaped: written.cellsEscaped, aggregates: written.aggregates, watch: written.watch)
        records.heldBack = written.heldBack
        return records
    }

    /// The job's aggregates, each attribute one the policy publishes.
    private func aggregates(_ policy: Policy) throws(RunError) -> AggregateBuilder? {
        guard combinations != nil || !tables.isEmpty else { return nil }
        let aggregates = try AggregateBuilder(combinations: combinations, tables: tables, threshold: policy.privacy.k)
        for name in aggregates.attributes {
            guard let attribute = policy.attribute(named: name) else {
                throw .configuration("aggregates name \(name), which the policy \(policyPath) does not list")
            }
            guard attribute.role != .identifying else {
                throw .configuration("aggregates name \(name), which the policy makes identifying: it is never published, in counts either")
            }
            // A count per pseudonym is a count per person.
            guard attribute.role != .pseudonymised else {
                throw .configuration("aggregates name \(name), which the policy pseudonymises: its counts would be counts per person; "
                    + "remove it from the aggregates")
            }
        }
        return aggregates
    }
}
