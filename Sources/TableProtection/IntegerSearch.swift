/// Branch and bound over one component of a ``SuppressedSystem``: finds integer tables, which is
/// what counts are, when the linear programme's optimum is fractional.
///
/// For a 2-D table the equations form a network (rows, columns and totals are nodes, cells are
/// arcs), so every vertex is integral and this search is never needed; a 3-D table has no such
/// guarantee, and an interval of real solutions can be wider than the integer one. The search
/// starts from a programme already optimised for `y[variable]`, branches on the first fractional
/// variable (`≤ floor`, then `≥ ceiling`) with the dual simplex, and explores at most `limit`
/// programmes, depth first, so running out of budget can only make the audit stricter.
struct IntegerSearch {
    let component: SuppressedSystem.Component
    let limit: Int

    /// An integer solution minimising `y[variable]` over the programme `root` (optimised for that
    /// objective), or the best found within the budget; with `stopAtFirst`, the first one found.
    func minimize(_ variable: Int, from root: DenseSimplex, stopAtFirst: Bool = false) -> [Int]? {
        var stack: [DenseSimplex] = [root]
        var best: [Int]?
        var solved = 0
        while let lp = stack.popLast(), solved < limit {
            solved += 1
            let x = lp.solution()
            // The objective is an integer at any integer point, so a node whose bound rounds up
            // to the incumbent cannot improve on it.
            if let b = best, x[variable].ceiling >= b[variable] { continue }
            if let j = x.indices.first(where: { !x[$0].isInteger }) {
                var above = lp, below = lp
                if above.addBound(j, .atLeast, x[j].ceiling).isOptimal { stack.append(above) }
                if below.addBound(j, .atMost, x[j].floor).isOptimal { stack.append(below) }   // explored first
                continue
            }
            let y = x.map(\.numerator)
            guard component.isSolution(y) else { continue }
            if best == nil || y[variable] < best![variable] { best = y }
            if stopAtFirst { return best }
        }
        return best
    }
}

extension DenseSimplex.Outcome {
    var isOptimal: Bool {
        if case .optimal = self { return true }
        return false
    }
}
