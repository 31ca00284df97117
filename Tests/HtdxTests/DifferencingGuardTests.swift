import Anonymize
import Testing
import TestSupport

/// Small random hierarchies and successive releases, and an independent brute force over the
/// base values that the guard's ladders must agree with.
struct DifferencingWorld {
    /// One quasi-identifier: its hierarchy rows (base value index → labels, level 0 to top) and digest.
    struct Attribute { var name: String; var rows: [[String]]; var digest: String }
    var attributes: [Attribute]
    /// Base values, one index per attribute.
    var records: [[Int]]

    static func hierarchy(name: String, values: Int, top: Int, rng: inout SplitMix64) -> [[String]] {
        // Group boundaries per level: a random permutation, halved level by level, so it is a tree.
        let order = Array(0..<values).shuffled(using: &rng)
        return (0..<values).map { v in
            let position = order.firstIndex(of: v)!
            return (0...top).map { level in
                level == 0 ? "\(name)=\(v)" : level == top ? "*" : "\(name)@\(level):\(position >> level)"
            }
        }
    }

    static func attribute(_ name: String, rng: inout SplitMix64) -> Attribute {
        let values = Int.random(in: 2...5, using: &rng), top = Int.random(in: 1...3, using: &rng)
        return Attribute(name: name, rows: hierarchy(name: name, values: values, top: top, rng: &rng), digest: "\(name)#0")
    }

    /// The release published at `levels`, as the history keeps it. `k` > 0 drops classes below k.
    func release(levels: [Int], k: Int = 0) -> ReleaseClasses {
        var counts: [[String]: Int] = [:]
        for r in records { counts[attributes.indices.map { attributes[$0].rows[r[$0]][levels[$0]] }, default: 0] += 1 }
        if k > 0 { counts = counts.filter { $0.value >= k } }
        return ReleaseClasses(names: attributes.map(\.name),
                              ladders: attributes.indices.map {
                                  ReleaseClasses.Ladder(rows: attributes[$0].rows, level: levels[$0], digest: attributes[$0].digest)
                              },
                              counts: counts)
    }

    func randomLevels(rng: inout SplitMix64) -> [Int] {
        attributes.map { Int.random(in: 0...($0.rows[0].count - 1), using: &rng) }
    }

    /// Records that arrive, leave and change class.
    func evolved(rng: inout SplitMix64, arrivals: Int) -> DifferencingWorld {
        var next = self
        next.records = []
        for var r in records {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: continue
            case 1:
                let a = Int.random(in: attributes.indices, using: &rng)
                r[a] = Int.random(in: attributes[a].rows.indices, using: &rng)
            default: break
            }
            next.records.append(r)
        }
        for _ in 0..<arrivals { next.records.append(attributes.map { Int.random(in: $0.rows.indices, using: &rng) }) }
        return next
    }
}

/// Every class with 1 ≤ |d| ≤ k − 1 at every level vector both releases can be mapped to, read
/// straight from the base values' rows. Returns "levels|labels|d" strings, and the smallest |d|.
func bruteForce(earlier: DifferencingWorld, earlierLevels: [Int], earlierKept: ReleaseClasses,
                current: DifferencingWorld, currentLevels: [Int], currentKept: ReleaseClasses,
                k: Int) -> (findings: Set<String>, smallest: Int?) {
    var ranges: [[Int]] = []
    var partner: [Int?] = []
    for (i, a) in current.attributes.enumerated() {
        let top = a.rows[0].count - 1
        let j = earlier.attributes.firstIndex { $0.name == a.name }
        partner.append(j)
        if let j, earlier.attributes[j].digest == a.digest {
            ranges.append((0...top).filter { $0 >= currentLevels[i] && $0 >= earlierLevels[j] })
        } else {
            ranges.append([top])
        }
    }
    var found = Set<String>(), smallest: Int? = nil
    var vector = ranges.map { _ in 0 }
    func labels(_ world: DifferencingWorld, _ r: [Int], pick: (Int) -> Int?) -> [String] {
        current.attributes.indices.map { i in
            let level = ranges[i][vector[i]]
            guard let a = pick(i) else { return "*" }
            return level == current.attributes[i].rows[0].count - 1 ? "*" : world.attributes[a].rows[r[a]][level]
        }
    }
    while true {
        var d: [[String]: Int] = [:]
        // Only records whose class was published count: dropped classes are not in the release.
        for r in current.records {
            let published = current.attributes.indices.map { current.attributes[$0].rows[r[$0]][currentLevels[$0]] }
            if currentKept.counts[published] != nil { d[labels(current, r) { $0 }, default: 0] += 1 }
        }
        for r in earlier.records {
            let published = earlier.attributes.indices.map { earlier.attributes[$0].rows[r[$0]][earlierLevels[$0]] }
            if earlierKept.counts[published] != nil { d[labels(earlier, r) { partner[$0] }, default: 0] -= 1 }
        }
        let levels = current.attributes.indices.map { ranges[$0][vector[$0]] }
        for (key, diff) in d where diff != 0 {
            smallest = min(smallest ?? .max, abs(diff))
            if abs(diff) < k { found.insert("\(levels)|\(key)|\(diff)") }
        }
        var i = vector.count - 1
        while i >= 0 { vector[i] += 1; if vector[i] < ranges[i].count { break }; vector[i] = 0; i -= 1 }
        if i < 0 { break }
    }
    return (found, smallest)
}

@Suite struct DifferencingGuardPropertyTests {
    @Test func findingsEqualBruteForceOverEveryCommonCoarsening() {
        var rng = SplitMix64(seed: 0x13D1FF)
        var offendingCases = 0, negative = 0
        for _ in 0..<400 {
            let qis = Int.random(in: 2...3, using: &rng)
            var attributes = (0..<qis).map { DifferencingWorld.attribute("q\($0)", rng: &rng) }
            let start = DifferencingWorld(attributes: attributes, records: (0..<Int.random(in: 0...40, using: &rng)).map { _ in
                attributes.map { Int.random(in: $0.rows.indices, using: &rng) }
            })
            var later = start.evolved(rng: &rng, arrivals: Int.random(in: 0...12, using: &rng))
            // Sometimes the hierarchy changed (new digest), or a quasi-identifier came or went.
            var earlier = start
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                let a = Int.random(in: 0..<qis, using: &rng)
                earlier.attributes[a].rows = DifferencingWorld.hierarchy(
                    name: "q\(a)", values: attributes[a].rows.count, top: attributes[a].rows[0].count - 1, rng: &rng)
                earlier.attributes[a].digest += "old"
            case 1:
                earlier.attributes.removeLast()
                earlier.records = earlier.records.map { Array($0.dropLast()) }
            case 2:
                attributes.removeFirst()
                later.attributes = attributes
                later.records = later.records.map { Array($0.dropFirst()) }
            default: break
            }
            let k = Int.random(in: 2...5, using: &rng)
            let el = earlier.randomLevels(rng: &rng), cl = later.randomLevels(rng: &rng)
            let keep = Bool.random(using: &rng) ? k : 0
            let a = earlier.release(levels: el, k: keep), b = later.release(levels: cl, k: keep)
            let expected = bruteForce(earlier: earlier, earlierLevels: el, earlierKept: a,
                                      current: later, currentLevels: cl, currentKept: b, k: k)
            let found = DifferencingGuard.findings(earlier: a, current: b, k: k)
            #expect(Set(found.map { "\($0.levels)|\($0.labels)|\($0.difference)" }) == expected.findings)
            #expect(found.count == Set(found.map { "\($0.levels)|\($0.labels)" }).count, "a class reported twice")
            #expect(DifferencingGuard.smallestDifference(earlier: a, current: b) == expected.smallest)
            if !found.isEmpty { offendingCases += 1 }
            if found.contains(where: { $0.difference < 0 }) { negative += 1 }
        }
        // The generator must produce offending pairs, with negative differences, or the test proves little.
        #expect(offendingCases > 100)
        #expect(negative > 20)
    }

    @Test func holdBackLeavesNothingOffendingAndKeepsClassesAtK() {
        var rng = SplitMix64(seed: 0x401DBAC)
        var planned = 0
        for round in 0..<300 {
            let qis = Int.random(in: 2...3, using: &rng)
            let attributes = (0..<qis).map { DifferencingWorld.attribute("q\($0)", rng: &rng) }
            var world = DifferencingWorld(attributes: attributes, records: (0..<Int.random(in: 10...60, using: &rng)).map { _ in
                attributes.map { Int.random(in: $0.rows.indices, using: &rng) }
            })
            let k = Int.random(in: 2...4, using: &rng)
            var earlier: [ReleaseClasses] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                earlier.append(world.release(levels: world.randomLevels(rng: &rng), k: k))
                world = world.evolved(rng: &rng, arrivals: Int.random(in: 0...10, using: &rng))
            }
            let current = world.release(levels: world.randomLevels(rng: &rng), k: k)
            let whole = round % 3 == 0
            guard let plan = DifferencingGuard.holdBack(earlier: earlier, current: current, k: k, limit: .max,
                                                        wholeClassesOnly: whole) else {
                Issue.record("k-anonymous earlier releases can always be matched by holding back enough")
                continue
            }
            var after = current
            for (labels, n) in plan {
                let had = current.counts[labels] ?? 0
                #expect(n >= 1 && n <= had)
                if whole { #expect(n == had) }
                after.counts[labels] = had - n == 0 ? nil : had - n
            }
            #expect(after.counts.values.allSatisfy { $0 >= k })
            for e in earlier { #expect(DifferencingGuard.findings(earlier: e, current: after, k: k).isEmpty) }
            let total = plan.values.reduce(0, +)
            if total > 0 { planned += 1 }
            // The plan is deterministic, so a limit changes only whether it is accepted.
            let limit = Int.random(in: 0...max(1, total * 2), using: &rng)
            let limited = DifferencingGuard.holdBack(earlier: earlier, current: current, k: k, limit: limit,
                                                     wholeClassesOnly: whole)
            #expect(limited == (total <= limit ? plan : nil))
            #expect(DifferencingGuard.holdBack(earlier: [current], current: current, k: k, limit: 0,
                                               wholeClassesOnly: whole) == [:])
        }
        #expect(planned > 100)
    }

    @Test func pureGrowthHoldsBackExactlyTheSmallGrowth() {
        var rng = SplitMix64(seed: 0x6120)
        for _ in 0..<200 {
            let attributes = (0..<Int.random(in: 2...3, using: &rng)).map { DifferencingWorld.attribute("q\($0)", rng: &rng) }
            let k = Int.random(in: 2...5, using: &rng)
            let levels = attributes.map { Int.random(in: 0..<($0.rows[0].count), using: &rng) }
            let shape = DifferencingWorld(attributes: attributes, records: []).release(levels: levels)
            var all = Set<[String]>()
            for r in 0..<30 { all.insert(attributes.indices.map { attributes[$0].rows[(r * 7 + $0) % attributes[$0].rows.count][levels[$0]] }) }
            var before = shape, after = shape, expected: [[String]: Int] = [:]
            for labels in all.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                if Bool.random(using: &rng) {
                    let had = Int.random(in: k...(3 * k), using: &rng), growth = Int.random(in: 0...(2 * k), using: &rng)
                    before.counts[labels] = had
                    after.counts[labels] = had + growth
                    if growth >= 1 && growth < k { expected[labels] = growth }
                } else if Bool.random(using: &rng) {
                    after.counts[labels] = Int.random(in: k...(2 * k), using: &rng)  // a new class, already ≥ k
                }
            }
            #expect(DifferencingGuard.holdBack(earlier: [before], current: after, k: k, limit: .max,
                                               wholeClassesOnly: false) == expected)
        }
    }
}
