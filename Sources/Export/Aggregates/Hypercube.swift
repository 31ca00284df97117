/// Candidate secondary suppressions for one cell: the hypercube method (Giessing and Repsilber,
/// "Tools and strategies to protect multiple tables with the GHQUAR cell suppression engine",
/// 2002), on the table with its margins.
///
/// Pick, in every dimension, one other coordinate (a margin included); the 2, 4 or 8 cells at the
/// corners of the box spanned with the cell can move together by `±t` without changing any
/// published cell or breaking additivity. In a dimension whose pair holds a margin the two corners
/// move the same way (the margin is their sum); otherwise opposite ways. With every corner
/// suppressed and at least 1, `t` ranges over `[-min(plus corners - 1), min(minus corners - 1)]`,
/// so the cell's value can be anywhere in an interval of that width, among integer tables. A
/// cube whose width reaches the threshold protects the cell, and every other corner too.
struct Hypercube {
    let shape: TableShape
    let counts: [Int]
    let threshold: Int

    /// The corners of the cheapest sufficient cube through `cell` not yet in `suppressed`: few
    /// margins first (interior cells tell less), then few cells, then small counts; ties go to
    /// the first cube in coordinate order. `nil` if no cube through `cell` is wide enough; empty
    /// if one is already fully suppressed.
    func cheapest(through cell: Int, suppressed: Set<Int>) -> [Int]? {
        let dims = shape.dimensionCount
        let a = shape.coordinates(cell)
        let alternatives = (0..<dims).map { d in (0...shape.sizes[d]).filter { $0 != a[d] } }
        if alternatives.contains(where: \.isEmpty) { return nil }
        var best: (cost: (Int, Int, Int), cells: [Int])?
        var choice = [Int](repeating: 0, count: dims)      // index into alternatives[d]
        var corners = [Int](repeating: 0, count: 1 << dims)
        outer: while true {
            let b = (0..<dims).map { alternatives[$0][choice[$0]] }
            var plus = Int.max, minus = Int.max
            var cost = (0, 0, 0)
            var valid = true
            for mask in 0..<(1 << dims) {
                var corner = cell
                var positive = true
                for d in 0..<dims where mask >> d & 1 == 1 {
                    corner = shape.moving(corner, in: d, to: b[d])
                    if a[d] != shape.sizes[d] && b[d] != shape.sizes[d] { positive.toggle() }
                }
                let count = counts[corner]
                // A zero is published and known: a box through it cannot move.
                if count == 0 { valid = false; break }
                corners[mask] = corner
                if positive { plus = min(plus, count - 1) } else { minus = min(minus, count - 1) }
                if !suppressed.contains(corner) {
                    cost.0 += shape.marginDegree(corner) > 0 ? 1 : 0
                    cost.1 += 1
                    cost.2 += count
                }
            }
            if valid && (minus == Int.max || plus + minus >= threshold) && (best.map { cost < $0.cost } ?? true) {
                best = (cost, corners.filter { !suppressed.contains($0) })
                if cost == (0, 0, 0) { break outer }
            }
            var d = dims - 1
            while d >= 0 {
                choice[d] += 1
                if choice[d] < alternatives[d].count { break }
                choice[d] = 0
                d -= 1
            }
            if d < 0 { break }
        }
        return best?.cells
    }

    /// The fallback when no cube suffices: the smallest published non-zero cell sharing an
    /// equation with `cell`, or, if there is none, with the suppressed cells reached from it
    /// through equations, nearest first. Interior cells before margins, then the smallest count,
    /// then the lowest index.
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
