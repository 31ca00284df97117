/// A small dense two-phase simplex in exact rational arithmetic for the audit's linear
/// programmes: minimise `c·x` subject to linear rows (`=`, `≤`, `≥`) with integer data, `x ≥ 0`.
///
/// The programmes are small (the suppressed cells of one connected group and the equations
/// touching them) with coefficients ±1 and counts on the right, so a dense tableau of
/// ``Fraction``s is enough, and there is no tolerance anywhere: zero is zero, a vertex is integral
/// or not, an optimum is exact. (A `Double` tableau was tried first; on 3-D tables its degenerate
/// pivots accumulated enough error for phase 1 to call a consistent table infeasible.) An overflow
/// of the 64-bit fractions is reported as ``Outcome/overflow`` and the caller treats it as a
/// failure.
///
/// Pivoting takes the most negative reduced cost (Dantzig) while the objective improves; after
/// ``degenerateLimit`` pivots in a row that do not move it, it switches to Bland's rule for the
/// rest of the solve: the lowest-index improving column enters, and ties in the ratio test always
/// leave by the lowest basic index. Bland's rule cannot cycle, and in exact arithmetic that
/// guarantee holds as proved. A pivot budget caps every solve as a last resort; running out is
/// reported, never taken as an answer.
struct DenseSimplex {
    enum Relation { case equal, atMost, atLeast }

    struct Row {
        var terms: [(variable: Int, coefficient: Int)]
        var relation: Relation
        var rhs: Int
    }

    enum Outcome: Equatable {
        case optimal(Fraction)
        case unbounded
        case infeasible
        case pivotLimit
        case overflow
    }

    static let degenerateLimit = 50

    let variables: Int
    private var m: Int                 // live constraint rows
    private var width: Int             // columns before the right-hand side
    private var tableau: [Fraction]    // (m + 1) rows of (width + 1); row m is the objective
    private var basis: [Int]
    private let firstArtificial: Int
    private var pivotBudget: Int
    private var feasible = false
    // An overflow can strike half-way through a pivot; the tableau is then no longer a tableau
    // and every later call must refuse rather than read it.
    private var broken = false

    init(variables: Int, rows input: [Row]) {
        self.variables = variables
        m = input.count
        // Right-hand sides non-negative, so that slacks and artificials start feasible.
        let rows = input.map { r -> Row in
            guard r.rhs < 0 else { return r }
            let flipped: Relation = r.relation == .atMost ? .atLeast : r.relation == .atLeast ? .atMost : .equal
            return Row(terms: r.terms.map { ($0.variable, -$0.coefficient) }, relation: flipped, rhs: -r.rhs)
        }
        let slacks = rows.filter { $0.relation != .equal }.count
        firstArtificial = variables + slacks
        width = firstArtificial + rows.filter { $0.relation != .atMost }.count
        var t = [Fraction](repeating: .zero, count: (m + 1) * (width + 1))
        basis = [Int](repeating: 0, count: m)
        pivotBudget = 50_000 + 50 * (m + width)
        var slack = variables, artificial = firstArtificial
        let w = width + 1
        for (i, r) in rows.enumerated() {
            var row = [Int](repeating: 0, count: variables)
            for term in r.terms { row[term.variable] += term.coefficient }
            for (j, a) in row.enumerated() where a != 0 { t[i * w + j] = Fraction(a) }
            t[i * w + width] = Fraction(r.rhs)
            switch r.relation {
            case .atMost:
                t[i * w + slack] = .one
                basis[i] = slack
                slack += 1
            case .atLeast:
                t[i * w + slack] = Fraction(-1)
                slack += 1
                fallthrough
            case .equal:
                t[i * w + artificial] = .one
                basis[i] = artificial
                artificial += 1
            }
        }
        tableau = t
    }

    /// Phase 1: finds a feasible basis, then drops the artificial columns and redundant rows.
    mutating func findFeasible() -> Outcome {
        if broken { return .overflow }
        do throws(Fraction.Overflow) {
            let w = width + 1
            // Objective: the sum of the artificials, priced out against the rows they are basic in.
            for i in 0..<m where basis[i] >= firstArtificial {
                for j in 0...width where j < firstArtificial || j == width {
                    tableau[m * w + j] = try tableau[m * w + j].subtracting(tableau[i * w + j])
                }
            }
            let outcome = try iterate()
            if outcome != .optimal(.zero) { return outcome == .unbounded ? .pivotLimit : outcome }
            if !tableau[m * w + width].isZero { return .infeasible }
            // Pivot zero-level artificials out; a row with nothing else left is a redundant equation.
            var live = [Bool](repeating: true, count: m)
            for i in 0..<m where basis[i] >= firstArtificial {
                if let j = (0..<firstArtificial).first(where: { !tableau[i * w + $0].isZero }) {
                    try pivot(row: i, column: j)
                } else {
                    live[i] = false
                }
            }
            compact(keepRows: live)
            feasible = true
            return .optimal(.zero)
        } catch {
            broken = true
            return .overflow
        }
    }

    /// Phase 2 from the current feasible basis: minimises `c·x`, with `c` given sparsely.
    /// Several objectives may be optimised one after another; each starts where the last ended.
    mutating func minimize(_ objective: [(variable: Int, coefficient: Int)]) -> Outcome {
        if broken { return .overflow }
        precondition(feasible, "findFeasible() must succeed first")
        do throws(Fraction.Overflow) {
            let w = width + 1
            var c = [Int](repeating: 0, count: width)
            for t in objective { c[t.variable] += t.coefficient }
            for j in 0..<width { tableau[m * w + j] = Fraction(c[j]) }
            tableau[m * w + width] = .zero
            for i in 0..<m where c[basis[i]] != 0 {
                let cb = Fraction(c[basis[i]])
                for j in 0...width where !tableau[i * w + j].isZero {
                    tableau[m * w + j] = try tableau[m * w + j].subtracting(try cb.multiplied(by: tableau[i * w + j]))
                }
            }
            let outcome = try iterate()
            guard outcome == .optimal(.zero) else { return outcome }
            return .optimal(try tableau[m * w + width].negated())
        } catch {
            broken = true
            return .overflow
        }
    }

    /// Adds `x[variable] ≤ bound` or `x[variable] ≥ bound` to a programme just optimised by
    /// ``minimize(_:)`` and optimises again with the dual simplex: the old basis stays optimal for
    /// every other row, so only the new row has to be made feasible, far cheaper than a fresh
    /// phase 1. The dual steps use the same lowest-index rules, and the same pivot budget.
    mutating func addBound(_ variable: Int, _ relation: Relation, _ bound: Int) -> Outcome {
        if broken { return .overflow }
        precondition(feasible && relation != .equal)
        do throws(Fraction.Overflow) {
            let oldW = width + 1
            let slack = width
            width += 1
            let w = width + 1
            var t = [Fraction](repeating: .zero, count: (m + 2) * w)
            for i in 0...m {
                let to = i == m ? m + 1 : i
                for j in 0..<slack { t[to * w + j] = tableau[i * oldW + j] }
                t[to * w + width] = tableau[i * oldW + slack]
            }
            // x + s = bound, or -x + s = -bound, with the basic x written out in the non-basics.
            let sign = relation == .atMost ? 1 : -1
            t[m * w + variable] = Fraction(sign)
            t[m * w + slack] = .one
            t[m * w + width] = Fraction(sign * bound)
            if let r = basis.firstIndex(of: variable) {
                let f = Fraction(sign)
                for j in 0...width where !t[r * w + j].isZero {
                    t[m * w + j] = try t[m * w + j].subtracting(try f.multiplied(by: t[r * w + j]))
                }
            }
            tableau = t
            basis.append(slack)
            m += 1
            while true {
                let infeasible = (0..<m).filter { tableau[$0 * w + width].signum < 0 }
                guard let r = infeasible.min(by: { basis[$0] < basis[$1] }) else {
                    return .optimal(try tableau[m * w + width].negated())
                }
                var entering = -1
                var ratio = Fraction.zero
                for j in 0..<width where tableau[r * w + j].signum < 0 {
                    let q = try tableau[m * w + j].divided(by: try tableau[r * w + j].negated())
                    if entering < 0 || q < ratio { entering = j; ratio = q }
                }
                if entering < 0 { return .infeasible }
                if pivotBudget == 0 { return .pivotLimit }
                pivotBudget -= 1
                try pivot(row: r, column: entering)
            }
        } catch {
            broken = true
            return .overflow
        }
    }

    /// The values of the structural variables at the current basis.
    func solution() -> [Fraction] {
        var x = [Fraction](repeating: .zero, count: variables)
        for i in 0..<m where basis[i] < variables { x[basis[i]] = tableau[i * (width + 1) + width] }
        return x
    }

    private mutating func iterate() throws(Fraction.Overflow) -> Outcome {
        let w = width + 1
        var bland = false
        var degenerateRun = 0
        while true {
            var entering = -1
            var best = Fraction.zero
            for j in 0..<width where tableau[m * w + j] < best {
                entering = j
                if bland { break }
                best = tableau[m * w + j]
            }
            if entering < 0 { return .optimal(.zero) }
            var leaving = -1
            var ratio = Fraction.zero
            for i in 0..<m where tableau[i * w + entering].signum > 0 {
                let r = try tableau[i * w + width].divided(by: tableau[i * w + entering])
                if leaving < 0 || r < ratio || (r == ratio && basis[i] < basis[leaving]) {
                    ratio = r
                    leaving = i
                }
            }
            if leaving < 0 { return .unbounded }
            if pivotBudget == 0 { return .pivotLimit }
            pivotBudget -= 1
            if ratio.isZero {
                degenerateRun += 1
                if degenerateRun >= Self.degenerateLimit { bland = true }
            } else {
                degenerateRun = 0
            }
            try pivot(row: leaving, column: entering)
        }
    }

    private mutating func pivot(row r: Int, column c: Int) throws(Fraction.Overflow) {
        let w = width + 1
        let p = tableau[r * w + c]
        // The pivot row is sparse (each cell lies in a few equations), so only its non-zero
        // columns are touched in the other rows.
        var nonzero: [Int] = []
        for j in 0..<w where !tableau[r * w + j].isZero {
            tableau[r * w + j] = try tableau[r * w + j].divided(by: p)
            nonzero.append(j)
        }
        for i in 0...m where i != r {
            let f = tableau[i * w + c]
            if f.isZero { continue }
            for j in nonzero {
                tableau[i * w + j] = try tableau[i * w + j].subtracting(try f.multiplied(by: tableau[r * w + j]))
            }
        }
        basis[r] = c
    }

    /// Keeps the live rows and the columns before the first artificial.
    private mutating func compact(keepRows live: [Bool]) {
        let oldW = width + 1
        let newWidth = firstArtificial
        let newW = newWidth + 1
        let rows = (0..<m).filter { live[$0] }
        var t = [Fraction](repeating: .zero, count: (rows.count + 1) * newW)
        for (k, i) in rows.enumerated() {
            for j in 0..<newWidth { t[k * newW + j] = tableau[i * oldW + j] }
            t[k * newW + newWidth] = tableau[i * oldW + width]
        }
        basis = rows.map { basis[$0] }
        m = rows.count
        width = newWidth
        tableau = t
    }
}
