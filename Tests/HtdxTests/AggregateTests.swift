import Export
import Foundation
@testable import TableProtection
import Tabular
import TestSupport
import Testing

/// Combination counts and cross-tabulation counting, checked against recounts done the slow way.
@Suite struct AggregateTests {
    // MARK: Combination counts

    /// Values that stress the label and the CSV layer: separators, the escape, CSV specials.
    static let hostile = ["a", "b:c", "d;e", "f%3A", "%", "g,h", "i\"j", "k\nl", "ü", "3A"]

    /// The label of a combination, built independently of `CombinationLabel`.
    static func label(_ pairs: [(String, String)]) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A")
                .replacingOccurrences(of: ";", with: "%3B")
        }
        return pairs.map { esc($0.0) + ":" + esc($0.1) }.joined(separator: ";")
    }

    static func randomRecords(_ rng: inout SplitMix64, attributes: Int, count: Int) -> [[String]] {
        (0..<count).map { _ in
            (0..<attributes).map { a in
                if Int.random(in: 0..<6, using: &rng) == 0 { return "" }
                // Skewed towards the first values so that counts pass the resolution.
                let r = min(Int.random(in: 0..<hostile.count, using: &rng), Int.random(in: 0..<hostile.count, using: &rng))
                return a % 2 == 0 ? hostile[r] : "v\(r % 4)"
            }
        }
    }

    @Test func combinationCountsEqualABruteForceRecountRoundedDown() throws {
        for seed in UInt64(1)...25 {
            var rng = SplitMix64(seed: seed)
            let n = Int.random(in: 1...5, using: &rng)
            let names = (0..<n).map { $0 == 1 ? "at:tr;\($0)" : "attr\($0)" }
            let maxLength = Int.random(in: 1...4, using: &rng)
            let resolution = [1, 2, 5, 10][Int.random(in: 0..<4, using: &rng)]
            let records = Self.randomRecords(&rng, attributes: n, count: Int.random(in: 0...300, using: &rng))
            var counts = try CombinationCounts(attributes: names, maximumLength: maxLength, resolution: resolution)
            for r in records { try counts.add(r) }

            var truth: [String: (length: Int, count: Int)] = [:]
            for r in records {
                for mask in 1..<(1 << n) where mask.nonzeroBitCount <= maxLength {
                    let chosen = (0..<n).filter { mask >> $0 & 1 == 1 }
                    if chosen.contains(where: { r[$0].isEmpty }) { continue }
                    let key = Self.label(chosen.map { (names[$0], r[$0]) })
                    truth[key, default: (chosen.count, 0)].count += 1
                }
            }
            let rows = counts.publishedRows()
            let expected = truth.compactMapValues { v -> (Int, Int)? in
                let rounded = v.count / resolution * resolution
                return rounded > 0 ? (v.length, rounded) : nil
            }
            #expect(rows.count == expected.count, "seed \(seed)")
            for row in rows {
                #expect(row.count > 0 && row.count % resolution == 0)
                let e = expected[row.combination]
                #expect(e?.0 == row.length && e?.1 == row.count, "seed \(seed): \(row)")
            }
            for (x, y) in zip(rows, rows.dropFirst()) {
                #expect(x.length < y.length
                        || (x.length == y.length && Array(x.combination.utf8).lexicographicallyPrecedes(Array(y.combination.utf8))))
            }
            #expect(counts.records == records.count)
        }
    }

    @Test func escapingRoundTripsEveryAwkwardValue() {
        #expect(CombinationLabel.escape("a:b;c%3A") == "a%3Ab%3Bc%253A")
        #expect(CombinationLabel.join([("ra:tio", "1:2"), ("c;", "%")]) == "ra%3Atio:1%3A2;c%3B:%25")
        var rng = SplitMix64(seed: 99)
        let alphabet = Array(":;%3AaB,\"\n")
        for _ in 0..<500 {
            let make = { (rng: inout SplitMix64) in
                String((0..<Int.random(in: 1...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            }
            let pairs = (0..<Int.random(in: 1...3, using: &rng)).map { _ in (make(&rng), make(&rng)) }
            #expect(CombinationLabel.unescape(CombinationLabel.escape(pairs[0].0)) == pairs[0].0)
            let split = CombinationLabel.split(CombinationLabel.join(pairs.map { ($0.0, $0.1) }))
            #expect(split?.map(\.attribute) == pairs.map(\.0) && split?.map(\.value) == pairs.map(\.1))
        }
        for broken in ["", "a", "a:b:c", "a:b;", ":b", "a%3:b", "a%3a:b", "a:%"] {
            #expect(CombinationLabel.split(broken) == nil, "\(broken)")
        }
    }

    @Test func missingValuesTakeNoPartAndMemoryFollowsCombinationsNotRecords() throws {
        var counts = try CombinationCounts(attributes: ["x", "y", "z"], maximumLength: 3, resolution: 1)
        for _ in 0..<5000 { try counts.add(["1", "", "2"]) }
        // x, z, and x;z: y is missing in every record.
        #expect(counts.distinctCombinations == 3)
        #expect(counts.publishedRows().map(\.combination) == ["x:1", "z:2", "x:1;z:2"])
        try counts.add(["", "", ""])
        #expect(counts.distinctCombinations == 3 && counts.records == 5001)
        #expect(throws: AggregateError.recordShape(expected: 3, got: 2)) { try counts.add(["1", "2"]) }
        #expect(throws: AggregateError.self) { try CombinationCounts(attributes: ["x", "x"]) }
        #expect(throws: AggregateError.self) { try CombinationCounts(attributes: ["x"], resolution: 0) }
    }

    @Test func writtenFileVerifiesAndTamperingIsCaught() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var rng = SplitMix64(seed: 7)
        let names = ["a", "b;c", "d"]
        var counts = try CombinationCounts(attributes: names, maximumLength: 3, resolution: 10)
        for r in Self.randomRecords(&rng, attributes: 3, count: 2000) { try counts.add(r) }
        let rows = counts.publishedRows()
        #expect(rows.count > 10)
        let path = scratch.path("combinations.csv")
        try CombinationsFile.write(rows, toPath: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(CombinationsFile.bytes(rows)))
        let findings = try CombinationsFile.verify(path: path, resolution: 10, attributes: names, maximumLength: 3)
        #expect(findings.rows == rows.count && findings.longestCombination == 3 && (findings.smallestCount ?? 0) >= 10)
        // The file read back by an independent parser gives the rows written.
        let parsed = try readSimpleCSV(path, delimiter: ",")
        #expect(parsed.dropFirst().map { $0[0] } == rows.map(\.combination))

        func edited(_ change: (inout [CombinationCounts.Row]) -> Void) -> [CombinationCounts.Row] {
            var copy = rows
            change(&copy)
            return copy
        }
        let part = CombinationLabel.join([CombinationLabel.split(rows.first { $0.length == 2 }!.combination)![0]])
        let tampered: [(String, [CombinationCounts.Row])] = [
            ("not a multiple", edited { $0[0].count += 5 }),
            ("zero", edited { $0[0].count = 0 }),
            ("wrong length", edited { $0[0].length = 2 }),
            ("unsorted", edited { $0.swapAt(0, 1) }),
            ("duplicate", edited { $0.insert($0[0], at: 0) }),
            ("missing part", edited { $0.removeAll { $0.combination == part } }),
            ("unknown attribute", edited { $0[0].combination = "zz:1" }),
            ("malformed", edited { $0[0].combination = "a:1:2" }),
        ]
        for (what, bad) in tampered {
            #expect(bad != rows, "\(what)")
            let p = try scratch.write("bad.csv", String(decoding: CombinationsFile.bytes(bad), as: UTF8.self))
            #expect(throws: ExportError.self, "\(what)") {
                try CombinationsFile.verify(path: p, resolution: 10, attributes: names, maximumLength: 3)
            }
        }
        // A count above a shorter combination inside it cannot come from rounding down.
        let first = rows.first { $0.length == 2 }!
        let raised = rows.map { $0 == first ? CombinationCounts.Row(combination: $0.combination, length: 2, count: 100_000) : $0 }
        try scratch.write("raised.csv", String(decoding: CombinationsFile.bytes(raised), as: UTF8.self))
        #expect(throws: ExportError.self) { try CombinationsFile.verify(path: scratch.path("raised.csv"), resolution: 10) }
    }

    // MARK: Cross-tabulation counting

    @Test func crossTabulationCountsAndMarginsAddUp() throws {
        for seed in UInt64(1)...20 {
            var rng = SplitMix64(seed: seed)
            let dims = Int.random(in: 1...3, using: &rng)
            let names = (0..<dims).map { "d\($0)" }
            let declared = (0..<dims).map { d in ["declared\(d)"] }
            var tab = try CrossTabulation(dimensions: names, declaredValues: declared)
            var records: [[String]] = []
            for _ in 0..<Int.random(in: 0...400, using: &rng) {
                let r = (0..<dims).map { _ in
                    Int.random(in: 0..<20, using: &rng) == 0 ? "" : Self.hostile[Int.random(in: 0..<5, using: &rng)]
                }
                records.append(r)
                try tab.add(r)
            }
            let t = tab.counts()
            let complete = records.filter { !$0.contains("") }
            #expect(tab.incompleteRecords == records.count - complete.count)
            #expect(t.grandTotal == complete.count)
            for d in 0..<dims {
                #expect(t.values[d].contains("declared\(d)"))
                #expect(t.values[d] == t.values[d].sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            }
            // Every cell, margins included, is the number of complete records matching its values.
            for cell in 0..<t.shape.cellCount {
                let c = t.shape.coordinates(cell)
                let n = complete.filter { r in (0..<dims).allSatisfy { c[$0] == t.shape.sizes[$0] || r[$0] == t.values[$0][c[$0]] } }.count
                #expect(t.cells[cell] == n, "seed \(seed) cell \(c)")
            }
            for (d, total) in t.shape.equations() {
                #expect(t.cells[total] == t.shape.equationParts(total: total, along: d).reduce(0) { $0 + t.cells[$1] })
            }
        }
    }

    @Test func publishedCSVHasOneRowPerCellAndReadsBack() throws {
        let t = try TableCounts(dimensions: ["ye,ar", "co;untry"], values: [["2019", "20\"20"], ["A:B", "x\ny"]],
                                interior: [12, 0, 30, 40])
        let published = try CellSuppression().protect(t)
        let text = String(decoding: published.csvBytes(), as: UTF8.self)
        #expect(text == """
            "ye,ar",co;untry,margin,count
            2019,A:B,,12
            2019,"x
            y",,0
            2019,,co%3Buntry,12
            "20""20",A:B,,30
            "20""20","x
            y",,40
            "20""20",,co%3Buntry,70
            ,A:B,"ye,ar",42
            ,"x
            y","ye,ar",40
            ,,"ye,ar;co%3Buntry",82

            """)
        let scratch = try Scratch()
        defer { scratch.remove() }
        try published.write(toPath: scratch.path("t.csv"))
        let back = try PublishedTableFile.read(path: scratch.path("t.csv"))
        #expect(back.dimensions == t.dimensions && back.values == t.values && back.cells == published.cells)
    }
}
