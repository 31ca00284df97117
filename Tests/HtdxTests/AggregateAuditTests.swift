import Export
import Foundation
@testable import TableProtection
import Tabular
import TestSupport
import Testing

/// Every integer table consistent with a published one, found by enumeration: the independent
/// check of the suppression and of the linear-programming audit on tables small enough for it.
///
/// The suppressed interior cells are enumerated depth first, each from 1 (zeros are always
/// published, so a suppressed cell is at least 1) up to what the published margins above it leave;
/// a table passes if its margins equal every published margin and its suppressed margins are at
/// least 1. When the grand total is suppressed nothing bounds the table, so the enumeration stops
/// at a total of `cap` and the intervals found are then only a subset of the truth.
struct BruteForceIntervals {
    let shape: TableShape
    let published: [Int?]

    /// For each suppressed cell, the least and greatest value over the consistent tables found;
    /// `nil` if the enumeration would visit more than `limit` nodes.
    func intervals(cap: Int, limit: Int = 400_000) -> [Int: ClosedRange<Int>]? {
        let dims = shape.dimensionCount
        let all = 0..<shape.cellCount
        let interior = all.filter { shape.marginDegree($0) == 0 }
        let free = interior.filter { published[$0] == nil }
        let total = shape.cellCount - 1
        let bound = published[total] ?? cap
        // The cells a given interior cell adds to: itself with any set of coordinates summed.
        func above(_ cell: Int) -> [Int] {
            (0..<(1 << dims)).map { mask in
                (0..<dims).reduce(cell) { mask >> $1 & 1 == 1 ? shape.moving($0, in: $1, to: shape.sizes[$1]) : $0 }
            }
        }
        var sums = [Int](repeating: 0, count: shape.cellCount)
        for c in interior where published[c] != nil { for m in above(c) { sums[m] += published[c]! } }
        // A free cell that is the last free one under a published margin has its value forced.
        var lastFree = [Int](repeating: -1, count: shape.cellCount)
        for (i, c) in free.enumerated() { for m in above(c) { lastFree[m] = i } }
        var low: [Int: Int] = [:], high: [Int: Int] = [:]
        var nodes = 0
        func visit(_ i: Int) -> Bool {
            nodes += 1
            if nodes > limit { return false }
            if i == free.count {
                for c in all {
                    if let p = published[c] { if sums[c] != p { return true } } else if sums[c] < 1 { return true }
                }
                for c in all where published[c] == nil {
                    low[c] = min(low[c] ?? .max, sums[c])
                    high[c] = max(high[c] ?? .min, sums[c])
                }
                return true
            }
            let cell = free[i]
            let cells = above(cell)
            var most = bound - sums[total]
            for m in cells { if let p = published[m] { most = min(most, p - sums[m]) } }
            var least = 1
            for m in cells where lastFree[m] == i {
                if let p = published[m] { least = max(least, p - sums[m]); most = min(most, p - sums[m]) }
            }
            if most < least { return true }
            for v in least...most {
                for m in cells { sums[m] += v }
                let ok = visit(i + 1)
                for m in cells { sums[m] -= v }
                if !ok { return false }
            }
            return true
        }
        guard visit(0) else { return nil }
        return Dictionary(uniqueKeysWithValues: low.keys.map { ($0, low[$0]!...high[$0]!) })
    }
}

/// Cell suppression and its audit, checked against enumeration and against the truth.
@Suite(.tags(.slow)) struct AggregateAuditSlowTests {
    static func published(_ t: TableCounts, suppressing cells: Set<Int>) -> [Int?] {
        t.cells.indices.map { cells.contains($0) ? nil : t.cells[$0] }
    }

    static func primary(_ t: TableCounts, threshold k: Int) -> [Int] {
        t.cells.indices.filter { t.cells[$0] > 0 && t.cells[$0] < k }
    }

    /// A table of the given sizes with many small cells, a few zeros and some large cells.
    static func randomTable(_ rng: inout SplitMix64, sizes: [Int], threshold k: Int, largest: Int) throws -> TableCounts {
        let interior = (0..<sizes.reduce(1, *)).map { _ -> Int in
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<2: return 0
            case 2..<6: return Int.random(in: 1..<k, using: &rng)
            default: return Int.random(in: k...largest, using: &rng)
            }
        }
        return try TableCounts(dimensions: sizes.indices.map { "d\($0)" },
                               values: sizes.map { n in (0..<n).map { "v\($0)" } }, interior: interior)
    }

    /// What every protected table must satisfy, whatever checked its intervals.
    static func expectPublishedFaithfully(_ t: TableCounts, _ p: PublishedTable, threshold k: Int, _ note: String) {
        let primary = Set(primary(t, threshold: k))
        for c in t.cells.indices {
            if primary.contains(c) { #expect(p.cells[c] == nil, "\(note): primary cell \(c) published") }
            if t.cells[c] == 0 { #expect(p.cells[c] == 0, "\(note): zero cell \(c) suppressed") }
            if let v = p.cells[c] { #expect(v == t.cells[c], "\(note): cell \(c) published wrongly") }
        }
        let suppressed = p.cells.filter { $0 == nil }.count
        #expect(p.summary?.primary == primary.count && p.summary?.secondary == suppressed - primary.count, "\(note)")
    }

    // MARK: Hand-worked

    @Test func onePrimaryCellForcesTheCheapestRectangle() throws {
        // 5 is the only cell below 11. Of the rectangles through it, the one with 40, 30 and 60
        // costs least (130 records, against 150, 165 and 185, and any with a margin); moving it by
        // t in [-4, 29] leaves every published cell unchanged, so 5 lies somewhere in [1, 34].
        let t = try TableCounts(dimensions: ["r", "c"], values: [["r0", "r1", "r2"], ["c0", "c1", "c2"]],
                                interior: [5, 40, 50, 30, 60, 70, 45, 80, 90])
        let p = try CellSuppression().protect(t)
        let shape = t.shape
        let expected: Set<Int> = [[0, 0], [0, 1], [1, 0], [1, 1]].map { shape.index($0) }.reduce(into: []) { $0.insert($1) }
        #expect(Set(p.cells.indices.filter { p.cells[$0] == nil }) == expected)
        #expect(p.summary == SuppressionSummary(cells: 16, primary: 1, secondary: 3, rounds: 0))
        let report = TableAudit.audit(shape: shape, published: p.cells, threshold: 11)
        let five = report.results.first { $0.cell == 0 }!
        #expect(five.lower == 1 && five.upper == 34 && five.verdict == .protected(low: 1, high: 34))
        let bf = BruteForceIntervals(shape: shape, published: p.cells).intervals(cap: 0)!
        #expect(bf[0] == 1...34 && bf[shape.index([1, 1])] == 56...89)
    }

    // MARK: Against enumeration

    @Test(arguments: [[4], [2, 3], [2, 2, 2]])
    func tinyTablesAreProtectedAmongAllIntegerTables(sizes: [Int]) throws {
        var checked = 0
        for seed in UInt64(1)...60 {
            var rng = SplitMix64(seed: seed &* 31 &+ UInt64(sizes.count))
            let k = Int.random(in: 3...5, using: &rng)
            let t = try Self.randomTable(&rng, sizes: sizes, threshold: k, largest: 3 * k)
            let p = try CellSuppression(policy: .init(threshold: k)).protect(t)
            let note = "sizes \(sizes) seed \(seed)"
            Self.expectPublishedFaithfully(t, p, threshold: k, note)
            guard let bf = BruteForceIntervals(shape: t.shape, published: p.cells).intervals(cap: t.grandTotal + 2 * k) else {
                continue
            }
            checked += 1
            for c in Self.primary(t, threshold: k) {
                #expect(bf[c]!.contains(t.cells[c]), "\(note)")
                #expect(bf[c]!.upperBound - bf[c]!.lowerBound >= k, "\(note): primary cell \(c) in \(bf[c]!)")
            }
            for (c, range) in bf where range.lowerBound < k {
                #expect(range.upperBound - range.lowerBound >= k, "\(note): suppressed cell \(c) in \(range)")
            }
        }
        #expect(checked >= 50, "too few tables were small enough to enumerate: \(checked)")
    }

    /// The linear programme against enumeration, on tables with only primary suppression (so that
    /// many cells can be narrowed) and after full protection.
    @Test(arguments: [[4], [2, 3], [3, 3], [2, 2, 2]])
    func auditAgreesWithEnumeration(sizes: [Int]) throws {
        var narrowFound = 0, compared = 0
        for seed in UInt64(1)...60 {
            var rng = SplitMix64(seed: seed &* 77 &+ UInt64(sizes.reduce(0, +)))
            let k = Int.random(in: 3...5, using: &rng)
            let t = try Self.randomTable(&rng, sizes: sizes, threshold: k, largest: 3 * k)
            let primaryOnly = Self.published(t, suppressing: Set(Self.primary(t, threshold: k)))
            let protected = try CellSuppression(policy: .init(threshold: k)).protect(t).cells
            for cells in [primaryOnly, protected] {
                let note = "sizes \(sizes) seed \(seed)"
                // A published grand total bounds every cell, so enumeration is then exhaustive.
                guard cells.last! != nil,
                      let bf = BruteForceIntervals(shape: t.shape, published: cells).intervals(cap: 0) else { continue }
                compared += 1
                let wide = TableAudit.audit(shape: t.shape, published: cells, threshold: 1_000_000)
                let report = TableAudit.audit(shape: t.shape, published: cells, threshold: k)
                #expect(wide.results.map(\.cell) == bf.keys.sorted())
                for (w, r) in zip(wide.results, report.results) {
                    let range = bf[w.cell]!
                    // Integer tables lie inside the real ones, and the truth among them.
                    #expect(w.lower <= Double(range.lowerBound) + 1e-6 && w.upper >= Double(range.upperBound) - 1e-6, "\(note)")
                    #expect(range.contains(t.cells[w.cell]), "\(note)")
                    if sizes.count <= 2 {
                        // A table of one or two dimensions is a network: its vertices are integral.
                        #expect(abs(w.lower - Double(range.lowerBound)) < 1e-6 && abs(w.upper - Double(range.upperBound)) < 1e-6,
                                "\(note): cell \(w.cell) LP [\(w.lower), \(w.upper)] vs \(range)")
                    }
                    let safe = range.lowerBound >= k || range.upperBound - range.lowerBound >= k
                    if r.verdict.passes { #expect(safe, "\(note): audit passed a cell enumeration narrows to \(range)") }
                    if sizes.count <= 2 { #expect(r.verdict.passes == safe, "\(note): cell \(w.cell) \(r.verdict) vs \(range)") }
                    if case .protected(let low, let high) = r.verdict {
                        #expect(range.contains(low) && range.contains(high) && high - low >= k, "\(note)")
                    }
                    if !safe { narrowFound += 1 }
                }
            }
        }
        #expect(compared >= 60, "too few tables compared: \(compared)")
        #expect(narrowFound > 0, "no narrow cell was ever found: the comparison proves nothing")
    }

    // MARK: Larger tables, by the audit

    @Test(arguments: [[8, 10], [12, 6], [4, 5, 3], [5, 6, 4]])
    func largerTablesPassAFreshAuditWithTheTruthInEveryInterval(sizes: [Int]) throws {
        for seed in UInt64(1)...6 {
            var rng = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(sizes.reduce(1, *)))
            let k = [5, 11][Int.random(in: 0..<2, using: &rng)]
            let t = try Self.randomTable(&rng, sizes: sizes, threshold: k, largest: 60)
            let p = try CellSuppression(policy: .init(threshold: k)).protect(t)
            let note = "sizes \(sizes) seed \(seed)"
            Self.expectPublishedFaithfully(t, p, threshold: k, note)
            let report = TableAudit.audit(shape: t.shape, published: p.cells, threshold: k)
            #expect(report.passed, "\(note): \(report.failing)")
            let byCell = Dictionary(uniqueKeysWithValues: report.results.map { ($0.cell, $0) })
            for c in Self.primary(t, threshold: k) {
                let r = byCell[c]!
                #expect(r.lower <= Double(t.cells[c]) + 1e-6 && Double(t.cells[c]) <= r.upper + 1e-6, "\(note)")
                #expect(r.upper - r.lower >= Double(k) - 1e-6, "\(note)")
                guard case .protected(let low, let high) = r.verdict else {
                    Issue.record("\(note): primary cell \(c) is \(r.verdict)")
                    continue
                }
                #expect(high - low >= k)
            }
        }
    }

    /// A table the size of years × countries × types: the simplex is out of its depth there (one
    /// connected group of thousands of suppressed cells), so each suppressed cell is checked with
    /// the test's own witness instead: a box of suppressed cells found by plain enumeration, its
    /// signs set on the interior corners only, its margins recomputed by summation, and the two
    /// tables it reaches from the truth checked against every published cell.
    @Test func aYearsByCountriesByTypesTableIsProtectedCellByCell() throws {
        var rng = SplitMix64(seed: 2024)
        let sizes = [20, 50, 8]
        // Skewed like case data: most cells empty or small, a few large.
        let interior = (0..<sizes.reduce(1, *)).map { _ in Int(pow(Double.random(in: 0..<1, using: &rng), 6) * 2000) }
        let t = try TableCounts(dimensions: ["year", "country", "type"],
                                values: sizes.map { n in (0..<n).map { "v\($0)" } }, interior: interior)
        let k = 11
        let p = try CellSuppression().protect(t)
        Self.expectPublishedFaithfully(t, p, threshold: k, "20×50×8")
        let shape = t.shape
        // The truth itself adds up, by the test's own summation.
        var sums = [Int](repeating: 0, count: shape.cellCount)
        for cell in 0..<shape.cellCount where shape.marginDegree(cell) == 0 {
            let c = shape.coordinates(cell)
            for mask in 0..<8 { sums[shape.index((0..<3).map { mask >> $0 & 1 == 1 ? sizes[$0] : c[$0] })] += t.cells[cell] }
        }
        #expect(sums == t.cells)
        var unproven: [Int] = []
        for cell in p.cells.indices where p.cells[cell] == nil {
            if Self.independentWitness(cell, shape: shape, truth: t.cells, published: p.cells, threshold: k) == nil { unproven.append(cell) }
        }
        #expect(unproven.isEmpty, "\(unproven.count) suppressed cells without a witness")
        #expect(p.summary!.primary > 500 && p.summary!.secondary < p.summary!.cells / 4)
    }

    /// Two integer tables consistent with `published` whose values of `cell` are `threshold`
    /// apart, made by moving the truth along a box of suppressed cells, or `nil`.
    static func independentWitness(_ cell: Int, shape: TableShape, truth: [Int], published: [Int?], threshold k: Int) -> (Int, Int)? {
        let dims = shape.sizes.count
        let a = shape.coordinates(cell)
        let options = (0..<dims).map { d in
            (0...shape.sizes[d]).filter { v in
                var c = a
                c[d] = v
                return v != a[d] && published[shape.index(c)] == nil
            }
        }
        if options.contains(where: \.isEmpty) { return nil }
        var pick = [Int](repeating: 0, count: dims)
        while true {
            let b = (0..<dims).map { options[$0][pick[$0]] }
            // Interior corners of the box, signed by how many free dimensions take the other side.
            var delta: [Int: Int] = [:]
            for mask in 0..<(1 << dims) {
                let c = (0..<dims).map { mask >> $0 & 1 == 1 ? b[$0] : a[$0] }
                guard (0..<dims).allSatisfy({ c[$0] < shape.sizes[$0] }) else { continue }
                let flips = (0..<dims).filter { mask >> $0 & 1 == 1 && a[$0] < shape.sizes[$0] }.count
                // Every cell that sums this interior cell moves with it.
                for sum in 0..<(1 << dims) {
                    let m = (0..<dims).map { sum >> $0 & 1 == 1 ? shape.sizes[$0] : c[$0] }
                    delta[shape.index(m), default: 0] += flips % 2 == 0 ? 1 : -1
                }
            }
            delta = delta.filter { $0.value != 0 }
            if let own = delta[cell], abs(own) == 1, delta.keys.allSatisfy({ published[$0] == nil }) {
                let up = delta.filter { $0.value * own < 0 }.map { (truth[$0.key] - 1) / abs($0.value) }.min() ?? k
                let down = delta.filter { $0.value * own > 0 }.map { (truth[$0.key] - 1) / abs($0.value) }.min()!
                // The move changes no published cell and, being made of interior cells with their
                // sums, keeps every margin; both ends must keep the suppressed cells at 1 or more.
                if up + down >= k,
                   delta.allSatisfy({ truth[$0.key] - down * own * $0.value >= 1 && truth[$0.key] + up * own * $0.value >= 1 }) {
                    return (truth[cell] - down, truth[cell] + up)
                }
            }
            var d = dims - 1
            while d >= 0 {
                pick[d] += 1
                if pick[d] < options[d].count { break }
                pick[d] = 0
                d -= 1
            }
            if d < 0 { return nil }
        }
    }

    // MARK: Edge cases

    @Test func emptyTablesPublishZerosAndNothingElse() throws {
        let empty = try CrossTabulation(dimensions: ["a", "b"]).counts()
        #expect(empty.shape.cellCount == 1)
        let p = try CellSuppression().protect(empty)
        #expect(p.cells == [0])
        #expect(String(decoding: p.csvBytes(), as: UTF8.self) == "a,b,margin,count\n,,a;b,0\n")
        let declared = try CrossTabulation(dimensions: ["a"], declaredValues: [["x", "y"]]).counts()
        #expect(try CellSuppression().protect(declared).cells == [0, 0, 0])
    }

    @Test func aTableEntirelyBelowTheThresholdShowsOnlyItsZeros() throws {
        let t = try TableCounts(dimensions: ["r", "c"], values: [["a", "b"], ["x", "y", "z"]], interior: [1, 0, 3, 2, 1, 0])
        let p = try CellSuppression().protect(t)
        #expect(p.cells == t.cells.map { $0 == 0 ? 0 : nil })
        #expect(p.summary?.secondary == 0)
        #expect(TableAudit.audit(shape: t.shape, published: p.cells, threshold: 11).passed)
    }

    @Test func singleRowsAndSingleCells() throws {
        for interior in [[3, 20, 30, 40], [3, 9, 2, 40], [5], [12], [1, 1]] {
            for sizes in [[interior.count], [1, interior.count]] {
                let t = try TableCounts(dimensions: sizes.indices.map { "d\($0)" },
                                        values: sizes.map { n in (0..<n).map { "v\($0)" } }, interior: interior)
                let p = try CellSuppression().protect(t)
                Self.expectPublishedFaithfully(t, p, threshold: 11, "\(interior)")
                let bf = BruteForceIntervals(shape: t.shape, published: p.cells).intervals(cap: t.grandTotal + 30)!
                for (c, range) in bf where range.lowerBound < 11 {
                    #expect(range.upperBound - range.lowerBound >= 11, "\(interior) \(sizes): cell \(c) in \(range)")
                }
            }
        }
        // One small value beside a large one: the pair is enough, and the total stays published.
        let t = try TableCounts(dimensions: ["d"], values: [["a", "b", "c"]], interior: [5, 20, 30])
        #expect(try CellSuppression().protect(t).cells == [nil, nil, 30, 55])
    }

    @Test func badConfigurationIsRefused() throws {
        let t = try TableCounts(dimensions: ["d"], values: [["a"]], interior: [5])
        #expect(throws: AggregateError.self) { try CellSuppression(policy: .init(threshold: 0)).protect(t) }
        #expect(throws: AggregateError.self) { try CrossTabulation(dimensions: ["a", "b", "c", "d"]) }
        #expect(throws: AggregateError.self) { try CrossTabulation(dimensions: ["a", "a"]) }
        #expect(throws: AggregateError.self) { try CrossTabulation(dimensions: ["a"], declaredValues: [[""]]) }
        #expect(throws: AggregateError.self) { try TableCounts(dimensions: ["a"], values: [["x", "x"]], interior: [1, 2]) }
    }

    // MARK: Published files

    @Test func aPublishedFileIsAuditedFromTheFileAlone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var rng = SplitMix64(seed: 5)
        let t = try Self.randomTable(&rng, sizes: [4, 5], threshold: 11, largest: 60)
        let p = try CellSuppression().protect(t)
        try p.write(toPath: scratch.path("ok.csv"))
        #expect(try PublishedTableFile.verify(path: scratch.path("ok.csv"), threshold: 11).passed)

        let weak = PublishedTable(dimensions: t.dimensions, values: t.values,
                                  cells: Self.published(t, suppressing: Set(Self.primary(t, threshold: 11))), summary: nil)
        try weak.write(toPath: scratch.path("weak.csv"))
        #expect(throws: ExportError.self) { try PublishedTableFile.verify(path: scratch.path("weak.csv"), threshold: 11) }

        // A change inside an equation with a suppressed cell would be absorbed by it; one inside a
        // fully published equation (the last row of the hand-worked table) cannot be.
        let hand = try TableCounts(dimensions: ["r", "c"], values: [["r0", "r1", "r2"], ["c0", "c1", "c2"]],
                                   interior: [5, 40, 50, 30, 60, 70, 45, 80, 90])
        var wrong = try CellSuppression().protect(hand).cells
        try PublishedTable(dimensions: hand.dimensions, values: hand.values, cells: wrong, summary: nil).write(toPath: scratch.path("sum.csv"))
        #expect(try PublishedTableFile.verify(path: scratch.path("sum.csv"), threshold: 11).passed)
        wrong[hand.shape.index([2, 0])]! += 1
        try PublishedTable(dimensions: hand.dimensions, values: hand.values, cells: wrong, summary: nil).write(toPath: scratch.path("sum.csv"))
        #expect(throws: ExportError.self) { try PublishedTableFile.verify(path: scratch.path("sum.csv"), threshold: 11) }

        let text = String(decoding: p.csvBytes(), as: UTF8.self)
        var lines = text.split(separator: "\n").map(String.init)
        lines.removeLast()
        for (what, bad) in [("missing row", lines.joined(separator: "\n") + "\n"),
                            ("bad count", text.replacingOccurrences(of: ",,", with: ",,-")),
                            ("bad header", text.replacingOccurrences(of: "margin,count", with: "count,margin"))] {
            try scratch.write("bad.csv", bad)
            #expect(throws: ExportError.self, "\(what)") { try PublishedTableFile.read(path: scratch.path("bad.csv")) }
        }
    }
}
