import Anonymize
import Foundation
import TestSupport
import Testing

/// A random table with one sensitive attribute and a policy of k-anonymity plus one other model.
struct ModelProblem {
    enum Kind: Int, CaseIterable, CustomStringConvertible, Sendable {
        case kOnly, distinct, entropy, recursive, equal, hierarchical
        var description: String { ["k", "distinct", "entropy", "recursive", "equal", "hierarchical"][rawValue] }
    }

    var hierarchies: [Hierarchy]
    var sensitiveHierarchy: Hierarchy
    var rows: [[Int]]             // raw codes, one per quasi-identifier
    var sensitive: [Int]          // the sensitive value's code per record
    var k: Int
    var limitPercent: Int
    var weights: [Double]?
    var maxLevels: [Int]?
    var kind: Kind
    var l = 2.0, c = 2.0, t = 0.2

    /// A functional hierarchy of `rawCount` values: groups merge at random level by level, and the
    /// top is `*` unless `openTop`, which leaves several groups there.
    static func hierarchy(_ name: String, rawCount: Int, levels: Int, openTop: Bool, using rng: inout SplitMix64) throws -> Hierarchy {
        var rows = (0..<rawCount).map { ["\(name)\($0)"] }
        var groupOf = Array(0..<rawCount)
        for level in 1..<levels {
            let top = level == levels - 1 && !openTop
            let groups = Array(Set(groupOf)).sorted()
            let target = top ? 1 : Int.random(in: 1...max(1, groups.count), using: &rng)
            let merged = groups.map { _ in Int.random(in: 0..<target, using: &rng) }
            groupOf = groupOf.map { merged[groups.firstIndex(of: $0)!] }
            for r in 0..<rawCount { rows[r].append(top ? "*" : "\(name)l\(level)g\(groupOf[r])") }
        }
        return try Hierarchy(rows: rows)
    }

    init(seed: UInt64, kind: Kind) throws {
        var rng = SplitMix64(seed: seed &* 0x9E37 &+ UInt64(kind.rawValue))
        self.kind = kind
        let width = Int.random(in: 2...3, using: &rng)
        hierarchies = try (0..<width).map { a in
            try Self.hierarchy("q\(a)v", rawCount: Int.random(in: 2...5, using: &rng), levels: Int.random(in: 2...4, using: &rng),
                               openTop: false, using: &rng)
        }
        let m = Int.random(in: 2...5, using: &rng)
        sensitiveHierarchy = try Self.hierarchy("s", rawCount: m, levels: Int.random(in: 2...3, using: &rng),
                                                openTop: Bool.random(using: &rng), using: &rng)
        let n = Int.random(in: 20...200, using: &rng)
        let hs = hierarchies
        // Skewed toward the first values, so that classes of several records and skewed
        // sensitive distributions both occur.
        rows = (0..<n).map { _ in hs.map { h in min(Int.random(in: 0..<h.rawCount, using: &rng), Int.random(in: 0..<h.rawCount, using: &rng)) } }
        let skew = Bool.random(using: &rng)
        sensitive = (0..<n).map { _ in
            let a = Int.random(in: 0..<m, using: &rng)
            return skew ? min(a, Int.random(in: 0..<m, using: &rng)) : a
        }
        k = Int.random(in: 2...4, using: &rng)
        limitPercent = [0, 2, 5, 10, 30, 100][Int.random(in: 0..<6, using: &rng)]
        switch kind {
        case .kOnly: break
        case .distinct: l = Double(Int.random(in: 2...3, using: &rng))
        case .entropy: l = [1.5, 2, 2.5, 3][Int.random(in: 0..<4, using: &rng)]
        case .recursive:
            l = Double(Int.random(in: 2...3, using: &rng))
            c = Double(Int.random(in: 1...4, using: &rng))
        case .equal, .hierarchical: t = [0.1, 0.2, 0.3, 0.5][Int.random(in: 0..<4, using: &rng)]
        }
        if seed % 3 == 0 {
            var w = (0..<width).map { _ in [0, 0.5, 1, 2, 3][Int.random(in: 0..<5, using: &rng)] }
            if w.allSatisfy({ $0 == 0 }) { w[0] = 1 }
            weights = w
        }
        if seed % 4 == 1 {
            maxLevels = hs.map { Int.random(in: 0...$0.maxLevel, using: &rng) }
        }
    }

    var models: PrivacyModels {
        var list: [any PrivacyModel] = [KAnonymity(k: k)]
        switch kind {
        case .kOnly: break
        case .distinct: list.append(DistinctLDiversity(attribute: "s", l: Int(l)))
        case .entropy: list.append(EntropyLDiversity(attribute: "s", l: l))
        case .recursive: list.append(RecursiveCLDiversity(attribute: "s", c: c, l: Int(l)))
        case .equal: list.append(EqualDistanceTCloseness(attribute: "s", t: t))
        case .hierarchical: list.append(HierarchicalDistanceTCloseness(attribute: "s", t: t))
        }
        return PrivacyModels(models: list, suppressionLimit: Double(limitPercent) / 100)
    }

    /// The histogram of quasi-identifier tuples, the sensitive counts laid out by its tuples, and
    /// each record's tuple.
    func inputs() -> (TupleHistogram, [SensitiveHistogram], [Int]) {
        var histogram = TupleHistogram(width: hierarchies.count)
        var counts = SensitiveCounts()
        var tupleOf: [Int] = []
        for (row, s) in zip(rows, sensitive) {
            let t = row.map { UInt32($0) }.withUnsafeBufferPointer { histogram.add($0) }
            counts.add(tuple: t, code: UInt32(s))
            tupleOf.append(t)
        }
        let table = counts.table(tupleCount: histogram.tupleCount, column: "s", values: sensitiveHierarchy.rawValues,
                                 hierarchy: sensitiveHierarchy)
        return (histogram, kind == .kOnly ? [] : [table], tupleOf)
    }
}

/// The models' definitions, the search's metric and its tie-breaks, computed the slow way from
/// the records, sharing no code with the search or the models.
struct ModelBruteForce {
    struct Node { var levels: [Int]; var metric: Double; var suppressed: Int }
    let p: ModelProblem

    /// The reference distribution: every record, suppressed ones included.
    var reference: [Double] {
        var q = [Double](repeating: 0, count: p.sensitiveHierarchy.rawCount)
        for s in p.sensitive { q[s] += 1 / Double(p.sensitive.count) }
        return q
    }

    /// Whether a class with these sensitive value counts (by code) and size is published.
    func publishes(_ counts: [Int]) -> Bool {
        let size = counts.reduce(0, +)
        guard size >= p.k else { return false }
        let present = counts.filter { $0 > 0 }
        switch p.kind {
        case .kOnly: return true
        case .distinct: return present.count >= Int(p.l)
        case .entropy:
            let h = present.reduce(0.0) { h, c in h - Double(c) / Double(size) * log(Double(c) / Double(size)) }
            return h >= log(p.l) - 1e-9
        case .recursive:
            let sorted = present.sorted(by: >)
            guard sorted.count >= Int(p.l) else { return false }
            return Double(sorted[0]) < p.c * Double(sorted[(Int(p.l) - 1)...].reduce(0, +))
        case .equal:
            return 0.5 * zip(counts, reference).map { abs(Double($0) / Double(size) - $1) }.reduce(0, +) <= p.t + 1e-9
        case .hierarchical:
            return treeDistance(counts) <= p.t + 1e-9
        }
    }

    /// The Earth Mover's Distance under a tree metric is Σ over the tree's edges of the edge's
    /// length times the mass that must cross it, |Σ (p − q)| over the leaves below. Moving between
    /// two values whose lowest common ancestor is at level L costs L/H, so every edge between
    /// adjacent levels is 1/(2H) long; several groups at the top hang under a root one level higher.
    func treeDistance(_ counts: [Int]) -> Double {
        let h = p.sensitiveHierarchy
        let size = Double(counts.reduce(0, +))
        let q = reference
        let openTop = Set(h.labels[h.maxLevel]).count > 1
        let height = Double(h.maxLevel + (openTop ? 1 : 0))
        var distance = 0.0
        // Every node below the root: each group at each level except a closed top.
        for level in 0..<(openTop ? h.levelCount : h.maxLevel) {
            for group in Set(h.map[level]) {
                let below = (0..<h.rawCount).filter { h.map[level][$0] == group }
                let extra = below.map { Double(counts[$0]) / size - q[$0] }.reduce(0, +)
                distance += abs(extra) / (2 * height)
            }
        }
        return distance
    }

    func evaluate(levels: [Int]) -> Node {
        let n = p.rows.count
        let keys = p.rows.map { row in row.indices.map { i in p.hierarchies[i].labels[levels[i]][Int(p.hierarchies[i].map[levels[i]][row[i]])] } }
        var classes: [[String]: [Int]] = [:]
        for (key, s) in zip(keys, p.sensitive) {
            classes[key, default: [Int](repeating: 0, count: p.sensitiveHierarchy.rawCount)][s] += 1
        }
        let published = classes.mapValues(publishes)
        let suppressed = keys.filter { !published[$0]! }.count
        var losses: [Double] = []
        for (i, h) in p.hierarchies.enumerated() {
            guard h.rawCount > 1 else { losses.append(0); continue }
            var sum = 0.0
            for key in keys {
                guard published[key]! else { sum += 1; continue }
                let label = key[i]
                let covered = (0..<h.rawCount).filter { h.labels[levels[i]][Int(h.map[levels[i]][$0])] == label }.count
                sum += Double(covered - 1) / Double(h.rawCount - 1)
            }
            losses.append(sum / Double(n))
        }
        var w = p.weights ?? losses.map { _ in 1 }
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        let metric = zip(losses, w).reduce(1.0) { $0 * pow(1 + $1.0, $1.1) } - 1
        return Node(levels: levels, metric: metric, suppressed: suppressed)
    }

    /// The best feasible node: least loss, then fewest suppressed, then smallest level sum, then
    /// the lexicographically smallest levels; nil when none is feasible.
    func optimum() -> Node? {
        let allowed = p.limitPercent * p.rows.count / 100
        let tops = p.hierarchies.indices.map { i in min(p.hierarchies[i].maxLevel, p.maxLevels?[i] ?? .max) }
        var feasible: [Node] = []
        var levels = [Int](repeating: 0, count: tops.count)
        while true {
            let node = evaluate(levels: levels)
            if node.suppressed <= allowed { feasible.append(node) }
            var i = levels.count - 1
            while i >= 0 {
                levels[i] += 1
                if levels[i] <= tops[i] { break }
                levels[i] = 0
                i -= 1
            }
            if i < 0 { break }
        }
        guard let least = feasible.map(\.metric).min() else { return nil }
        return feasible.filter { $0.metric <= least + 1e-10 * max(1, abs(least)) }.min { a, b in
            if a.suppressed != b.suppressed { return a.suppressed < b.suppressed }
            let sa = a.levels.reduce(0, +), sb = b.levels.reduce(0, +)
            return sa != sb ? sa < sb : a.levels.lexicographicallyPrecedes(b.levels)
        }
    }
}

@Suite struct ModelSearchPropertyTests {
    @Test(arguments: ModelProblem.Kind.allCases)
    func searchMatchesBruteForce(kind: ModelProblem.Kind) throws {
        var checked = 0, suppressing = 0
        for seed in UInt64(1)...160 {
            let p = try ModelProblem(seed: seed, kind: kind)
            let brute = ModelBruteForce(p: p)
            let expected = brute.optimum()
            let search = OptimalSearch(hierarchies: p.hierarchies, models: p.models, metric: .loss,
                                       weights: p.weights, maxLevels: p.maxLevels)
            let (histogram, sensitive, tupleOf) = p.inputs()
            let result: SearchResult
            do {
                result = try search.run(on: histogram, sensitive: sensitive)
            } catch {
                #expect(expected == nil, "seed \(seed): the search found nothing, but \(String(describing: expected)) is feasible")
                continue
            }
            let e = try #require(expected, "seed \(seed): the search chose \(result.best.levels), but nothing is feasible")
            #expect(result.best.levels == e.levels, "seed \(seed)")
            #expect(result.best.suppressed == e.suppressed, "seed \(seed)")
            #expect(abs(result.best.metricValue - e.metric) <= 1e-9 * max(1, abs(e.metric)), "seed \(seed)")
            if let caps = p.maxLevels { #expect(zip(result.best.levels, caps).allSatisfy { $0 <= $1 }, "seed \(seed)") }

            // What the search would publish: every class of unsuppressed records meets every model,
            // and every suppressed record is in a class that fails one.
            let suppressedTuple = search.suppressedTuples(in: histogram, levels: result.best.levels, sensitive: sensitive)
            var published: [[UInt32]: [Int]] = [:], dropped: [[UInt32]: [Int]] = [:]
            for (r, row) in p.rows.enumerated() {
                let key = row.indices.map { i in p.hierarchies[i].map[result.best.levels[i]][row[i]] }
                let empty = [Int](repeating: 0, count: p.sensitiveHierarchy.rawCount)
                if suppressedTuple[tupleOf[r]] { dropped[key, default: empty][p.sensitive[r]] += 1 } else { published[key, default: empty][p.sensitive[r]] += 1 }
            }
            #expect(published.values.allSatisfy(brute.publishes), "seed \(seed)")
            #expect(dropped.values.allSatisfy { !brute.publishes($0) }, "seed \(seed)")
            #expect(Set(published.keys).isDisjoint(with: dropped.keys), "seed \(seed): a class was split")
            #expect(dropped.values.map { $0.reduce(0, +) }.reduce(0, +) == e.suppressed, "seed \(seed)")
            checked += 1
            if e.suppressed > 0 { suppressing += 1 }
        }
        // Enough feasible problems, with suppression, that the comparison means something.
        #expect(checked >= 100, "\(checked) feasible problems")
        #expect(suppressing >= 20, "\(suppressing) problems suppress")
    }

    /// The brute force's tree distance agrees with the model's on the problems' own classes, so
    /// that a disagreement above is the search's and not a second reading of the distance.
    @Test func treeDistanceMatchesTheModel() throws {
        for seed in UInt64(1)...60 {
            let p = try ModelProblem(seed: seed, kind: .hierarchical)
            let brute = ModelBruteForce(p: p)
            let (_, sensitive, _) = p.inputs()
            let column = sensitive[0].column
            var rng = SplitMix64(seed: seed)
            for _ in 0..<20 {
                let counts = (0..<column.values.count).map { _ in Int.random(in: 0...3, using: &rng) }
                guard counts.reduce(0, +) > 0 else { continue }
                let present = counts.indices.filter { counts[$0] > 0 }
                let profile = ClassProfile(size: counts.reduce(0, +), codes: present.map { UInt32($0) },
                                           counts: present.map { counts[$0] }, column: column)
                let model = HierarchicalDistanceTCloseness(attribute: "s", t: 1).measure(profile)
                #expect(abs(model - brute.treeDistance(counts)) < 1e-9, "seed \(seed): \(counts)")
            }
        }
    }
}
