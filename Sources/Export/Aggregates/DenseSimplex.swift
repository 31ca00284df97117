/// A small dense two-phase simplex for the audit's linear programmes: minimise `c·x` subject to
/// linear rows (`=`, `≤`, `≥`) and `x ≥ 0`.
///
/// The audit's programmes are small (the suppressed cells of one connected group and the
/// equations touching them) with small integer data, so a dense tableau in `Double` is enough.
/// Tolerance: a value within ``epsilon`` (1e-9) of zero is zero; phase 1 accepts a residual
/// infeasibility up to ``feasibilityTolerance`` (1e-7). Callers never trust a solution for
/// protection without checking it in exact integer arithmetic.
///
/// Pivoting takes the most negative reduced cost (Dantzig) while the objective improves; after
/// ``degenerateLimit`` pivots in a row without improvement it switches to Bland's rule (lowest
/// index enters, ties in the ratio test leave by lowest basic index) for the rest of the solve,
/// which cannot cycle. Every solve is also capped at a pivot budget; running out is reported,
/// never taken as an answer.
struct DenseSimplex {
    enum Relation { case equal, atMost, atLeast }

    struct Row {
        var terms: [(variable: Int, coefficient: Double)]
        var relation: Relation
        var rhs: Double
    }

    enum Outcome: Equatable {
        case optimal(Double)
        case unbounded
        case infeasible
        case pivotLimit
    }

    static let epsilon = 1e-9
    static let feasibilityTolerance = 1e-7
    static let degenerateLimit = 50

    let variables: Int
    private var m: Int                 // live constraint rows
    private var width: Int             // columns before the right-hand side
    private var tableau: [Double]      // (m + 1) rows of (width + 1); row m is the objective
    private var basis: [Int]
    private var firstArtificial: Int
    private var pivotBudget: Int
    private var feasible = false

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
        let artificials = rows.filter { $0.relation != .atMost }.count
        width = firstArtificial + artificials
        tableau = [Double](repeating: 0, count: (m + 1) * (width + 1))
        basis = [Int](repeating: 0, count: m)
        pivotBudget = 20_000 + 20 * (m + width)
        var slack = variables, artificial = firstArtificial
        for (i, r) in rows.enumerated() {
            for t in r.terms { tableau[i * (width + 1) + t.variable] += t.coefficient }
            tableau[i * (width + 1) + width] = r.rhs
            switch r.relation {
            case .atMost:
                tableau[i * (width + 1) + slack] = 1
                basis[i] = slack
                slack += 1
            case .atLeast:
                tableau[i * (width + 1) + slack] = -1
                slack += 1
                fallthrough
            case .equal:
                tableau[i * (width + 1) + artificial] = 1
                basis[i] = artificial
                artificial += 1
            }
        }
    }

    /// Phase 1: finds a feasible basis, then drops the artificial columns and redundant rows.
    mutating func findFeasible() -> Outcome {
        let w = width + 1
        // Objective: the sum of the artificials, priced out against the rows they are basic in.
        for j in 0...width { tableau[m * w + j] = 0 }
        for i in 0..<m where basis[i] >= firstArtificial {
            for j in 0...width where j < firstArtificial || j == width { tableau[m * w + j] -= tableau[i * w + j] }
        }
        switch iterate(allowedColumns: width) {
        case .pivotLimit: return .pivotLimit
        case .unbounded: return .pivotLimit        // impossible for a sum of non-negative variables
        default: break
        }
        if -tableau[m * w + width] > Self.feasibilityTolerance { return .infeasible }
        // Pivot zero-level artificials out; a row with nothing else left is a redundant equation.
        var live = [Bool](repeating: true, count: m)
        for i in 0..<m where basis[i] >= firstArtificial {
            if let j = (0..<firstArtificial).first(where: { abs(tableau[i * w + $0]) > 1e-7 }) {
                pivot(row: i, column: j)
            } else {
                live[i] = false
            }
        }
        compact(keepRows: live)
        feasible = true
        return .optimal(0)
    }

    /// Phase 2 from the current feasible basis: minimises `c·x`, with `c` given sparsely.
    /// Several objectives may be optimised one after another; each starts where the last ended.
    mutating func minimize(_ objective: [(variable: Int, coefficient: Double)]) -> Outcome {
        precondition(feasible, "findFeasible() must succeed first")
        let w = width + 1
        var c = [Double](repeating: 0, count: width)
        for t in objective { c[t.variable] += t.coefficient }
        for j in 0..<width { tableau[m * w + j] = c[j] }
        tableau[m * w + width] = 0
        for i in 0..<m where c[basis[i]] != 0 {
            let cb = c[basis[i]]
            for j in 0...width { tableau[m * w + j] -= cb * tableau[i * w + j] }
        }
        switch iterate(allowedColumns: width) {
        case .pivotLimit: return .pivotLimit
        case .unbounded: return .unbounded
        default: return .optimal(-tableau[m * w + width])
        }
    }

    /// The values of the structural variables at the current basis.
    func solution() -> [Double] {
        var x = [Double](repeating: 0, count: variables)
        for i in 0..<m where basis[i] < variables { x[basis[i]] = tableau[i * (width + 1) + width] }
        return x
    }

    private mutating func iterate(allowedColumns: Int) -> Outcome {
        let w = width + 1
        var bland = false
        var degenerateRun = 0
        while true {
            var entering = -1
            var best = -Self.epsilon
            for j in 0..<allowedColumns where tableau[m * w + j] < best {
                entering = j
                if bland { break }
                best = tableau[m * w + j]
            }
            if entering < 0 { return .optimal(0) }
            var leaving = -1
            var ratio = Double.infinity
            for i in 0..<m {
                let a = tableau[i * w + entering]
                guard a > Self.epsilon else { continue }
                let r = tableau[i * w + width] / a
                if r < ratio - Self.epsilon || (abs(r - ratio) <= Self.epsilon && basis[i] < basis[leaving]) {
                    ratio = r
                    leaving = i
                }
            }
            if leaving < 0 { return .unbounded }
            if pivotBudget == 0 { return .pivotLimit }
            pivotBudget -= 1
            if ratio <= Self.epsilon {
                degenerateRun += 1
                if degenerateRun >= Self.degenerateLimit { bland = true }
            } else {
                degenerateRun = 0
            }
            pivot(row: leaving, column: entering)
        }
    }

    private mutating func pivot(row r: Int, column c: Int) {
        let w = width + 1
        tableau.withUnsafeMutableBufferPointer { t in
            let p = t[r * w + c]
            for j in 0..<w { t[r * w + j] /= p }
            t[r * w + c] = 1
            for i in 0...m where i != r {
                let f = t[i * w + c]
                if f == 0 { continue }
                for j in 0..<w {
                    let v = t[r * w + j]
                    if v == 0 { continue }
                    var x = t[i * w + j] - f * v
                    // Counts are small integers: dust left by cancellation is zero, not data.
                    if abs(x) < 1e-11 { x = 0 }
                    t[i * w + j] = x
                }
                t[i * w + c] = 0
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
        var t = [Double](repeating: 0, count: (rows.count + 1) * newW)
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
