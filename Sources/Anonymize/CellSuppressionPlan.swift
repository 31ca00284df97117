/// What cell suppression does to each class smaller than k: which of its cells are blanked, or
/// whether it is suppressed after all. Classes of at least k are never in the plan and never change.
///
/// The plan is built once, after the optimal transformation is chosen, from the histogram of
/// generalised tuples (see `init(histogram:k:blank:priority:maxBlankedPerRecord:)` for the
/// algorithm), and read by the publishing pass once per record:
///
/// ```swift
/// var histogram = TupleHistogram(width: 2)   // (region, age band), generalised; code 0 is blank
/// histogram.add([1, 3], multiplicity: 5)
/// histogram.add([0, 3], multiplicity: 4)     // region missing in the input
/// histogram.add([2, 3], multiplicity: 1)     // alone in its class
/// let plan = CellSuppressionPlan(histogram: histogram, k: 5, blank: [0, 0], priority: [0])
/// var tuple: [UInt32] = [2, 3]
/// plan.apply(to: &tuple)                     // true; tuple is now [0, 3], a class of 5
/// plan.summary                               // cellsBlanked [1, 0], 1 record blanked, 0 suppressed
/// ```
///
/// The plan works on codes at the chosen levels. A blanked cell takes the code `blank[i]`, the
/// same code a value missing in the input generalises to, so the two cannot be told apart; the
/// publishing pass writes the label of that code, as for any other code. Memory follows the
/// number of small classes, not the number of records.
public struct CellSuppressionPlan: Sendable {
    /// What the report states: cells blanked and records suppressed, never which values.
    public struct Summary: Sendable, Equatable {
        /// `cellsBlanked[i]` is the number of records whose quasi-identifier `i` was blanked. A cell
        /// that was already blank is not counted: blanking it changed nothing.
        public var cellsBlanked: [Int]
        /// Records published with at least one cell blanked.
        public var recordsBlanked: Int
        /// Records of small classes that no blanking within the limits could bring to k.
        public var recordsSuppressed: Int

        public init(cellsBlanked: [Int], recordsBlanked: Int, recordsSuppressed: Int) {
            self.cellsBlanked = cellsBlanked
            self.recordsBlanked = recordsBlanked
            self.recordsSuppressed = recordsSuppressed
        }
    }

    /// The fate of one tuple's records.
    public enum Outcome: Sendable, Equatable {
        /// Published as they are: a class of at least k, or a small class that others joined.
        case unchanged
        /// Published with this tuple, some cells set to their blank code.
        case blanked([UInt32])
        case suppressed
    }

    public let k: Int
    public let width: Int
    /// `blank[i]` is the code of the empty value of quasi-identifier `i`.
    public let blank: [UInt32]
    public let summary: Summary
    /// The original tuples of the small classes; a tuple's index here indexes the two below.
    let small: TupleHistogram
    /// `replacement[s * width + i]`: the published code of attribute `i` for small class `s`.
    let replacement: [UInt32]
    let suppressed: [Bool]

    /// The fate of the records with `tuple`. A tuple not in the plan is published unchanged, so
    /// only tuples of the histogram the plan was built from may be passed (the publishing pass
    /// already rejects any other).
    public func outcome(of tuple: [UInt32]) -> Outcome {
        precondition(tuple.count == width)
        guard let s = tuple.withUnsafeBufferPointer({ small.index(of: $0) }) else { return .unchanged }
        if suppressed[s] { return .suppressed }
        let published = Array(replacement[(s * width)..<((s + 1) * width)])
        return published == tuple ? .unchanged : .blanked(published)
    }

    /// Rewrites `tuple` in place to the tuple its record is published with; false when the record
    /// is suppressed (the tuple is then left as it was). For the publishing pass: no allocation.
    @discardableResult
    public func apply(to tuple: UnsafeMutableBufferPointer<UInt32>) -> Bool {
        precondition(tuple.count == width)
        guard let s = small.index(of: UnsafeBufferPointer(tuple)) else { return true }
        if suppressed[s] { return false }
        for i in 0..<width { tuple[i] = replacement[s * width + i] }
        return true
    }

    @discardableResult
    public func apply(to tuple: inout [UInt32]) -> Bool {
        tuple.withUnsafeMutableBufferPointer { apply(to: $0) }
    }

    /// Whether applying the plan to every record of `histogram` publishes only classes of at
    /// least k, changes cells only to their blank code, and matches the summary: a recount, for
    /// tests. A run checks the same promise on the written file (its classes at least k) before
    /// it publishes anything.
    public func verify(against histogram: TupleHistogram) -> Bool {
        guard histogram.width == width else { return false }
        var published = TupleHistogram(width: width)
        var cells = [Int](repeating: 0, count: width)
        var blankedRecords = 0
        var suppressedRecords = 0
        var tuple = [UInt32](repeating: 0, count: width)
        for t in 0..<histogram.tupleCount where histogram.counts[t] > 0 {
            let count = histogram.counts[t]
            let original = histogram.codes[(t * width)..<((t + 1) * width)]
            tuple.replaceSubrange(0..<width, with: original)
            guard apply(to: &tuple) else {
                suppressedRecords += count
                continue
            }
            var changed = false
            for (i, code) in zip(0..<width, original) where tuple[i] != code {
                guard tuple[i] == blank[i] else { return false }
                cells[i] += count
                changed = true
            }
            if changed { blankedRecords += count }
            published.add(tuple, multiplicity: count)
        }
        return published.counts.allSatisfy { $0 >= k }
            && summary == Summary(cellsBlanked: cells, recordsBlanked: blankedRecords, recordsSuppressed: suppressedRecords)
    }
}
