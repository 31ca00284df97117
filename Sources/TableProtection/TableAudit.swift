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
/// Method: per connected group of suppressed cells, one phase 1 of ``DenseSimplex``, in exact
/// rational arithmetic, so there is no tolerance anywhere; then for each audited cell its minimum
/// and maximum over real tables. A minimum of `k` or more passes; a width below `k` fails at once
/// (integer tables lie among the real ones). Otherwise the width must be shown by two integer
/// tables whose values of the cell are `k` or more apart: the simplex vertices when they are
/// integral (always, for 1-D and 2-D tables, whose equations form a network); else a
/// ``Hypercube`` box of suppressed cells moved from a known table; else tables found by
/// ``IntegerSearch``. A solver that gives up (pivot budget, 64-bit overflow) fails the cell.
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
    /// `cells` when it is given.
    ///
    /// A caller that knows one consistent table (the true counts) may pass it as `knownTable`:
    /// boxes of suppressed cells moved from it (see ``Hypercube``) then give integer tables
    /// directly. It is checked first and ignored if it does not agree with `published`. With
    /// `intervals` false, a cell that such a box proves wide enough is not given to the simplex at
    /// all, and its interval is left `nan`: this is what keeps large 3-D tables fast. With
    /// `intervals` true every audited cell gets its real interval. `integerSearchLimit` bounds the
    /// linear programmes explored per integer search.
    public static func audit(
        shape: TableShape, published: [Int?], threshold k: Int, cells: Set<Int>? = nil, knownTable: [Int]? = nil,
        intervals: Bool = true, integerSearchLimit: Int = 64
    ) -> Report {
        let system = SuppressedSystem(shape: shape, published: published)
        let known = knownTable.flatMap { t in
            t.count == shape.cellCount && published.indices.allSatisfy { published[$0] == nil ? t[$0] >= 1 : published[$0] == t[$0] }
                && system.components.allSatisfy { $0.isSolution($0.cells.map { t[$0] - 1 }) } ? t : nil
        }
        let boxes = Hypercube(shape: shape)
        func witness(_ cell: Int) -> (low: Int, high: Int)? {
            known.flatMap { boxWitness(cell, in: $0, published: published, boxes: boxes, threshold: k) }
        }
        var results: [CellResult] = []
        for component in system.components {
            var targets = component.cells.indices.filter { cells?.contains(component.cells[$0]) ?? true }
            if !intervals {
                targets.removeAll { v in
                    guard let w = witness(component.cells[v]) else { return false }
                    results.append(CellResult(cell: component.cells[v], lower: .nan, upper: .nan, verdict: .protected(low: w.low, high: w.high)))
                    return true
                }
            }
            if targets.isEmpty { continue }
            var lp = DenseSimplex(variables: component.cells.count, rows: component.simplexRows)
            let phase1 = lp.findFeasible()
            for v in targets {
                let cell = component.cells[v]
                var r = CellResult(cell: cell, lower: .nan, upper: .nan, verdict: .uncertified)
                if phase1 == .infeasible { r.verdict = .inconsistent }
                if phase1 == .optimal(.zero) {
                    // Without intervals the box was tried above, and found nothing.
                    audit(v, of: component, lp: &lp, threshold: k, limit: integerSearchLimit, into: &r) { intervals ? witness(cell) : nil }
                }
                results.append(r)
            }
        }
        results.sort { $0.cell < $1.cell }
        return Report(results: results, inconsistentEquations: system.inconsistentEquations)
    }

    private static func audit(
        _ v: Int, of component: SuppressedSystem.Component, lp: inout DenseSimplex, threshold k: Int, limit: Int,
        into r: inout CellResult, boxWitness: () -> (low: Int, high: Int)?
    ) {
        guard case .optimal(let low) = lp.minimize([(v, 1)]) else { return }
        let atMinimum = lp.solution()
        let minimumProgramme = lp
        r.lower = low.double + 1
        // Exact: every consistent value, integer or not, is at least k.
        if !(low < Fraction(k - 1)) {
            r.verdict = .notSmall
            return
        }
        var atMaximum: [Fraction]?
        switch lp.minimize([(v, -1)]) {
        case .optimal(let negated):
            let high = (try? negated.negated()) ?? .zero
            r.upper = high.double + 1
            atMaximum = lp.solution()
            // Integer tables lie among the real ones: a real interval narrower than k is final.
            guard let width = try? high.subtracting(low), !(width < Fraction(k)) else {
                r.verdict = .narrow
                return
            }
        case .unbounded:
            r.upper = .infinity
        default:
            return
        }
        // Integer tables showing the width: the vertices when integral, else a box moved from the
        // known table, else a search.
        let lowVertex = integral(atMinimum, of: component)
        if let lowVertex, let highVertex = atMaximum.flatMap({ integral($0, of: component) }), highVertex[v] >= lowVertex[v] + k {
            r.verdict = .protected(low: lowVertex[v] + 1, high: highVertex[v] + 1)
            return
        }
        if let w = boxWitness() {
            r.verdict = .protected(low: w.low, high: w.high)
            return
        }
        let search = IntegerSearch(component: component, limit: limit)
        guard let lowTable = lowVertex ?? search.minimize(v, from: minimumProgramme) else { return }
        let target = lowTable[v] + k
        var highTable = atMaximum.flatMap { integral($0, of: component) }.flatMap { $0[v] >= target ? $0 : nil }
        if highTable == nil {
            var above = minimumProgramme
            if above.addBound(v, .atLeast, target).isOptimal { highTable = search.minimize(v, from: above, stopAtFirst: true) }
        }
        guard let highTable else { return }
        r.verdict = .protected(low: lowTable[v] + 1, high: highTable[v] + 1)
    }

    /// The values of `cell` in two integer tables made by moving a box of suppressed cells from
    /// `known` both ways as far as every corner stays at least 1, if they are `threshold` apart.
    /// The move is checked against every equation through the box before it is believed.
    private static func boxWitness(
        _ cell: Int, in known: [Int], published: [Int?], boxes: Hypercube, threshold k: Int
    ) -> (low: Int, high: Int)? {
        // No corner moving against the cell: it can grow without bound; k is enough to show.
        guard let box = boxes.firstBox(through: cell, corners: { published[$0] == nil }, values: { known[$0] - 1 }, threshold: k,
                                       accept: boxes.keepsEveryEquation) else { return nil }
        let down = zip(box.corners, box.plus).filter(\.1).map { known[$0.0] - 1 }.min()!
        return (known[cell] - down, known[cell] - down + box.width)
    }

    /// The solution as integers, if it is integral (and, as a last guard, satisfies the equations).
    private static func integral(_ x: [Fraction], of component: SuppressedSystem.Component) -> [Int]? {
        guard x.allSatisfy(\.isInteger) else { return nil }
        let y = x.map(\.numerator)
        return component.isSolution(y) ? y : nil
    }
}
