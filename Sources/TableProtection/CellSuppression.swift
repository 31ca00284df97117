/// Primary and secondary cell suppression for a cross-tabulation, ending in an audit that must
/// pass before anything is returned.
///
/// Primary: every cell, interior or margin, with `0 < count < threshold`. Zeros are published as
/// 0: a structural zero says that nobody has that combination, which identifies no one, and
/// suppressing zeros would only hide the table's shape.
///
/// Secondary, required protection: for every primary cell, the interval of values it can take over
/// all non-negative tables consistent with what is published (published cells, margins,
/// additivity, and suppressed cells being at least 1) must be at least `threshold` wide. What is
/// enforced is the stronger, file-checkable rule of ``TableAudit``: every suppressed cell whose
/// interval reaches below the threshold has such a width.
///
/// Heuristic: for each primary cell, smallest first, suppress the cheapest ``Hypercube`` through it
/// wide enough to protect it. Then audit; for each cell that fails, add its cheapest sufficient
/// cube, or if there is none, the nearest smallest published non-zero cell, and audit the cells not
/// yet proven again. Suppression only widens intervals, so a cell proven with integer tables stays
/// proven. Each round suppresses at least one more non-zero cell, so this ends; with every
/// non-zero cell suppressed each interval is unbounded (the whole table can be scaled up). A table
/// whose final audit fails is never returned: ``AggregateError/cannotProtect(table:unprotectedCells:)``.
///
/// Guarded cells (``protect(_:alsoSuppressing:)``): cells of `k` or more that must not be published
/// either, because their count differs from an earlier release's by fewer than `k`. They are
/// primary cells too, but the audit passes a suppressed cell known to be large, which could still
/// be recomputed exactly from the margins and give the difference away; so each must also end
/// with a box of suppressed cells through it at least `k` wide on the true counts, the protection
/// the first choice gives a small cell.
///
/// ```swift
/// let published = try CellSuppression(policy: .init(threshold: 11)).protect(tab.counts())
/// try published.write(toPath: "aggregates/year-by-country.csv")
/// ```
public struct CellSuppression: Sendable {
    public struct Policy: Sendable, Equatable {
        /// Cells with fewer records than this, but more than none, are suppressed: CTDC's k.
        public var threshold: Int
        /// Linear programmes explored per integer search in the audit (3-D tables only, in practice).
        public var integerSearchLimit: Int

        public init(threshold: Int = 11, integerSearchLimit: Int = 64) {
            self.threshold = threshold
            self.integerSearchLimit = integerSearchLimit
        }
    }

    public let policy: Policy

    public init(policy: Policy = Policy()) { self.policy = policy }

    /// `guarded`: cells (by ``TableShape`` index) to suppress whatever their count. A zero is
    /// published all the same: a suppressed cell is known to be at least 1.
    public func protect(_ table: TableCounts, alsoSuppressing guarded: Set<Int> = []) throws(AggregateError) -> PublishedTable {
        let k = policy.threshold
        guard k >= 1 else { throw .configuration("the suppression threshold must be at least 1") }
        let shape = table.shape
        let counts = table.cells
        let primary = (0..<shape.cellCount).filter { counts[$0] > 0 && (counts[$0] < k || guarded.contains($0)) }
        let large = primary.filter { counts[$0] >= k }
        let cube = Hypercube(shape: shape)
        // A box of suppressed cells, checked against every equation, that moves the cell by k or
        // more from the true counts: two consistent integer tables k apart in it.
        func hasBox(_ cell: Int, _ suppressed: Set<Int>) -> Bool {
            cube.firstBox(through: cell, corners: { suppressed.contains($0) }, values: { counts[$0] - 1 }, threshold: k,
                          accept: cube.keepsEveryEquation) != nil
        }
        var suppressed = Set(primary)
        let choice = SecondaryChoice(shape: shape, counts: counts, threshold: k)
        for p in primary.sorted(by: { (counts[$0], $0) < (counts[$1], $1) }) {
            if let add = choice.cheapestBox(through: p, suppressed: suppressed) { suppressed.formUnion(add) }
        }
        SuppressionCleanup(shape: shape, counts: counts, threshold: k).removeRedundant(from: &suppressed, keeping: Set(primary))
        var proven: Set<Int> = []
        var rounds = 0
        func published() -> [Int?] { (0..<shape.cellCount).map { suppressed.contains($0) ? nil : counts[$0] } }
        while !suppressed.isEmpty {
            let report = TableAudit.audit(
                shape: shape, published: published(), threshold: k, cells: suppressed.subtracting(proven), knownTable: counts,
                intervals: false, integerSearchLimit: policy.integerSearchLimit)
            for r in report.results { if case .protected = r.verdict { proven.insert(r.cell) } }
            let failing = report.failing + large.filter { !report.failing.contains($0) && !hasBox($0, suppressed) }
            if failing.isEmpty { break }
            rounds += 1
            let before = suppressed.count
            for p in failing {
                if let add = choice.cheapestBox(through: p, suppressed: suppressed) { suppressed.formUnion(add) }
            }
            if suppressed.count == before {
                for p in failing {
                    if let c = choice.nearestCandidate(to: p, suppressed: suppressed) { suppressed.insert(c) }
                }
            }
            if suppressed.count == before {
                throw .cannotProtect(table: table.dimensions.joined(separator: " × "), unprotectedCells: failing.count)
            }
        }
        // The gate: a fresh audit of every suppressed cell of exactly what will be written.
        let cells = published()
        let final = TableAudit.audit(
            shape: shape, published: cells, threshold: k, knownTable: counts, intervals: false,
            integerSearchLimit: policy.integerSearchLimit)
        let unboxed = large.filter { !hasBox($0, suppressed) }.count
        guard final.passed, unboxed == 0 else {
            throw .cannotProtect(table: table.dimensions.joined(separator: " × "), unprotectedCells: final.failing.count + unboxed)
        }
        let summary = SuppressionSummary(
            cells: shape.cellCount, primary: primary.count, secondary: suppressed.count - primary.count, rounds: rounds)
        return PublishedTable(dimensions: table.dimensions, values: table.values, cells: cells, summary: summary)
    }
}
