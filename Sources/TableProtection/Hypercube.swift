/// Boxes of cells that can move together without changing any margin: the hypercube method of
/// τ-ARGUS (GHQUAR, after Repsilber; see Giessing and Repsilber, "Tools and strategies to protect
/// multiple tables with the GHQUAR cell suppression engine", 2002), on the table with its margins.
///
/// Pick, in every dimension, one other coordinate than the cell's (a margin included); the 2, 4
/// or 8 cells at the corners of the box spanned with the cell can move together by `±t` without
/// changing any other cell or breaking additivity. In a dimension whose pair holds a margin the two
/// corners move the same way (the margin is their sum); otherwise opposite ways. With every corner
/// suppressed and kept at least 1, `t` ranges over `[-min(plus corners - 1), min(minus corners - 1)]`,
/// so the cell, and every other corner, can take any value in an interval of that width, among
/// integer tables. That makes a box both a candidate for secondary suppression and a witness for
/// the audit.
struct Hypercube {
    let shape: TableShape

    /// Calls `body` with the corners of every box through `cell` whose other coordinate in each
    /// dimension `d` is one of `alternatives[d]`, the cell itself first; `plus[i]` says whether
    /// corner `i` moves with the cell. Stops when `body` returns `false`.
    func forEachBox(through cell: Int, alternatives: [[Int]], _ body: (_ corners: [Int], _ plus: [Bool]) -> Bool) {
        let dims = shape.dimensionCount
        if alternatives.contains(where: \.isEmpty) { return }
        let a = shape.coordinates(cell)
        var choice = [Int](repeating: 0, count: dims)      // index into alternatives[d]
        var corners = [Int](repeating: 0, count: 1 << dims)
        var plus = [Bool](repeating: true, count: 1 << dims)
        while true {
            for mask in 0..<(1 << dims) {
                var corner = cell
                var positive = true
                for d in 0..<dims where mask >> d & 1 == 1 {
                    let b = alternatives[d][choice[d]]
                    corner = shape.moving(corner, in: d, to: b)
                    if a[d] != shape.sizes[d] && b != shape.sizes[d] { positive.toggle() }
                }
                corners[mask] = corner
                plus[mask] = positive
            }
            if !body(corners, plus) { return }
            var d = dims - 1
            while d >= 0 {
                choice[d] += 1
                if choice[d] < alternatives[d].count { break }
                choice[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// The coordinates, other than the cell's own, of the cells on its line along each dimension
    /// that satisfy `keep`: a box's corner next to the cell is always on one of them.
    func alternatives(for cell: Int, where keep: (Int) -> Bool) -> [[Int]] {
        (0..<shape.dimensionCount).map { d in
            (0...shape.sizes[d]).filter { $0 != shape.coordinate(cell, d) && keep(shape.moving(cell, in: d, to: $0)) }
        }
    }

    /// Whether moving the corners by `+1` (plus) and `-1` (minus) leaves every additivity equation
    /// through them balanced: the property the method rests on, checked rather than trusted.
    func keepsEveryEquation(corners: [Int], plus: [Bool]) -> Bool {
        var move: [Int: Int] = [:]
        for (c, p) in zip(corners, plus) { move[c, default: 0] += p ? 1 : -1 }
        for c in corners {
            for d in 0..<shape.dimensionCount {
                let total = shape.equationTotal(through: c, along: d)
                let parts = shape.equationParts(total: total, along: d).reduce(0) { $0 + (move[$1] ?? 0) }
                if (move[total] ?? 0) != parts { return false }
            }
        }
        return true
    }

    /// The first box through `cell` whose corners all satisfy `isCorner`, that can move at least
    /// `threshold` from `values` (each cell's count minus 1; an unbounded move counts as
    /// `threshold`), and that `accept` takes. Its corners, their signs and its width.
    func firstBox(through cell: Int, corners isCorner: (Int) -> Bool, values: (Int) -> Int, threshold: Int,
                  accept: (_ corners: [Int], _ plus: [Bool]) -> Bool = { _, _ in true }) -> (corners: [Int], plus: [Bool], width: Int)? {
        var found: (corners: [Int], plus: [Bool], width: Int)?
        forEachBox(through: cell, alternatives: alternatives(for: cell, where: isCorner)) { corners, plus in
            guard corners.allSatisfy(isCorner) else { return true }
            let width = Self.width(plus: plus, values: corners.map(values)) ?? threshold
            guard width >= threshold, accept(corners, plus) else { return true }
            found = (corners, plus, width)
            return false
        }
        return found
    }

    /// How far the box can move from the values `y` (each suppressed cell minus 1, so ≥ 0): the
    /// width of the interval of the cell's value, `nil` for unbounded (no corner moves against it).
    static func width(plus: [Bool], values y: [Int]) -> Int? {
        var down = Int.max, up = Int.max
        for (i, v) in y.enumerated() {
            if plus[i] { down = min(down, v) } else { up = min(up, v) }
        }
        return up == Int.max ? nil : down + up
    }
}
