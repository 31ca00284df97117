/// Lower bounds on how many records a transformation must suppress, from one- and two-attribute
/// marginals alone.
///
/// A class at any node lies inside one group of each attribute and of each pair of attributes.
/// So every record in a pair group smaller than k is suppressed, whatever the other attributes do.
/// Tabulated once per pair of levels, this prunes most infeasible nodes without counting their
/// classes, and tightens the metric's lower bound for the rest.
struct SuppressionBounds {
    private let dimensions: [Int]
    /// `single[i][level]`: records in groups of attribute i smaller than k.
    private let single: [[Int]]
    /// `pair[p][li * dimensions[j] + lj]` for the p-th pair (i, j), i < j.
    private let pairs: [(i: Int, j: Int)]
    private let pair: [[Int]]

    /// The work above which pairs are skipped: the bound is an optimisation, never needed.
    static let pairWorkLimit = 300_000_000

    init(hierarchies: [Hierarchy], histogram: TupleHistogram, k: Int) {
        dimensions = hierarchies.map(\.levelCount)
        let w = histogram.width
        let codes = histogram.codes
        let counts = histogram.counts
        single = hierarchies.enumerated().map { i, h in
            (0..<h.levelCount).map { level in
                var perGroup = [Int](repeating: 0, count: h.labels[level].count)
                for t in 0..<histogram.tupleCount { perGroup[Int(h.map[level][Int(codes[t * w + i])])] += counts[t] }
                return perGroup.reduce(0) { $1 < k ? $0 + $1 : $0 }
            }
        }
        var work = 0
        var candidates: [(i: Int, j: Int)] = []
        for i in hierarchies.indices {
            for j in (i + 1)..<max(i + 1, hierarchies.count) {
                candidates.append((i, j))
                work += dimensions[i] * dimensions[j] * histogram.tupleCount
            }
        }
        guard work <= Self.pairWorkLimit else {
            pairs = []
            pair = []
            return
        }
        pairs = candidates
        pair = candidates.map { p in
            let (hi, hj) = (hierarchies[p.i], hierarchies[p.j])
            var table = [Int](repeating: 0, count: hi.levelCount * hj.levelCount)
            for li in 0..<hi.levelCount {
                for lj in 0..<hj.levelCount {
                    let gj = hj.labels[lj].count
                    let cells = hi.labels[li].count * gj
                    guard cells <= 1 << 22 else { continue }
                    var perGroup = [Int](repeating: 0, count: cells)
                    let (mi, mj) = (hi.map[li], hj.map[lj])
                    for t in 0..<histogram.tupleCount {
                        perGroup[Int(mi[Int(codes[t * w + p.i])]) * gj + Int(mj[Int(codes[t * w + p.j])])] += counts[t]
                    }
                    table[li * hj.levelCount + lj] = perGroup.reduce(0) { $1 > 0 && $1 < k ? $0 + $1 : $0 }
                }
            }
            return table
        }
    }

    /// A number of records that transformation `levels` certainly suppresses.
    func forced(_ levels: [Int]) -> Int {
        var best = 0
        for i in levels.indices { best = max(best, single[i][levels[i]]) }
        for (p, ij) in pairs.enumerated() {
            best = max(best, pair[p][levels[ij.i] * dimensions[ij.j] + levels[ij.j]])
        }
        return best
    }
}
