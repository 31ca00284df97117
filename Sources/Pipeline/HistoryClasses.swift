import Anonymize
import Export

/// The classes a run is about to publish, as the differencing guard and the history read them
/// (``ReleaseClasses``): built from the histogram and the search's decision, never from a record.
enum HistoryClasses {
    /// `published`: the quasi-identifiers the release publishes (by index), in the order of each
    /// label tuple; one that is not published is summed over, as a reader of the file sees it.
    static func build(histogram: TupleHistogram, hierarchies: [Hierarchy], levels: [Int], suppressedTuples: [Bool],
                      blanking: CellBlanking?, names: [String], published: [Int]) -> ReleaseClasses {
        let generalised = blanking.map { _ in histogram.generalised(by: hierarchies, levels: levels) }
        var counts: [[String]: Int] = [:]
        var codes = [UInt32](repeating: 0, count: histogram.width)
        for t in 0..<histogram.tupleCount {
            if suppressedTuples[t] {
                guard let blanking, let (classes, classOf) = generalised else { continue }
                var tuple = classes.tuple(classOf[t])
                guard blanking.plan.apply(to: &tuple) else { continue }
                codes = tuple
            } else {
                for q in 0..<histogram.width { codes[q] = hierarchies[q].map[levels[q]][Int(histogram.codes[t * histogram.width + q])] }
            }
            let key = published.map { q in
                let labels = hierarchies[q].labels[levels[q]]
                let code = Int(codes[q])
                return code < labels.count ? labels[code] : (blanking?.blankLabels[q] ?? "")
            }
            counts[key, default: 0] += histogram.counts[t]
        }
        let ladders = published.enumerated().map { j, q in
            ladder(hierarchies[q], level: levels[q], labels: Set(counts.keys.map { $0[j] }))
        }
        return ReleaseClasses(names: published.map { names[$0] }, ladders: ladders, counts: counts)
    }

    /// Each published label's labels from `level` to the top; a label that is not the hierarchy's
    /// (an empty blanked cell) stays itself below the top and joins the top there.
    static func ladder(_ h: Hierarchy, level: Int, labels: Set<String>) -> ReleaseClasses.Ladder {
        let top = h.maxLevel
        var representative: [String: Int] = [:]
        for r in 0..<h.rawCount {
            let label = h.labels[level][Int(h.map[level][r])]
            if representative[label] == nil { representative[label] = r }
        }
        var ancestors: [String: [String]] = [:]
        for label in labels {
            if let r = representative[label] {
                ancestors[label] = (level...top).map { h.labels[$0][Int(h.map[$0][r])] }
            } else {
                ancestors[label] = (level...top).map { $0 == level || $0 < top ? label : h.labels[top][0] }
            }
        }
        return .init(level: level, top: top, digest: digest(h), ancestors: ancestors)
    }

    /// The SHA-256 of the hierarchy's rows above the raw values: a raw value that appears in a
    /// later release (a new age, a new country in a learnt hierarchy) does not change what its
    /// groups mean, and would otherwise confine every comparison to the top.
    static func digest(_ h: Hierarchy) -> String {
        guard h.maxLevel >= 1 else { return SHA256.hex([UInt8]()) }
        var rows = Set<String>()
        for r in 0..<h.rawCount {
            rows.insert((1...h.maxLevel).map { h.labels[$0][Int(h.map[$0][r])] }.joined(separator: "\u{1F}"))
        }
        return SHA256.hex(Array(rows.sorted().joined(separator: "\n").utf8))
    }
}
