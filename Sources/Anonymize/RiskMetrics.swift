/// Re-identification risk of a set of equivalence classes, under the prosecutor model: an attacker
/// who knows the target is in the data and knows the target's quasi-identifiers links them to one
/// record of the target's class at random, so succeeds with probability 1 ÷ the class size.
///
/// Every field is finite: an empty set of records gives zeros, never NaN, so the summary can be
/// written to JSON.
public struct RiskSummary: Sendable, Equatable, Codable {
    /// The highest risk of any record: 1 ÷ the smallest class size; 0 when there are no records.
    public var highestRisk: Double
    /// The mean risk over records: classes ÷ records; 0 when there are no records.
    public var averageRisk: Double
    /// The share of records at the highest risk (in a class of the smallest size); 0 when there
    /// are no records.
    public var recordsAtHighestRisk: Double
    /// Records alone in their class.
    public var sampleUniques: Int
    public var classes: Int
    public var records: Int
    /// The size of the smallest class; 0 when there are no records.
    public var smallestClass: Int

    public init(highestRisk: Double, averageRisk: Double, recordsAtHighestRisk: Double, sampleUniques: Int,
                classes: Int, records: Int, smallestClass: Int) {
        self.highestRisk = highestRisk
        self.averageRisk = averageRisk
        self.recordsAtHighestRisk = recordsAtHighestRisk
        self.sampleUniques = sampleUniques
        self.classes = classes
        self.records = records
        self.smallestClass = smallestClass
    }

    /// The summary of classes with these sizes; sizes of 0 are ignored.
    public init<Sizes: Sequence<Int>>(classSizes: Sizes) {
        var classes = 0
        var records = 0
        var smallest = Int.max
        var atSmallest = 0
        var uniques = 0
        for size in classSizes where size > 0 {
            classes += 1
            records += size
            if size == 1 { uniques += 1 }
            if size < smallest {
                smallest = size
                atSmallest = size
            } else if size == smallest {
                atSmallest += size
            }
        }
        guard records > 0 else {
            self.init(highestRisk: 0, averageRisk: 0, recordsAtHighestRisk: 0, sampleUniques: 0,
                      classes: 0, records: 0, smallestClass: 0)
            return
        }
        self.init(highestRisk: 1 / Double(smallest),
                  averageRisk: Double(classes) / Double(records),
                  recordsAtHighestRisk: Double(atSmallest) / Double(records),
                  sampleUniques: uniques, classes: classes, records: records, smallestClass: smallest)
    }
}

/// What anonymisation did to one quasi-identifier.
public struct AttributeUtility: Sendable, Equatable, Codable {
    public var name: String
    /// Distinct raw values among all records.
    public var distinctBefore: Int
    /// Distinct published labels among the published records.
    public var distinctAfter: Int
    /// The share of published records whose published label differs from their raw value
    /// (generalised, or blanked); 0 when nothing is published.
    public var shareChanged: Double
    /// Raw value → records, over all records.
    public var before: [String: Int]
    /// Published label → records, over the published records.
    public var after: [String: Int]

    public init(name: String, distinctBefore: Int, distinctAfter: Int, shareChanged: Double,
                before: [String: Int], after: [String: Int]) {
        self.name = name
        self.distinctBefore = distinctBefore
        self.distinctAfter = distinctAfter
        self.shareChanged = shareChanged
        self.before = before
        self.after = after
    }
}

/// How many classes have one size, and the records they hold.
public struct ClassSizeCount: Sendable, Equatable, Codable {
    public var size: Int
    public var classes: Int
    public var records: Int

    public init(size: Int, classes: Int, records: Int) {
        self.size = size
        self.classes = classes
        self.records = records
    }

    /// Class sizes → counts, smallest size first; sizes of 0 are ignored.
    public static func distribution<Sizes: Sequence<Int>>(_ sizes: Sizes) -> [ClassSizeCount] {
        var classes: [Int: Int] = [:]
        for size in sizes where size > 0 { classes[size, default: 0] += 1 }
        return classes.keys.sorted().map { ClassSizeCount(size: $0, classes: classes[$0]!, records: $0 * classes[$0]!) }
    }
}

/// Risk before and after anonymisation, and the utility of each quasi-identifier.
public struct RiskReport: Sendable, Equatable, Codable {
    /// Over all records, classed by their raw quasi-identifiers (after the rules).
    public var before: RiskSummary
    /// Over the published records, classed by their published quasi-identifiers.
    public var after: RiskSummary
    /// One per quasi-identifier, in the order of the histogram's columns.
    public var attributes: [AttributeUtility]
    /// The sizes of the classes before, smallest first: how the risk before is spread.
    public var classSizesBefore: [ClassSizeCount]
    /// The sizes of the published classes, smallest first; none is below k.
    public var classSizesAfter: [ClassSizeCount]
    /// The suppressed records, by the size of the class they fell in under the chosen
    /// transformation (before any cell blanking): why each was suppressed.
    public var suppressedByClassSize: [ClassSizeCount]

    public init(before: RiskSummary, after: RiskSummary, attributes: [AttributeUtility],
                classSizesBefore: [ClassSizeCount] = [], classSizesAfter: [ClassSizeCount] = [],
                suppressedByClassSize: [ClassSizeCount] = []) {
        self.before = before
        self.after = after
        self.attributes = attributes
        self.classSizesBefore = classSizesBefore
        self.classSizesAfter = classSizesAfter
        self.suppressedByClassSize = suppressedByClassSize
    }

    private enum CodingKeys: String, CodingKey {
        case before, after, attributes, classSizesBefore, classSizesAfter, suppressedByClassSize
    }

    /// Reports written before the class-size distributions existed still decode, with them empty,
    /// so that `htdx verify` can read older releases.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        before = try c.decode(RiskSummary.self, forKey: .before)
        after = try c.decode(RiskSummary.self, forKey: .after)
        attributes = try c.decode([AttributeUtility].self, forKey: .attributes)
        classSizesBefore = try c.decodeIfPresent([ClassSizeCount].self, forKey: .classSizesBefore) ?? []
        classSizesAfter = try c.decodeIfPresent([ClassSizeCount].self, forKey: .classSizesAfter) ?? []
        suppressedByClassSize = try c.decodeIfPresent([ClassSizeCount].self, forKey: .suppressedByClassSize) ?? []
    }
}

public enum RiskMetrics {
    /// Measures risk and utility for the chosen transformation.
    ///
    /// Each raw tuple publishes as follows, as the publishing pass does: its codes are generalised
    /// through `hierarchies[i].map[levels[i]]`; a tuple the search keeps publishes that; a tuple
    /// it suppresses is dropped, unless `blanking` is given and rescues it (`apply(to:)` returns
    /// true), when it publishes the tuple the plan rewrites it to. A published code is written as
    /// `labels[levels[i]][code]`, or as `blankLabels[i]` when the code is past the labels (the
    /// blank code of a hierarchy with no empty raw value).
    ///
    /// Published classes are the records with the same published labels, as a reader sees them: a
    /// blank code past the labels whose label equals one of the labels joins that label's class.
    ///
    /// The cost is one pass over the tuples of `raw`, not over its records; memory follows the
    /// number of published tuples and the sizes of the hierarchies.
    ///
    /// - Parameters:
    ///   - raw: The histogram of raw quasi-identifier codes after the rules.
    ///   - hierarchies: One per quasi-identifier; a raw code is an index into its `rawValues`.
    ///   - levels: The chosen level of each quasi-identifier.
    ///   - suppressed: Per tuple of `raw`, whether the search suppresses its records.
    ///   - blanking: The cell-suppression plan, built over the generalised tuples, if any.
    ///   - blankLabels: Per quasi-identifier, the label a blanked cell publishes.
    ///   - names: Per quasi-identifier, its name.
    public static func report(raw: TupleHistogram, hierarchies: [Hierarchy], levels: [Int], suppressed: [Bool],
                              blanking: CellSuppressionPlan?, blankLabels: [String], names: [String]) -> RiskReport {
        let width = raw.width
        precondition(hierarchies.count == width && levels.count == width && blankLabels.count == width
                     && names.count == width, "one hierarchy, level, blank label and name per quasi-identifier")
        precondition(suppressed.count == raw.tupleCount, "one suppression flag per tuple of the histogram")
        precondition(zip(hierarchies, levels).allSatisfy { (0..<$0.levelCount).contains($1) },
                     "each level must be one of its hierarchy's levels")
        precondition(blanking.map { $0.width == width } ?? true, "the plan must have one code per quasi-identifier")

        // Per quasi-identifier: the published labels at the chosen level, with the blank label as
        // one extra slot; `canonical` maps a published code to its slot, so that two codes with
        // the same label share one (labels within a level are distinct).
        let labels: [[String]] = (0..<width).map { hierarchies[$0].labels[levels[$0]] }
        let blankSlot: [Int] = (0..<width).map { labels[$0].firstIndex(of: blankLabels[$0]) ?? labels[$0].count }
        @inline(__always) func slot(_ q: Int, _ code: UInt32) -> Int {
            let c = Int(code)
            return c < labels[q].count ? c : blankSlot[q]
        }
        // Whether generalising a raw code changes its label, per quasi-identifier and raw code.
        let generalisedChanges: [[Bool]] = (0..<width).map { q in
            let h = hierarchies[q]
            return (0..<h.rawCount).map { r in labels[q][Int(h.map[levels[q]][r])] != h.rawValues[r] }
        }

        var beforeCounts = hierarchies.map { [Int](repeating: 0, count: $0.rawCount) }
        var afterCounts = labels.map { [Int](repeating: 0, count: $0.count + 1) }
        var changed = [Int](repeating: 0, count: width)
        var beforeSizes: [Int] = []
        beforeSizes.reserveCapacity(raw.tupleCount)
        var published = TupleHistogram(width: width)
        var slots = [UInt32](repeating: 0, count: width)
        // The classes under the chosen transformation, before blanking, and which of them hold
        // records that end up suppressed.
        precondition((0..<raw.codes.count).allSatisfy { Int(raw.codes[$0]) < hierarchies[$0 % width].rawCount },
                     "a raw code past its hierarchy's raw values")
        let (transformed, classOf) = raw.generalised(by: hierarchies, levels: levels)
        var suppressedIn: [Int: Int] = [:]

        for t in 0..<raw.tupleCount {
            let count = raw.counts[t]
            guard count > 0 else { continue }
            let base = t * width
            beforeSizes.append(count)
            for q in 0..<width {
                let r = Int(raw.codes[base + q])
                beforeCounts[q][r] += count
            }
            let g = classOf[t]
            let generalised = transformed.tuple(g)
            var publishedCodes = generalised
            if suppressed[t] {
                guard let plan = blanking, plan.apply(to: &publishedCodes) else {
                    suppressedIn[g, default: 0] += count
                    continue
                }
            }
            for q in 0..<width {
                let code = publishedCodes[q]
                let s = slot(q, code)
                slots[q] = UInt32(s)
                afterCounts[q][s] += count
                let r = Int(raw.codes[base + q])
                let differs = code == generalised[q]
                    ? generalisedChanges[q][r]
                    : (s < labels[q].count ? labels[q][s] : blankLabels[q]) != hierarchies[q].rawValues[r]
                if differs { changed[q] += count }
            }
            published.add(slots, multiplicity: count)
        }

        let publishedRecords = published.recordCount
        var attributes: [AttributeUtility] = []
        attributes.reserveCapacity(width)
        for q in 0..<width {
            var before: [String: Int] = [:]
            for (r, n) in beforeCounts[q].enumerated() where n > 0 { before[hierarchies[q].rawValues[r]] = n }
            var after: [String: Int] = [:]
            for (s, n) in afterCounts[q].enumerated() where n > 0 {
                after[s < labels[q].count ? labels[q][s] : blankLabels[q], default: 0] += n
            }
            attributes.append(AttributeUtility(
                name: names[q], distinctBefore: before.count, distinctAfter: after.count,
                shareChanged: publishedRecords > 0 ? Double(changed[q]) / Double(publishedRecords) : 0,
                before: before, after: after))
        }
        var suppressedBySize: [Int: (classes: Int, records: Int)] = [:]
        for (g, records) in suppressedIn {
            let size = transformed.counts[g]
            suppressedBySize[size, default: (0, 0)].classes += 1
            suppressedBySize[size, default: (0, 0)].records += records
        }
        return RiskReport(before: RiskSummary(classSizes: beforeSizes),
                          after: RiskSummary(classSizes: published.counts),
                          attributes: attributes,
                          classSizesBefore: ClassSizeCount.distribution(beforeSizes),
                          classSizesAfter: ClassSizeCount.distribution(published.counts),
                          suppressedByClassSize: suppressedBySize.keys.sorted().map {
                              ClassSizeCount(size: $0, classes: suppressedBySize[$0]!.classes, records: suppressedBySize[$0]!.records)
                          })
    }
}
