import Anonymize
import TestSupport
import Testing

// Failure messages show the summary, not every slot of the plan's hash table.
extension CellSuppressionPlan: CustomTestStringConvertible {
    public var testDescription: String { "plan with \(summary)" }
}

/// A random histogram of generalised tuples, with the parameters of one cell-suppression run.
private struct RandomCells {
    var width: Int
    var rows: [([UInt32], Int)] = []      // distinct tuples, with counts
    var k: Int
    var blank: [UInt32]
    var priority: [Int]
    var cap: Int?

    init(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        width = Int.random(in: 1...4, using: &rng)
        let domains = (0..<width).map { _ in Int.random(in: 1...4, using: &rng) }
        // Blank is code 0, which the data use (values missing in the input), or a code past the
        // domain that occurs only once something is blanked.
        blank = domains.map { Bool.random(using: &rng) ? 0 : UInt32($0) }
        var seen: Set<[UInt32]> = []
        for _ in 0..<Int.random(in: 0...30, using: &rng) {
            let tuple = domains.map { d in
                UInt32(min(Int.random(in: 0..<d, using: &rng), Int.random(in: 0..<d, using: &rng)))
            }
            if seen.insert(tuple).inserted {
                rows.append((tuple, Int.random(in: 1...(Bool.random(using: &rng) ? 3 : 9), using: &rng)))
            }
        }
        k = Int.random(in: 1...8, using: &rng)
        priority = Array((0..<width).shuffled(using: &rng).prefix(Int.random(in: 0...width, using: &rng)))
        cap = Bool.random(using: &rng) ? nil : Int.random(in: 0...(priority.count + 1), using: &rng)
    }

    var histogram: TupleHistogram {
        var h = TupleHistogram(width: width)
        for (tuple, count) in rows { h.add(tuple, multiplicity: count) }
        return h
    }

    func plan() -> CellSuppressionPlan {
        CellSuppressionPlan(histogram: histogram, k: k, blank: blank, priority: priority, maxBlankedPerRecord: cap)
    }
}

/// The plan applied to every record one by one, and everything counted again from that.
private struct Recount {
    var published: [[UInt32]: Int] = [:]
    var suppressed = 0
    var cells: [Int]
    var blankedRecords = 0
    var mostCellsInARecord = 0
    var blankedUnlisted = false
    var blankedToOtherThanBlank = false

    init(_ plan: CellSuppressionPlan, _ rows: [([UInt32], Int)], priority: [Int], blank: [UInt32]) {
        cells = [Int](repeating: 0, count: blank.count)
        for (original, count) in rows {
            for _ in 0..<count {
                var tuple = original
                guard plan.apply(to: &tuple) else {
                    suppressed += 1
                    continue
                }
                published[tuple, default: 0] += 1
                let changed = tuple.indices.filter { tuple[$0] != original[$0] }
                for i in changed {
                    cells[i] += 1
                    if !priority.contains(i) { blankedUnlisted = true }
                    if tuple[i] != blank[i] { blankedToOtherThanBlank = true }
                }
                if !changed.isEmpty { blankedRecords += 1 }
                mostCellsInARecord = max(mostCellsInARecord, changed.count)
            }
        }
    }
}

@Suite struct CellSuppressionTests {
    @Test func randomHistogramsPublishOnlyClassesOfK() {
        var blankedSomewhere = 0
        for seed in UInt64(1)...600 {
            let c = RandomCells(seed: seed)
            let plan = c.plan()
            let r = Recount(plan, c.rows, priority: c.priority, blank: c.blank)
            let records = c.rows.reduce(0) { $0 + $1.1 }
            #expect(r.published.values.allSatisfy { $0 >= c.k }, "seed \(seed): \(r.published)")
            #expect(r.published.values.reduce(0, +) + r.suppressed == records, "seed \(seed)")
            for (tuple, count) in c.rows where count >= c.k {
                #expect(plan.outcome(of: tuple) == .unchanged, "seed \(seed): a class of \(count) ≥ k changed")
            }
            #expect(!r.blankedUnlisted && !r.blankedToOtherThanBlank, "seed \(seed)")
            #expect(r.mostCellsInARecord <= min(c.cap ?? c.priority.count, c.priority.count), "seed \(seed)")
            #expect(plan.summary == .init(cellsBlanked: r.cells, recordsBlanked: r.blankedRecords,
                                          recordsSuppressed: r.suppressed), "seed \(seed)")
            let verified = plan.verify(against: c.histogram)
            #expect(verified, "seed \(seed)")
            if r.blankedRecords > 0 { blankedSomewhere += 1 }
        }
        // The generator must exercise blanking, not only the trivial outcomes.
        #expect(blankedSomewhere > 100)
    }

    @Test func suppressesNoMoreThanRecordSuppression() {
        var fewer = 0
        for seed in UInt64(1)...600 {
            let c = RandomCells(seed: seed)
            let inSmallClasses = c.rows.filter { $0.1 < c.k }.reduce(0) { $0 + $1.1 }
            let suppressed = c.plan().summary.recordsSuppressed
            #expect(suppressed <= inSmallClasses, "seed \(seed)")
            if suppressed < inSmallClasses { fewer += 1 }
        }
        #expect(fewer > 100)
    }

    @Test func resultDoesNotDependOnTupleOrder() {
        for seed in UInt64(1)...300 {
            var c = RandomCells(seed: seed)
            let plan = c.plan()
            c.rows.reverse()
            let reversed = c.plan()
            #expect(plan.summary == reversed.summary, "seed \(seed)")
            for (tuple, _) in c.rows { #expect(plan.outcome(of: tuple) == reversed.outcome(of: tuple), "seed \(seed)") }
        }
    }

    // Hand-made cases: code 0 is blank in every attribute.

    private static func plan(_ rows: [([UInt32], Int)], k: Int, priority: [Int], cap: Int? = nil) -> CellSuppressionPlan {
        var h = TupleHistogram(width: rows[0].0.count)
        for (tuple, count) in rows { h.add(tuple, multiplicity: count) }
        let plan = CellSuppressionPlan(histogram: h, k: k, blank: [UInt32](repeating: 0, count: h.width),
                                       priority: priority, maxBlankedPerRecord: cap)
        let verified = plan.verify(against: h)
        #expect(verified)
        return plan
    }

    @Test func exampleOfTheDocComment() {
        let plan = Self.plan([([1, 3], 5), ([0, 3], 4), ([2, 3], 1)], k: 5, priority: [0])
        var tuple: [UInt32] = [2, 3]
        #expect(plan.apply(to: &tuple) && tuple == [0, 3])
        #expect(plan.outcome(of: [0, 3]) == .unchanged)
        #expect(plan.summary == .init(cellsBlanked: [1, 0], recordsBlanked: 1, recordsSuppressed: 0))
    }

    @Test func oneCellBeforeTwo() {
        // Blanking attribute 1, first in priority, helps no one; blanking 0 alone suffices, so
        // the plan never blanks both although {1, 0} would also reach k.
        let plan = Self.plan([([1, 1, 1], 1), ([2, 1, 1], 1)], k: 2, priority: [1, 0])
        #expect(plan.outcome(of: [1, 1, 1]) == .blanked([0, 1, 1]))
        #expect(plan.outcome(of: [2, 1, 1]) == .blanked([0, 1, 1]))
        #expect(plan.summary == .init(cellsBlanked: [2, 0, 0], recordsBlanked: 2, recordsSuppressed: 0))
    }

    @Test func priorityDecidesBetweenEqualCosts() {
        // [1, 1] can join [0, 1] by blanking attribute 0 or [1, 0] by blanking attribute 1.
        let rows: [([UInt32], Int)] = [([0, 1], 2), ([1, 0], 2), ([1, 1], 1)]
        #expect(Self.plan(rows, k: 2, priority: [0, 1]).outcome(of: [1, 1]) == .blanked([0, 1]))
        #expect(Self.plan(rows, k: 2, priority: [1, 0]).outcome(of: [1, 1]) == .blanked([1, 0]))
    }

    @Test func joinsALargeClassThatAlreadyHasTheBlank() {
        let rows: [([UInt32], Int)] = [([0, 5, 7], 3), ([2, 5, 7], 1), ([3, 5, 7], 1)]
        let plan = Self.plan(rows, k: 3, priority: [0])
        #expect(plan.outcome(of: [0, 5, 7]) == .unchanged)
        #expect(plan.outcome(of: [2, 5, 7]) == .blanked([0, 5, 7]))
        #expect(plan.outcome(of: [3, 5, 7]) == .blanked([0, 5, 7]))
        #expect(plan.summary == .init(cellsBlanked: [2, 0, 0], recordsBlanked: 2, recordsSuppressed: 0))
        // Without the large class, the two small ones make only 2 < 3 together.
        #expect(Self.plan(Array(rows.dropFirst()), k: 3, priority: [0]).summary.recordsSuppressed == 2)
    }

    @Test func smallClassThatIsTheProjectionJoinsAtNoCost() {
        // (a) and (c): [0, 5] is small and already blank in attribute 0; [3, 5] projects onto it.
        let plan = Self.plan([([0, 5], 1), ([3, 5], 1), ([1, 1], 4)], k: 2, priority: [0])
        #expect(plan.outcome(of: [0, 5]) == .unchanged)
        #expect(plan.outcome(of: [3, 5]) == .blanked([0, 5]))
        #expect(plan.summary == .init(cellsBlanked: [1, 0], recordsBlanked: 1, recordsSuppressed: 0))
        // Alone, blanking its blank cell changes nothing, counts nothing, and cannot reach k.
        let alone = Self.plan([([0, 5], 1), ([1, 1], 4)], k: 2, priority: [0, 1], cap: 1)
        #expect(alone.outcome(of: [0, 5]) == .suppressed)
        #expect(alone.summary == .init(cellsBlanked: [0, 0], recordsBlanked: 0, recordsSuppressed: 1))
    }

    @Test func laterGroupJoinsAGroupFormedEarlier() {
        // (b): blanking attribute 0 forms [0, 0] from [1, 0] and [2, 0]; blanking attribute 1
        // then brings [0, 4], which alone is 1 < 3, into that group.
        let plan = Self.plan([([1, 0], 1), ([2, 0], 2), ([0, 4], 1)], k: 3, priority: [0, 1])
        #expect(plan.outcome(of: [1, 0]) == .blanked([0, 0]))
        #expect(plan.outcome(of: [2, 0]) == .blanked([0, 0]))
        #expect(plan.outcome(of: [0, 4]) == .blanked([0, 0]))
        #expect(plan.summary == .init(cellsBlanked: [3, 1], recordsBlanked: 4, recordsSuppressed: 0))
    }

    @Test func capOnCellsPerRecord() {
        let rows: [([UInt32], Int)] = [([1, 1], 1), ([2, 2], 1)]
        #expect(Self.plan(rows, k: 2, priority: [0, 1]).outcome(of: [1, 1]) == .blanked([0, 0]))
        let capped = Self.plan(rows, k: 2, priority: [0, 1], cap: 1)
        #expect(capped.summary == .init(cellsBlanked: [0, 0], recordsBlanked: 0, recordsSuppressed: 2))
    }

    @Test func fewerSuppressedThanWithRecordSuppression() {
        let rows: [([UInt32], Int)] = [([1, 1], 5), ([1, 2], 2), ([2, 2], 2), ([3, 3], 1)]
        let plan = Self.plan(rows, k: 3, priority: [0])
        // Record suppression drops the 5 records of classes < 3; here only [3, 3] cannot join.
        #expect(plan.summary.recordsSuppressed == 1)
        #expect(plan.outcome(of: [3, 3]) == .suppressed)
    }

    @Test func edgeCases() {
        let nothingSmall = Self.plan([([1, 1], 3), ([2, 1], 4)], k: 3, priority: [0, 1])
        #expect(nothingSmall.summary == .init(cellsBlanked: [0, 0], recordsBlanked: 0, recordsSuppressed: 0))
        #expect(nothingSmall.outcome(of: [1, 1]) == .unchanged)

        let tooFew = Self.plan([([1, 1], 1), ([2, 2], 2), ([0, 0], 1)], k: 5, priority: [0, 1])
        #expect(tooFew.summary == .init(cellsBlanked: [0, 0], recordsBlanked: 0, recordsSuppressed: 4))

        let noPriority = Self.plan([([1, 1], 1), ([2, 1], 1), ([3, 3], 2)], k: 2, priority: [])
        #expect(noPriority.summary == .init(cellsBlanked: [0, 0], recordsBlanked: 0, recordsSuppressed: 2))
        #expect(noPriority.outcome(of: [3, 3]) == .unchanged)

        let kOne = Self.plan([([1, 1], 1), ([2, 1], 1)], k: 1, priority: [0, 1])
        #expect(kOne.summary == .init(cellsBlanked: [0, 0], recordsBlanked: 0, recordsSuppressed: 0))
        #expect(kOne.outcome(of: [1, 1]) == .unchanged)

        var empty = TupleHistogram(width: 2)
        empty.add([1, 1], multiplicity: 0)
        let none = CellSuppressionPlan(histogram: TupleHistogram(width: 2), k: 3, blank: [0, 0], priority: [0])
        let verified = none.verify(against: TupleHistogram(width: 2)) && none.verify(against: empty)
        #expect(verified)
    }

    @Test func verifyRejectsAHistogramThePlanWasNotMadeFor() {
        var h = TupleHistogram(width: 2)
        h.add([1, 1], multiplicity: 1)
        h.add([2, 1], multiplicity: 1)
        let plan = CellSuppressionPlan(histogram: h, k: 2, blank: [0, 0], priority: [0])
        let before = plan.verify(against: h)
        h.add([3, 3], multiplicity: 1)      // a class of 1 the plan knows nothing of
        let after = plan.verify(against: h)
        #expect(before && !after)
    }

    @Test func unsafeBufferLookupMatchesOutcome() {
        let plan = Self.plan([([1, 1, 1], 1), ([2, 1, 1], 1), ([4, 4, 4], 1)], k: 2, priority: [0])
        var codes: [UInt32] = [2, 1, 1, 4, 4, 4]
        codes.withUnsafeMutableBufferPointer { all in
            #expect(plan.apply(to: UnsafeMutableBufferPointer(rebasing: all[0..<3])))
            #expect(!plan.apply(to: UnsafeMutableBufferPointer(rebasing: all[3..<6])))
        }
        #expect(codes == [0, 1, 1, 4, 4, 4])
    }
}
