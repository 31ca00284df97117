import Export
import Foundation
@testable import Pipeline
import PolicyFile
@testable import TableProtection
import Tabular
import TestSupport
import Testing

/// Aggregates published release after release: guarded against every earlier release, no cell of
/// the files read back differs from an earlier release's by 1 to k − 1, the tables still pass
/// their audit, and what a run says it published is exactly what the files hold.
@Suite struct AggregateHistoryTests {
    static let k = 11
    static let attributes = ["sex", "age", "country"]

    /// The comparison of the differencing guard, written here independently: a cell absent from
    /// one side is 0 there, a withheld cell (nil) is not compared.
    static func offending(earlier: [String: Int?], current: [String: Int?], k: Int) -> [String] {
        Set(earlier.keys).union(current.keys).filter { key in
            let e: Int? = earlier[key] ?? 0, c: Int? = current[key] ?? 0
            guard let e, let c else { return false }
            return (1..<k).contains(abs(e - c))
        }
    }

    static func offendingCount(_ earlier: PublishedCells, _ current: PublishedCells) -> Int {
        current.keys.reduce(0) { n, file in n + (earlier[file].map { offending(earlier: $0, current: current[file]!, k: k).count } ?? 0) }
    }

    /// Records of the three attributes; values drawn unevenly so that tables have small cells.
    static func records(_ count: Int, _ rng: inout SplitMix64, ages: Int = 5, countries: Int = 6) -> [[String]] {
        (0..<count).map { _ in
            let age = min(Int(rng.next() % UInt64(ages)), Int(rng.next() % UInt64(ages)))
            return ["s\(rng.next() % 2)", "a\(age)", "c\(rng.next() % UInt64(countries))"]
        }
    }

    /// One release's aggregates, written under `directory` with a manifest listing them.
    static func publish(_ records: [[String]], resolution: Int, into directory: String, guarding earlier: [PublishedCells]) throws
        -> AggregateBuilder.Written
    {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let builder = try AggregateBuilder(
            combinations: .init(attributes: attributes, length: 2, resolution: resolution),
            tables: [.init(name: "age-by-country", dimensions: ["age", "country"]), .init(name: "sex", dimensions: ["sex"])],
            threshold: k)
        let order = builder.attributes.map { attributes.firstIndex(of: $0)! }
        for r in records { try builder.add(order.map { r[$0] }) }
        let written = try builder.write(into: directory, guard: CellGuard(earlier: earlier, k: k, differences: offending))
        var manifest = Manifest(policySHA256: "", jobSHA256: nil, records: .init(in: 0, rejected: 0, excluded: 0, suppressed: 0, published: 0),
                                microdata: .init(file: "anonymized.csv", delimiter: ",", headerRows: 1, k: k, quasiIdentifiers: []))
        manifest.aggregates = written.manifest
        try manifest.jsonData().write(to: URL(fileURLWithPath: directory + "/" + Manifest.fileName))
        return written
    }

    /// Every file a release wrote passes the checks `htdx verify` runs on it.
    static func verifyFiles(_ directory: String, _ written: AggregateBuilder.Written) throws {
        for aggregate in written.manifest {
            let path = directory + "/" + aggregate.file
            switch aggregate.kind {
            case .combinations:
                _ = try CombinationsFile.verify(path: path, resolution: aggregate.resolution!, attributes: aggregate.attributes,
                                                maximumLength: aggregate.maxLength)
            case .crossTabulation:
                try PublishedTableFile.verify(path: path, threshold: aggregate.threshold!)
            }
        }
    }

    /// The real interval of a suppressed cell given everything else the table publishes: its
    /// width, or nil when unbounded.
    static func width(of cell: Int, in table: PublishedTable) -> Double? {
        let system = SuppressedSystem(shape: table.shape, published: table.cells)
        guard let component = system.components.first(where: { $0.cells.contains(cell) }) else { return 0 }
        let v = component.cells.firstIndex(of: cell)!
        var lp = DenseSimplex(variables: component.cells.count, rows: component.simplexRows)
        guard lp.findFeasible() == .optimal(.zero), case .optimal(let low) = lp.minimize([(v, 1)]) else { return 0 }
        switch lp.minimize([(v, -1)]) {
        case .optimal(let negatedHigh): return -negatedHigh.double - low.double
        case .unbounded: return nil
        default: return 0
        }
    }

    @Test(arguments: [1, 10])
    func successiveReleasesPublishNoSmallDifference(resolution: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var rng = SplitMix64(seed: UInt64(40 + resolution))
        // Three releases, each adding a few percent of new records in a corner of the tables and
        // moving a few old ones to another country: many cells grow by 1 to k − 1.
        var current = Self.records(1500, &rng)
        var releases: [[[String]]] = [current]
        for _ in 0..<2 {
            for i in 0..<10 { current[Int(rng.next() % UInt64(current.count))][2] = "c\(i % 3)" }
            current += Self.records(45, &rng, ages: 2, countries: 3)
            releases.append(current)
        }
        var published: [PublishedCells] = []
        var guardedTotal = 0
        for (n, records) in releases.enumerated() {
            let directory = scratch.path("guarded-\(n)")
            let written = try Self.publish(records, resolution: resolution, into: directory, guarding: published)
            let back = try AggregateCells.publishedCells(inRelease: directory)
            #expect(back == written.cells, "release \(n) read back")
            #expect(Set(back.keys) == Set(written.manifest.map(\.file)))
            try Self.verifyFiles(directory, written)
            for (m, earlier) in published.enumerated() {
                #expect(Self.offendingCount(earlier, back) == 0, "release \(n) against \(m)")
            }
            if n > 0 {
                // Without the guard the same records publish differences an attacker can subtract.
                let open = scratch.path("open-\(n)")
                let unguarded = try Self.publish(records, resolution: resolution, into: open, guarding: [])
                let openBack = try AggregateCells.publishedCells(inRelease: open)
                #expect(unguarded.cellsGuarded == 0)
                for file in openBack.keys where file != "aggregates/sex.csv" {
                    let visible = published.reduce(0) { $0 + Self.offending(earlier: $1[file]!, current: openBack[file]!, k: Self.k).count }
                    #expect(visible > 0, "release \(n), \(file) without the guard")
                }
                try checkGuardedTableCells(published, unguarded: openBack, guarded: directory)
            }
            guardedTotal += written.cellsGuarded
            published.append(back)
        }
        #expect(guardedTotal > 0)
    }

    /// Each table cell the guard suppressed (it offends when published without the guard) cannot
    /// be narrowed to less than k from the rest of the guarded table.
    func checkGuardedTableCells(_ earlier: [PublishedCells], unguarded: PublishedCells, guarded directory: String) throws {
        let table = try PublishedTableFile.read(path: directory + "/aggregates/age-by-country.csv")
        let file = "aggregates/age-by-country.csv"
        let offended = Set(earlier.flatMap { Self.offending(earlier: $0[file]!, current: unguarded[file]!, k: Self.k) })
        #expect(!offended.isEmpty)
        for cell in 0..<table.shape.cellCount where offended.contains(AggregateCells.key(table, cell: cell)) {
            #expect(table.cells[cell] == nil)
            if let w = Self.width(of: cell, in: table) { #expect(w >= Double(Self.k), "cell \(cell) is \(w) wide") }
        }
    }

    @Test func aLargeOffendingTableCellCannotBeRecomputed() throws {
        // A 1-D table in which one large cell and so the total grew by 3 since an earlier release.
        let scratch = try Scratch()
        defer { scratch.remove() }
        let earlier: [String: Int?] = ["x": 40, "y": 50, "z": 60, AggregateCells.totalLabel: 150]
        let t = try TableCounts(dimensions: ["v"], values: [["x", "y", "z"]], interior: [43, 50, 60])
        let protection = CellSuppression(policy: .init(threshold: Self.k))
        let open = try protection.protect(t)
        #expect(Set(Self.offending(earlier: earlier, current: AggregateCells.cells(of: open), k: Self.k)) == ["x", ""])
        // Suppressed alone, x would be the total minus the others: it takes a partner with it.
        let one = try protection.protect(t, alsoSuppressing: [0])
        #expect(one.cells[0] == nil && one.cells.compactMap { $0 }.count == 2)
        #expect(Self.width(of: 0, in: one).map { $0 >= Double(Self.k) } ?? true)
        // With the margin too, nothing published offends, and the file still passes its audit.
        let both = try protection.protect(t, alsoSuppressing: [0, 3])
        #expect(Self.offending(earlier: earlier, current: AggregateCells.cells(of: both), k: Self.k).isEmpty)
        for cell in [0, 3] { #expect(both.cells[cell] == nil && (Self.width(of: cell, in: both).map { $0 >= Double(Self.k) } ?? true)) }
        try both.write(toPath: scratch.path("t.csv"))
        try PublishedTableFile.verify(path: scratch.path("t.csv"), threshold: Self.k)
        #expect(AggregateCells.cells(of: try PublishedTableFile.read(path: scratch.path("t.csv"))) == AggregateCells.cells(of: both))
    }

    @Test func combinationsFileWithheldRowsReadBackAndVerify() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows: [CombinationCounts.Row] = [
            .init(combination: "a:1", length: 1, count: 30), .init(combination: "b:2", length: 1, count: 20),
            .init(combination: "a:1;b:2", length: 2, count: 20),
        ]
        // A shorter combination withheld inside a published one, and one only an earlier release counted.
        let path = scratch.path("combinations.csv")
        try CombinationsFile.write(rows, withholding: ["a:1", "a:9;b:%3B"], toPath: path)
        let findings = try CombinationsFile.verify(path: path, resolution: 10, attributes: ["a", "b"], maximumLength: 2)
        #expect(findings.rows == 4 && findings.withheld == 2 && findings.smallestCount == 20)
        let cells = try AggregateCells.combinationCells(path: path)
        let sep = AggregateCells.separator
        #expect(cells == ["a:1": nil, "b:2": 20, "a:1\(sep)b:2": 20, "a:9\(sep)b:%3B": nil])
        #expect(AggregateCells.combination(key: "a:9\(sep)b:%3B") == "a:9;b:%3B")
        // An empty count is the only new form: a zero still fails.
        try scratch.write("zero.csv", "combination,length,count\na:1,1,0\n")
        #expect(throws: ExportError.self) { try CombinationsFile.verify(path: scratch.path("zero.csv"), resolution: 10) }
    }
}
