/// Proves, from a published table alone, that its suppressed cells cannot be recomputed or
/// narrowed too far from the published cells, the margins and additivity.
///
/// The rule checked, with `k` the threshold: every suppressed cell whose feasible values reach
/// below `k` must have a feasible interval `[lo, hi]` of width `hi - lo ≥ k`, where the interval
/// ranges over all non-negative tables consistent with everything published. A primary cell
/// (`0 < x < k`) always reaches below `k`, so this covers the required protection of every primary
/// cell; it also covers secondary cells that could be mistaken for one, which makes the rule
/// checkable without knowing which cells were primary. A suppressed cell all of whose feasible
/// values are `≥ k` passes: it is known not to be small, which reveals no small group.
///
/// Zeros are always published, so a suppressed cell is known to be at least 1, and the audit uses
/// that: intervals are computed over tables with every suppressed cell ≥ 1.
///
/// Method: per connected group of suppressed cells, one phase 1 of ``DenseSimplex``, then for each
/// audited cell its minimum and maximum over real tables. A width below `k` fails at once (integer
/// tables lie inside real ones). Otherwise the width must be shown by two integer tables whose
/// values of the cell are `k` or more apart: the simplex vertices when they are integral (always,
/// for 1-D and 2-D tables), else found by ``IntegerSearch``. Each such table is checked in exact
/// integer arithmetic, so floating-point error can only fail a cell, never pass one.
public enum TableAudit {
    public enum Verdict: Sendable, Equatable {
        /// Two consistent integer tables give the cell the values `low` and `high`, `high - low ≥ k`.
        case protected(low: Int, high: Int)
        /// Every consistent value of the cell is at least `k`.
        case notSmall
        /// The real interval is narrower than `k`: the cell can be narrowed.
        case narrow
        /// The real interval is wide enough, but integer tables showing it were not found within the
        /// search budget, or the solver gave up: treated as a failure.
        case uncertified
        /// No table is consistent with what was published: the table itself is broken.
        case inconsistent

        public var passes: Bool {
            switch self {
            case .protected, .notSmall: return true
            default: return false
            }
        }
    }

    public struct CellResult: Sendable, Equatable {
        public var cell: Int
        /// The feasible interval over real tables (`upper` is `.infinity` when unbounded); `nan`
        /// when it was not computed.
        public var lower: Double
        public var upper: Double
        public var verdict: Verdict
    }

    public struct Report: Sendable, Equatable {
        public var results: [CellResult]
        public var inconsistentEquations: Int
        public var passed: Bool { inconsistentEquations == 0 && results.allSatisfy { $0.verdict.passes } }
        public var failing: [Int] { results.filter { !$0.verdict.passes }.map(\.cell) }
    }

    /// Audits the suppressed cells (`nil` in `published`) of a table of `shape`, or only those in
    /// `cells` when it is given. `integerSearchLimit` bounds the linear programmes explored per
    /// integer search.
    public static func audit(
        shape: TableShape, published: [Int?], threshold k: Int, cells: Set<Int>? = nil, integerSearchLimit: Int = 64
    ) -> Report {
        let system = SuppressedSystem(shape: shape, published: published)
        var results: [CellResult] = []
        for component in system.components {
            let targets = component.cells.indices.filter { cells?.contains(component.cells[$0]) ?? true }
            if targets.isEmpty { continue }
            var lp = DenseSimplex(variables: component.cells.count, rows: component.simplexRows)
            let phase1 = lp.findFeasible()
            for v in targets {
                var r = CellResult(cell: component.cells[v], lower: .nan, upper: .nan, verdict: .uncertified)
                if phase1 == .infeasible { r.verdict = .inconsistent }
                if phase1 == .optimal(0) { audit(v, of: component, lp: &lp, threshold: k, limit: integerSearchLimit, into: &r) }
                results.append(r)
            }
        }
        results.sort { $0.cell < $1.cell }
        return Report(results: results, inconsistentEquations: system.inconsistentEquations)
    }

    private static func audit(
        _ v: Int, of component: SuppressedSystem.Component, lp: inout DenseSimplex, threshold k: Int, limit: Int,
        into r: inout CellResult
    ) {
        let tolerance = 1e-6
        guard case .optimal(let low) = lp.minimize([(v, 1)]) else { return }
        let atMinimum = lp.solution()
        r.lower = low + 1
        if r.lower >= Double(k) - tolerance {
            r.verdict = .notSmall
            return
        }
        let high: Double
        var atMaximum: [Double]?
        switch lp.minimize([(v, -1)]) {
        case .optimal(let negated):
            high = -negated
            atMaximum = lp.solution()
        case .unbounded:
            high = .infinity
        default:
            return
        }
        r.upper = high + 1
        if high - low < Double(k) - tolerance {
            r.verdict = .narrow
            return
        }
        let search = IntegerSearch(component: component, limit: limit)
        guard let lowTable = integral(atMinimum, of: component) ?? search.minimize(v) else { return }
        let target = lowTable[v] + k
        let highTable = atMaximum.flatMap { integral($0, of: component) }.flatMap { $0[v] >= target ? $0 : nil }
            ?? search.minimize(v, atLeast: target, stopAtFirst: true)
        guard let highTable else { return }
        r.verdict = .protected(low: lowTable[v] + 1, high: highTable[v] + 1)
    }

    /// The solution as integers, if it is integral and satisfies the equations exactly.
    private static func integral(_ x: [Double], of component: SuppressedSystem.Component) -> [Int]? {
        guard x.allSatisfy({ abs($0 - $0.rounded()) <= 1e-6 }) else { return nil }
        let y = x.map { Int($0.rounded()) }
        return component.isSolution(y) ? y : nil
    }
}
