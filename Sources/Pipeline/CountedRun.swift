import Anonymize
import Crypto
import Export
import Ingest
import Tabular

/// What pass 1 leaves for the rest of the run: what pass 2 needs to write each record as the
/// search decided (the coder, the histogram, each input's plan, the duplicates to skip, the fold
/// decisions), and the counts the report and its messages give. Pass 1's working state (the
/// reference fingerprints, the per-value fold counts, the rejects writer) stays behind.
struct CountedRun {
    /// Codes quasi-identifier values, folds included; shared by reference, since pass 2 must code alike.
    let coder: QuasiIdentifierCoder
    /// Quasi-identifier tuples after folding: all the search sees.
    let histogram: TupleHistogram
    /// In quasi-identifier order, including those learnt from the data.
    let hierarchies: [Hierarchy]
    /// The sensitive value counts per tuple, for the privacy models.
    let sensitive: [SensitiveHistogram]
    /// The published columns, and the column of each input that fills each.
    let plan: RunPlan
    /// Each input's columns as pass 1 read them; pass 2 must read the same.
    let plans: [InputPlan]
    /// The run-wide ordinals of the records rejected as duplicates: pass 2 skips exactly these.
    let duplicateRecords: Set<Int>
    /// The values each fold rule replaced, by rule.
    let foldedValues: [Int: Set<String>]
    /// The records lost before anonymisation, for messages.
    let losses: LossReport
    let counts: Counts
    /// The records among `duplicateRecords` rejected as duplicate persons, with their reason.
    var personDuplicates: [Int: Rejection] = [:]
    /// The person register's counts for the report; nil when no profile names a person key.
    var persons: Report.Persons?
    /// The run's key and its sub-keys; nil when the run needs none.
    var keys: PseudonymKeys?
    /// The key that orders published rows within their class, nil when the run has no key.
    var rowOrderKey: SymmetricKey? { keys?.rowOrder }

    /// What the report says of pass 1.
    struct Counts {
        var recordsIn: Int
        var rejected: Int
        var excluded: Int
        var rejectedByReason: [String: Int]
        /// Cells of the rejects file published with a leading `'` (``CellEscaping``).
        var rejectsEscaped: Int
        var exclusions: [Int]
        var blankRecords: [Int]
        var blankCells: [Int]
        var codingCells: [Int]
        var foldRecords: [Int]
        var partners: [String: CountingPass.PartnerCount]
        var referencesChecked: Bool
        var withoutReference: Int
        var dateFormats: [Report.DateFormatCheck]
    }
}

extension CountingPass {
    /// Pass 1's result, once its folds are decided.
    func result(plan: RunPlan, losses: LossReport) throws(RunError) -> CountedRun {
        let counts = CountedRun.Counts(
            recordsIn: recordsIn, rejected: rejected, excluded: excluded, rejectedByReason: rejects.byReason,
            rejectsEscaped: rejects.cellsEscaped, exclusions: exclusions, blankRecords: blankRecords, blankCells: blankCells,
            codingCells: codingCells, foldRecords: foldRecords, partners: partners, referencesChecked: referencesChecked,
            withoutReference: withoutReference, dateFormats: dates.report)
        var counted = CountedRun(coder: coder, histogram: histogram, hierarchies: try hierarchies(), sensitive: sensitiveTables(),
                                 plan: plan, plans: plans, duplicateRecords: duplicateRecords, foldedValues: foldedValues, losses: losses,
                                 counts: counts)
        counted.personDuplicates = personDuplicates
        counted.persons = personSummary
        return counted
    }
}
