import Anonymize
import Foundation
import TestSupport
import Testing

@Suite("RiskMetrics")
struct RiskMetricsTests {
    private func histogram(width: Int, _ rows: [([UInt32], Int)]) -> TupleHistogram {
        var h = TupleHistogram(width: width)
        for (tuple, count) in rows { h.add(tuple, multiplicity: count) }
        return h
    }

    /// Ages 20, 25, 30, 35 in decades, then `*`.
    private let age = try! Hierarchy(rows: [
        ["20", "20-29", "*"], ["25", "20-29", "*"], ["30", "30-39", "*"], ["35", "30-39", "*"],
    ])

    // MARK: Hand-made cases

    @Test func classesOfOneTwoAndFive() {
        let h = try! Hierarchy(rows: [["a", "*"], ["b", "*"], ["c", "*"]])
        let raw = histogram(width: 1, [([0], 1), ([1], 2), ([2], 5)])
        let report = RiskMetrics.report(raw: raw, hierarchies: [h], levels: [0], suppressed: [false, false, false],
                                        blanking: nil, blankLabels: [""], names: ["letter"])
        let expected = RiskSummary(highestRisk: 1, averageRisk: 3.0 / 8, recordsAtHighestRisk: 1.0 / 8,
                                   sampleUniques: 1, classes: 3, records: 8, smallestClass: 1)
        #expect(report.before == expected)
        #expect(report.after == expected)
        #expect(report.attributes == [AttributeUtility(
            name: "letter", distinctBefore: 3, distinctAfter: 3, shareChanged: 0,
            before: ["a": 1, "b": 2, "c": 5], after: ["a": 1, "b": 2, "c": 5])])

        // Fully generalised: one class of 8, every value changed.
        let top = RiskMetrics.report(raw: raw, hierarchies: [h], levels: [1], suppressed: [false, false, false],
                                     blanking: nil, blankLabels: [""], names: ["letter"])
        #expect(top.before == expected)
        #expect(top.after == RiskSummary(highestRisk: 1.0 / 8, averageRisk: 1.0 / 8, recordsAtHighestRisk: 1,
                                         sampleUniques: 0, classes: 1, records: 8, smallestClass: 8))
        #expect(top.attributes[0].shareChanged == 1)
        #expect(top.attributes[0].distinctAfter == 1)
        #expect(top.attributes[0].after == ["*": 8])
    }

    @Test func generalisationAndSuppression() {
        let region = try! Hierarchy(rows: [["N", "*"], ["S", "*"], ["", "*"]])
        // (20, N) ×3, (25, N) ×2, (30, S) ×1, (35, "") ×4; ages in decades, region raw, (30, S) suppressed.
        let raw = histogram(width: 2, [([0, 0], 3), ([1, 0], 2), ([2, 1], 1), ([3, 2], 4)])
        let report = RiskMetrics.report(raw: raw, hierarchies: [age, region], levels: [1, 0],
                                        suppressed: [false, false, true, false], blanking: nil,
                                        blankLabels: ["", ""], names: ["age", "region"])
        #expect(report.before == RiskSummary(highestRisk: 1, averageRisk: 4.0 / 10, recordsAtHighestRisk: 1.0 / 10,
                                             sampleUniques: 1, classes: 4, records: 10, smallestClass: 1))
        #expect(report.after == RiskSummary(highestRisk: 1.0 / 4, averageRisk: 2.0 / 9, recordsAtHighestRisk: 4.0 / 9,
                                            sampleUniques: 0, classes: 2, records: 9, smallestClass: 4))
        #expect(report.attributes == [
            AttributeUtility(name: "age", distinctBefore: 4, distinctAfter: 2, shareChanged: 1,
                             before: ["20": 3, "25": 2, "30": 1, "35": 4], after: ["20-29": 5, "30-39": 4]),
            AttributeUtility(name: "region", distinctBefore: 3, distinctAfter: 2, shareChanged: 0,
                             before: ["N": 5, "S": 1, "": 4], after: ["N": 5, "": 4]),
        ])
        // Classes before: 3, 2, 1, 4; published: (20-29, N) 5 and (30-39, "") 4; the suppressed
        // record was alone in (30-39, S) under the chosen levels.
        #expect(report.classSizesBefore == [1, 2, 3, 4].map { ClassSizeCount(size: $0, classes: 1, records: $0) })
        #expect(report.classSizesAfter == [ClassSizeCount(size: 4, classes: 1, records: 4), ClassSizeCount(size: 5, classes: 1, records: 5)])
        #expect(report.suppressedByClassSize == [ClassSizeCount(size: 1, classes: 1, records: 1)])
    }

    @Test func blankingRescuesASuppressedTupleIntoTheEmptyValue() {
        let region = try! Hierarchy(rows: [["N", "*"], ["S", "*"], ["", "*"]])
        let raw = histogram(width: 2, [([0, 0], 3), ([1, 0], 2), ([2, 1], 1), ([3, 2], 4)])
        let generalised = histogram(width: 2, [([0, 0], 5), ([1, 1], 1), ([1, 2], 4)])
        // Region's blank is the code of the raw empty value at level 0: 2.
        let plan = CellSuppressionPlan(histogram: generalised, k: 2, blank: [2, 2], priority: [1])
        let report = RiskMetrics.report(raw: raw, hierarchies: [age, region], levels: [1, 0],
                                        suppressed: [false, false, true, false], blanking: plan,
                                        blankLabels: ["", ""], names: ["age", "region"])
        #expect(report.after == RiskSummary(highestRisk: 1.0 / 5, averageRisk: 2.0 / 10, recordsAtHighestRisk: 1,
                                            sampleUniques: 0, classes: 2, records: 10, smallestClass: 5))
        #expect(report.attributes[1] == AttributeUtility(
            name: "region", distinctBefore: 3, distinctAfter: 2, shareChanged: 1.0 / 10,
            before: ["N": 5, "S": 1, "": 4], after: ["N": 5, "": 5]))
        #expect(report.attributes[0].shareChanged == 1)
    }

    @Test func blankingWithACodePastTheLabels() {
        let region = try! Hierarchy(rows: [["N"], ["S"], ["E"]])
        // (20, S) and (25, E) are alone in their decade; blanking region (code 3, past the labels)
        // joins them. (30, N) ×2 publishes as it is.
        let raw = histogram(width: 2, [([0, 1], 1), ([1, 2], 1), ([2, 0], 2)])
        let generalised = histogram(width: 2, [([0, 1], 1), ([0, 2], 1), ([1, 0], 2)])
        let plan = CellSuppressionPlan(histogram: generalised, k: 2, blank: [2, 3], priority: [1])
        let report = RiskMetrics.report(raw: raw, hierarchies: [age, region], levels: [1, 0],
                                        suppressed: [true, true, false], blanking: plan,
                                        blankLabels: ["", "(blank)"], names: ["age", "region"])
        #expect(report.after == RiskSummary(highestRisk: 1.0 / 2, averageRisk: 2.0 / 4, recordsAtHighestRisk: 1,
                                            sampleUniques: 0, classes: 2, records: 4, smallestClass: 2))
        #expect(report.attributes[1] == AttributeUtility(
            name: "region", distinctBefore: 3, distinctAfter: 2, shareChanged: 2.0 / 4,
            before: ["N": 2, "S": 1, "E": 1], after: ["N": 2, "(blank)": 2]))

        // Without the plan the two are suppressed.
        let dropped = RiskMetrics.report(raw: raw, hierarchies: [age, region], levels: [1, 0],
                                         suppressed: [true, true, false], blanking: nil,
                                         blankLabels: ["", "(blank)"], names: ["age", "region"])
        #expect(dropped.after == RiskSummary(highestRisk: 1.0 / 2, averageRisk: 1.0 / 2, recordsAtHighestRisk: 1,
                                             sampleUniques: 0, classes: 1, records: 2, smallestClass: 2))
        #expect(dropped.attributes[1].after == ["N": 2])
        #expect(dropped.attributes[1].shareChanged == 0)
    }

    @Test func aBlankLabelEqualToALabelJoinsThatLabelsClass() {
        // S and E are alone; blanking (code 3, past the labels) joins them, and the blank publishes
        // "N", so a reader sees one class of 4.
        let region = try! Hierarchy(rows: [["N"], ["S"], ["E"]])
        let raw = histogram(width: 1, [([0], 2), ([1], 1), ([2], 1)])
        let plan = CellSuppressionPlan(histogram: raw, k: 2, blank: [3], priority: [0])
        let report = RiskMetrics.report(raw: raw, hierarchies: [region], levels: [0], suppressed: [false, true, true],
                                        blanking: plan, blankLabels: ["N"], names: ["region"])
        #expect(report.after == RiskSummary(highestRisk: 1.0 / 4, averageRisk: 1.0 / 4, recordsAtHighestRisk: 1,
                                            sampleUniques: 0, classes: 1, records: 4, smallestClass: 4))
        #expect(report.attributes[0].after == ["N": 4])
        #expect(report.attributes[0].distinctAfter == 1)
        #expect(report.attributes[0].shareChanged == 2.0 / 4)
    }

    // MARK: Edge cases

    private func encodesToJSON(_ report: RiskReport) -> Bool {
        // JSONEncoder throws on NaN and infinities by default.
        guard let data = try? JSONEncoder().encode(report) else { return false }
        return (try? JSONDecoder().decode(RiskReport.self, from: data)) == report
    }

    private let zero = RiskSummary(highestRisk: 0, averageRisk: 0, recordsAtHighestRisk: 0, sampleUniques: 0,
                                   classes: 0, records: 0, smallestClass: 0)

    @Test func aReportWrittenBeforeClassSizesStillDecodes() throws {
        let h = try Hierarchy(rows: [["a", "*"], ["b", "*"]])
        let report = RiskMetrics.report(raw: histogram(width: 1, [([0], 2), ([1], 3)]), hierarchies: [h], levels: [0],
                                        suppressed: [false, false], blanking: nil, blankLabels: [""], names: ["x"])
        #expect(!report.classSizesAfter.isEmpty)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        for key in ["classSizesBefore", "classSizesAfter", "suppressedByClassSize"] { object[key] = nil }
        let old = try JSONDecoder().decode(RiskReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.before == report.before && old.after == report.after && old.attributes == report.attributes)
        #expect(old.classSizesAfter.isEmpty && old.suppressedByClassSize.isEmpty)
        #expect(try JSONDecoder().decode(RiskReport.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func emptyHistogram() {
        let region = try! Hierarchy(rows: [["N", "*"], ["S", "*"]])
        let report = RiskMetrics.report(raw: TupleHistogram(width: 2), hierarchies: [age, region], levels: [2, 1],
                                        suppressed: [], blanking: nil, blankLabels: ["", ""], names: ["age", "region"])
        #expect(report.before == zero)
        #expect(report.after == zero)
        #expect(report.attributes == [
            AttributeUtility(name: "age", distinctBefore: 0, distinctAfter: 0, shareChanged: 0, before: [:], after: [:]),
            AttributeUtility(name: "region", distinctBefore: 0, distinctAfter: 0, shareChanged: 0, before: [:], after: [:]),
        ])
        #expect(encodesToJSON(report))
    }

    @Test func everythingSuppressed() {
        let raw = histogram(width: 1, [([0], 1), ([3], 2)])
        let report = RiskMetrics.report(raw: raw, hierarchies: [age], levels: [1], suppressed: [true, true],
                                        blanking: nil, blankLabels: [""], names: ["age"])
        #expect(report.before == RiskSummary(highestRisk: 1, averageRisk: 2.0 / 3, recordsAtHighestRisk: 1.0 / 3,
                                             sampleUniques: 1, classes: 2, records: 3, smallestClass: 1))
        #expect(report.after == zero)
        #expect(report.attributes == [AttributeUtility(
            name: "age", distinctBefore: 2, distinctAfter: 0, shareChanged: 0, before: ["20": 1, "35": 2], after: [:])])
        #expect(encodesToJSON(report))
    }

    @Test func singleRecord() {
        let raw = histogram(width: 1, [([2], 1)])
        let report = RiskMetrics.report(raw: raw, hierarchies: [age], levels: [2], suppressed: [false],
                                        blanking: nil, blankLabels: [""], names: ["age"])
        let one = RiskSummary(highestRisk: 1, averageRisk: 1, recordsAtHighestRisk: 1, sampleUniques: 1,
                              classes: 1, records: 1, smallestClass: 1)
        #expect(report.before == one)
        #expect(report.after == one)
        #expect(report.attributes == [AttributeUtility(
            name: "age", distinctBefore: 1, distinctAfter: 1, shareChanged: 1, before: ["30": 1], after: ["*": 1])])
        #expect(encodesToJSON(report))
    }

    // MARK: Property test

    @Test(arguments: 1...300)
    func matchesARecountOfEveryRecord(seed: UInt64) throws {
        let run = try RandomRiskRun(seed: seed)
        let report = RiskMetrics.report(raw: run.histogram, hierarchies: run.hierarchies, levels: run.levels,
                                        suppressed: run.suppressed, blanking: run.plan,
                                        blankLabels: run.blankLabels, names: run.names)
        let recount = RiskRecount(run)
        check(report.before, against: recount.beforeClasses)
        check(report.after, against: recount.afterClasses)
        #expect(report.attributes.count == run.width)
        for (q, a) in report.attributes.enumerated() {
            #expect(a.name == run.names[q])
            #expect(a.before == recount.beforeValues[q])
            #expect(a.after == recount.afterValues[q])
            #expect(a.distinctBefore == Set(recount.records.map { $0.raw[q] }).count)
            #expect(a.distinctAfter == Set(recount.records.compactMap { $0.published?[q] }).count)
            let published = recount.records.filter { $0.published != nil }
            let changed = published.filter { $0.published![q] != $0.raw[q] }.count
            #expect(a.shareChanged == (published.isEmpty ? 0 : Double(changed) / Double(published.count)))
        }
        #expect(encodesToJSON(report))

        // Class-size distributions, and the suppressed records by their class under the levels.
        func distribution(_ sizes: some Sequence<Int>) -> [ClassSizeCount] {
            Dictionary(grouping: sizes, by: { $0 }).map { ClassSizeCount(size: $0.key, classes: $0.value.count, records: $0.key * $0.value.count) }
                .sorted { $0.size < $1.size }
        }
        #expect(report.classSizesBefore == distribution(recount.beforeClasses.values))
        #expect(report.classSizesAfter == distribution(recount.afterClasses.values))
        var generalisedSizes: [[UInt32]: Int] = [:]
        for record in recount.records { generalisedSizes[record.generalised, default: 0] += 1 }
        var suppressedClasses: [[UInt32]: Int] = [:]
        for record in recount.records where record.published == nil { suppressedClasses[record.generalised, default: 0] += 1 }
        let bySize = Dictionary(grouping: suppressedClasses, by: { generalisedSizes[$0.key]! })
        #expect(report.suppressedByClassSize == bySize.keys.sorted().map { size in
            ClassSizeCount(size: size, classes: bySize[size]!.count, records: bySize[size]!.reduce(0) { $0 + $1.value })
        })

        // k-anonymity: when every published class has at least k records, no record's risk is above 1/k.
        if let k = run.k, recount.afterClasses.values.allSatisfy({ $0 >= k }) {
            #expect(report.after.highestRisk <= 1 / Double(k))
            #expect(report.after.records == 0 || report.after.smallestClass >= k)
        }
        // The search suppressing classes under k, with or without blanking, leaves none under k.
        if run.suppressesSmallClasses, let k = run.k {
            #expect(recount.afterClasses.values.allSatisfy { $0 >= k })
        }
    }

    /// Risk computed record by record: each record's risk is 1 ÷ its class size.
    private func check(_ summary: RiskSummary, against classes: [[String]: Int]) {
        let records = classes.values.reduce(0, +)
        #expect(summary.records == records)
        #expect(summary.classes == classes.count)
        guard records > 0 else {
            #expect(summary == zero)
            return
        }
        var risks: [Double] = []
        for size in classes.values { risks += Array(repeating: 1 / Double(size), count: size) }
        let highest = risks.max()!
        #expect(summary.highestRisk == highest)
        #expect(summary.smallestClass == classes.values.min()!)
        #expect(abs(summary.averageRisk - risks.reduce(0, +) / Double(records)) < 1e-12)
        #expect(summary.recordsAtHighestRisk == Double(risks.filter { $0 == highest }.count) / Double(records))
        #expect(summary.sampleUniques == classes.values.filter { $0 == 1 }.count)
    }
}

/// A random histogram over random small hierarchies, with a transformation, suppression flags and
/// sometimes a cell-suppression plan, built the way a run builds them.
private struct RandomRiskRun {
    var width: Int
    var hierarchies: [Hierarchy] = []
    var levels: [Int] = []
    var names: [String] = []
    var blankLabels: [String] = []
    var histogram: TupleHistogram
    var suppressed: [Bool] = []
    var plan: CellSuppressionPlan?
    /// The k the suppression flags and the plan were built for, if any.
    var k: Int?
    var suppressesSmallClasses = false

    init(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        width = Int.random(in: 1...3, using: &rng)
        var blank: [UInt32] = []
        for q in 0..<width {
            let h = try Self.randomHierarchy(using: &rng)
            let level = Int.random(in: 0...h.maxLevel, using: &rng)
            hierarchies.append(h)
            levels.append(level)
            names.append("qi\(q)")
            let labels = h.labels[level]
            if let empty = h.rawValues.firstIndex(of: "") {
                let code = h.map[level][empty]
                blank.append(code)
                blankLabels.append(labels[Int(code)])
            } else {
                blank.append(UInt32(labels.count))
                // The empty cell, or a label the level already has.
                blankLabels.append(Bool.random(using: &rng) ? labels.randomElement(using: &rng)! : "")
            }
        }
        histogram = TupleHistogram(width: width)
        if Int.random(in: 0..<12, using: &rng) > 0 {
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                // Skewed towards low codes, so that some tuples repeat and classes form.
                let tuple = hierarchies.map { h in
                    UInt32(min(Int.random(in: 0..<h.rawCount, using: &rng), Int.random(in: 0..<h.rawCount, using: &rng)))
                }
                histogram.add(tuple, multiplicity: Int.random(in: 1...(Bool.random(using: &rng) ? 2 : 6), using: &rng))
            }
        }

        // The generalised histogram, and each raw tuple's generalised class size.
        var generalised = TupleHistogram(width: width)
        var generalisedIndex: [Int] = []
        for t in 0..<histogram.tupleCount {
            let tuple = (0..<width).map { q in hierarchies[q].map[levels[q]][Int(histogram.codes[t * width + q])] }
            generalisedIndex.append(tuple.withUnsafeBufferPointer { generalised.add($0, multiplicity: histogram.counts[t]) })
        }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            suppressed = (0..<histogram.tupleCount).map { _ in Int.random(in: 0..<4, using: &rng) == 0 }
        default:
            let k = Int.random(in: 1...6, using: &rng)
            self.k = k
            suppressesSmallClasses = true
            suppressed = generalisedIndex.map { generalised.counts[$0] < k }
        }
        if Bool.random(using: &rng) {
            let k = self.k ?? Int.random(in: 1...6, using: &rng)
            let priority = Array((0..<width).shuffled(using: &rng).prefix(Int.random(in: 0...width, using: &rng)))
            plan = CellSuppressionPlan(histogram: generalised, k: k, blank: blank, priority: priority)
            if self.k == nil { self.k = k }
        }
    }

    /// 1 to 5 raw values (sometimes one of them empty), 1 to 4 levels, each level merging groups of
    /// the one below at random, so the hierarchy is functional by construction. A group is labelled
    /// either by a fresh name or by the raw value of its first member, which then publishes unchanged.
    static func randomHierarchy(using rng: inout SplitMix64) throws -> Hierarchy {
        let n = Int.random(in: 1...5, using: &rng)
        var raw = (0..<n).map { "v\($0)" }
        if Int.random(in: 0..<3, using: &rng) == 0 { raw[Int.random(in: 0..<n, using: &rng)] = "" }
        var rows = raw.map { [$0] }
        var group = Array(0..<n)          // each raw value's group at the level below
        var groups = n
        for level in 1..<Int.random(in: 1...4, using: &rng) {
            let merged = Int.random(in: 1...groups, using: &rng)
            let parent = (0..<groups).map { _ in Int.random(in: 0..<merged, using: &rng) }
            // Renumber the parents that occur, in order of first member.
            var renumber: [Int: Int] = [:]
            var firstMember: [Int] = []
            for r in 0..<n {
                let p = parent[group[r]]
                if renumber[p] == nil {
                    renumber[p] = firstMember.count
                    firstMember.append(r)
                }
                group[r] = renumber[p]!
            }
            groups = firstMember.count
            let labels = (0..<groups).map { g in
                Bool.random(using: &rng) ? "L\(level)g\(g)" : raw[firstMember[g]]
            }
            for r in 0..<n { rows[r].append(labels[group[r]]) }
        }
        return try Hierarchy(rows: rows)
    }
}

/// The run expanded into individual records, each generalised, suppressed or blanked on its own,
/// and everything counted with plain dictionaries of labels.
private struct RiskRecount {
    struct Record {
        var raw: [String]
        var published: [String]?
        /// Its codes under the chosen levels, before any blanking.
        var generalised: [UInt32]
    }
    var records: [Record] = []
    var beforeClasses: [[String]: Int] = [:]
    var afterClasses: [[String]: Int] = [:]
    var beforeValues: [[String: Int]]
    var afterValues: [[String: Int]]

    init(_ run: RandomRiskRun) {
        let w = run.width
        beforeValues = Array(repeating: [:], count: w)
        afterValues = Array(repeating: [:], count: w)
        for t in 0..<run.histogram.tupleCount {
            let codes = (0..<w).map { Int(run.histogram.codes[t * w + $0]) }
            for _ in 0..<run.histogram.counts[t] {
                let raw = (0..<w).map { run.hierarchies[$0].rawValues[codes[$0]] }
                var tuple = (0..<w).map { run.hierarchies[$0].map[run.levels[$0]][codes[$0]] }
                let generalised = tuple
                var keep = true
                if run.suppressed[t] {
                    keep = run.plan?.apply(to: &tuple) ?? false
                }
                let published: [String]? = keep
                    ? (0..<w).map { q in
                        let labels = run.hierarchies[q].labels[run.levels[q]]
                        return Int(tuple[q]) < labels.count ? labels[Int(tuple[q])] : run.blankLabels[q]
                    }
                    : nil
                records.append(Record(raw: raw, published: published, generalised: generalised))
            }
        }
        for record in records {
            beforeClasses[record.raw, default: 0] += 1
            for q in 0..<w { beforeValues[q][record.raw[q], default: 0] += 1 }
            if let p = record.published {
                afterClasses[p, default: 0] += 1
                for q in 0..<w { afterValues[q][p[q], default: 0] += 1 }
            }
        }
    }
}
