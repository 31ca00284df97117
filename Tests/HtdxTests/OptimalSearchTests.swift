import Anonymize
import Foundation
import TestSupport
import Testing

/// A random problem: functional hierarchies built by merging groups level by level, and records.
struct RandomProblem {
    var hierarchies: [Hierarchy]
    var rows: [[String]]          // raw values per record, one per quasi-identifier
    var k: Int
    var limitPercent: Int
    var metric: Metric

    init(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let width = Int.random(in: 1...4, using: &rng)
        var hs: [Hierarchy] = []
        for a in 0..<width {
            let rawCount = Int.random(in: 1...6, using: &rng)
            let levels = Int.random(in: 1...4, using: &rng)
            var rows = (0..<rawCount).map { ["a\(a)v\($0)"] }
            var groupOf = Array(0..<rawCount)            // current group of each raw value
            for level in 1..<levels {
                let groups = Set(groupOf).count
                let target = level == levels - 1 ? 1 : Int.random(in: 1...max(1, groups), using: &rng)
                let merged = Array(Set(groupOf)).sorted().map { _ in Int.random(in: 0..<target, using: &rng) }
                let order = Array(Set(groupOf)).sorted()
                groupOf = groupOf.map { merged[order.firstIndex(of: $0)!] }
                for r in 0..<rawCount {
                    rows[r].append(level == levels - 1 ? "*" : "a\(a)l\(level)g\(groupOf[r])")
                }
            }
            hs.append(try Hierarchy(rows: rows))
        }
        hierarchies = hs
        let n = Int.random(in: 0...60, using: &rng)
        rows = (0..<n).map { _ in
            hs.map { h in
                // Skew toward the first values so that classes of several records occur.
                let r = min(Int.random(in: 0..<h.rawCount, using: &rng), Int.random(in: 0..<h.rawCount, using: &rng))
                return h.rawValues[r]
            }
        }
        k = Int.random(in: 2...5, using: &rng)
        limitPercent = [0, 5, 10, 30, 100][Int.random(in: 0..<5, using: &rng)]
        metric = Bool.random(using: &rng) ? .loss : .discernibility
    }

    func histogram() -> TupleHistogram {
        var h = TupleHistogram(width: hierarchies.count)
        for row in rows {
            h.add(row.enumerated().map { i, v in UInt32(hierarchies[i].rawValues.firstIndex(of: v)!) })
        }
        return h
    }
}

/// The definitions of the issue, computed the slow way from the records themselves.
struct BruteForce {
    struct Node { var levels: [Int]; var metric: Double; var suppressed: Int }

    static func evaluate(_ p: RandomProblem, levels: [Int]) -> Node {
        let n = p.rows.count
        let generalised = p.rows.map { row in
            row.enumerated().map { i, v -> String in
                let h = p.hierarchies[i]
                let r = h.rawValues.firstIndex(of: v)!
                return h.labels[levels[i]][Int(h.map[levels[i]][r])]
            }
        }
        var sizes: [[String]: Int] = [:]
        for g in generalised { sizes[g, default: 0] += 1 }
        let suppressed = generalised.filter { sizes[$0]! < p.k }.count
        var value: Double
        switch p.metric {
        case .discernibility:
            value = Double(sizes.values.filter { $0 >= p.k }.reduce(0) { $0 + $1 * $1 }) + Double(n * suppressed)
        case .loss:
            var losses: [Double] = []
            for (i, h) in p.hierarchies.enumerated() {
                let d = h.rawCount
                guard d > 1, n > 0 else { losses.append(0); continue }
                var sum = 0.0
                for (row, g) in zip(p.rows, generalised) {
                    if sizes[g]! < p.k { sum += 1; continue }
                    let label = h.labels[levels[i]][Int(h.map[levels[i]][h.rawValues.firstIndex(of: row[i])!])]
                    let c = h.rawValues.indices.filter { h.labels[levels[i]][Int(h.map[levels[i]][$0])] == label }.count
                    sum += Double(c - 1) / Double(d - 1)
                }
                losses.append(sum / Double(n))
            }
            value = losses.reduce(1.0) { $0 * pow(1 + $1, 1 / Double(losses.count)) } - 1
        }
        return Node(levels: levels, metric: value, suppressed: suppressed)
    }

    /// The optimum under the tie-breaks, or nil when nothing is feasible.
    static func optimum(_ p: RandomProblem) -> Node? {
        let allowed = p.limitPercent * p.rows.count / 100
        var best: Node?
        var levels = [Int](repeating: 0, count: p.hierarchies.count)
        while true {
            let node = evaluate(p, levels: levels)
            if node.suppressed <= allowed && p.rows.count >= p.k {
                if let b = best {
                    let tol = 1e-9 * max(1, abs(b.metric))
                    let better = node.metric < b.metric - tol
                        || (abs(node.metric - b.metric) <= tol
                            && (node.suppressed, node.levels.reduce(0, +)) < (b.suppressed, b.levels.reduce(0, +)))
                    // Levels are enumerated in lexicographic order, so a later tie never wins on the last key.
                    if better { best = node }
                } else {
                    best = node
                }
            }
            var i = levels.count - 1
            while i >= 0 {
                levels[i] += 1
                if levels[i] < p.hierarchies[i].levelCount { break }
                levels[i] = 0
                i -= 1
            }
            if i < 0 { break }
        }
        return best
    }
}

@Suite struct OptimalSearchTests {
    @Test func matchesBruteForceOnRandomProblems() throws {
        var checked = 0
        for seed in UInt64(1)...400 {
            let p = try RandomProblem(seed: seed)
            let search = OptimalSearch(
                hierarchies: p.hierarchies,
                models: PrivacyModels(k: p.k, suppressionLimit: Double(p.limitPercent) / 100), metric: p.metric)
            let expected = BruteForce.optimum(p)
            do {
                let result = try search.run(on: p.histogram())
                let e = try #require(expected, "seed \(seed): the search found \(result.best.levels) but nothing is feasible")
                #expect(result.best.levels == e.levels, "seed \(seed)")
                #expect(result.best.suppressed == e.suppressed, "seed \(seed)")
                #expect(abs(result.best.metricValue - e.metric) <= 1e-9 * max(1, abs(e.metric)), "seed \(seed)")
                // Every published class has at least k records.
                let suppressedTuples = search.suppressedTuples(in: p.histogram(), levels: result.best.levels)
                #expect(suppressedTuples.count == p.histogram().tupleCount)
                checked += 1
            } catch {
                #expect(expected == nil, "seed \(seed): \(error)")
                // With every hierarchy ending in one group, the top node is one class of all N records.
                if p.hierarchies.allSatisfy({ $0.labels[$0.maxLevel].count == 1 }) {
                    #expect(p.rows.count < p.k, "seed \(seed): only k > N may be infeasible, but got \(error)")
                }
            }
        }
        #expect(checked > 200, "too few feasible random problems to mean anything")
    }

    @Test func infeasibleWhenFewerRecordsThanK() throws {
        let h = try Hierarchy(rows: [["a", "*"], ["b", "*"]])
        var histogram = TupleHistogram(width: 1)
        histogram.add([0], multiplicity: 3)
        let search = OptimalSearch(hierarchies: [h], models: PrivacyModels(k: 4, suppressionLimit: 1), metric: .loss)
        #expect(throws: AnonymizationError.self) { try search.run(on: histogram) }
    }

    @Test func suppressionLimitIsAFloorOfTheShare() {
        #expect(PrivacyModels(k: 2, suppressionLimit: 0.04).maxSuppressed(records: 30162) == 1206)
        #expect(PrivacyModels(k: 2, suppressionLimit: 0.29).maxSuppressed(records: 100) == 29)
        #expect(PrivacyModels(k: 2, suppressionLimit: 0).maxSuppressed(records: 100) == 0)
        #expect(PrivacyModels(k: 2, suppressionLimit: 1).maxSuppressed(records: 7) == 7)
    }
}
