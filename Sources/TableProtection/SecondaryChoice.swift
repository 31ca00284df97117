/// Chooses secondary suppressions for one cell, knowing the true counts.
///
/// First choice: the cheapest ``Hypercube`` box through the cell wide enough to protect it on its
/// own: few new margins first (interior cells tell less), then few new cells, then small counts;
/// ties go to the first box in coordinate order. Zeros are published, so a box through a zero
/// cannot move and is never a candidate.
///
/// Fallback, when no box is wide enough: the nearest smallest published non-zero cell sharing an
/// equation with the cell or with the suppressed cells reached from it through equations.
struct SecondaryChoice {
    let shape: TableShape
    let counts: [Int]
    let threshold: Int

    /// The corners of the cheapest sufficient box not yet in `suppressed`: `nil` if no box is wide
    /// enough, empty if one already is fully suppressed.
    func cheapestBox(through cell: Int, suppressed: Set<Int>) -> [Int]? {
        let cube = Hypercube(shape: shape)
        var best: (cost: (Int, Int, Int), cells: [Int])?
        cube.forEachBox(through: cell, alternatives: cube.alternatives(for: cell) { counts[$0] > 0 }) { corners, plus in
            var cost = (0, 0, 0)
            for c in corners {
                if counts[c] == 0 { return true }
                if !suppressed.contains(c) {
                    cost.0 += shape.marginDegree(c) > 0 ? 1 : 0
                    cost.1 += 1
                    cost.2 += counts[c]
                }
            }
            if let b = best, !(cost < b.cost) { return true }
            if let w = Hypercube.width(plus: plus, values: corners.map { counts[$0] - 1 }), w < threshold { return true }
            best = (cost, corners.filter { !suppressed.contains($0) })
            return cost != (0, 0, 0)
        }
        return best?.cells
    }

    /// Interior cells before margins, then the smallest count, then the lowest index.
    func nearestCandidate(to cell: Int, suppressed: Set<Int>) -> Int? {
        var frontier = [cell]
        var seen: Set<Int> = [cell]
        while !frontier.isEmpty {
            var candidates: [Int] = []
            var next: [Int] = []
            for c in frontier {
                for d in 0..<shape.dimensionCount {
                    let total = shape.equationTotal(through: c, along: d)
                    for member in [total] + shape.equationParts(total: total, along: d) where seen.insert(member).inserted {
                        if suppressed.contains(member) { next.append(member) } else if counts[member] > 0 { candidates.append(member) }
                    }
                }
            }
            if let pick = candidates.min(by: { x, y in
                (shape.marginDegree(x) > 0 ? 1 : 0, counts[x], x) < (shape.marginDegree(y) > 0 ? 1 : 0, counts[y], y)
            }) { return pick }
            frontier = next
        }
        return nil
    }
}
