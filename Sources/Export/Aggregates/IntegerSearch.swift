/// Branch and bound over one component of a ``SuppressedSystem``: finds integer tables, which is
/// what counts are, when the linear programme's optimum is fractional.
///
/// For a 2-D table the equations form a network (rows, columns and totals are nodes, cells are
/// arcs), so every vertex is integral and this search is never needed; a 3-D table has no such
/// guarantee, and an interval of real solutions can be wider than the integer one. The search
/// explores at most `limit` linear programmes, depth first, so running out of budget can only
/// make the audit stricter.
struct IntegerSearch {
    let component: SuppressedSystem.Component
    let limit: Int

    /// An integer solution minimising `y[variable]` subject to `y[variable] ≥ atLeast`, or the best
    /// found within the budget; with `stopAtFirst`, the first one found.
    func minimize(_ variable: Int, atLeast: Int = 0, stopAtFirst: Bool = false) -> [Int]? {
        let n = component.cells.count
        var base = component.simplexRows
        if atLeast > 0 { base.append(.init(terms: [(variable, 1)], relation: .atLeast, rhs: atLeast)) }
        var stack: [[DenseSimplex.Row]] = [[]]
        var best: [Int]?
        var solved = 0
        while let bounds = stack.popLast(), solved < limit {
            solved += 1
            var lp = DenseSimplex(variables: n, rows: base + bounds)
            guard lp.findFeasible() == .optimal(.zero), case .optimal(let value) = lp.minimize([(variable, 1)]) else { continue }
            // The objective is an integer at any integer point, so a bound rounding up to the
            // incumbent cannot improve on it.
            if let b = best, value.ceiling >= b[variable] { continue }
            let x = lp.solution()
            if let j = x.indices.first(where: { !x[$0].isInteger }) {
                let below = DenseSimplex.Row(terms: [(j, 1)], relation: .atMost, rhs: x[j].floor)
                let above = DenseSimplex.Row(terms: [(j, 1)], relation: .atLeast, rhs: x[j].ceiling)
                stack.append(bounds + [above])
                stack.append(bounds + [below])     // explored first: smaller values, towards the minimum
                continue
            }
            let y = x.map(\.numerator)
            guard component.isSolution(y), y[variable] >= atLeast else { continue }
            if best == nil || y[variable] < best![variable] { best = y }
            if stopAtFirst { return best }
        }
        return best
    }
}
