import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// Whole runs: the published file's order is a function of the published rows, not of the input's
/// order, and `htdx explain` names the row a record really went to.
@Suite struct RowOrderRunTests {
    struct World {
        let scratch: Scratch
        let policy: String
        let records: [[String]]

        init(count: Int = 240, seed: UInt64 = 1) throws {
            scratch = try Scratch()
            try scratch.write("h/gender.csv", "F;*\nM;*\n")
            try scratch.write("h/country.csv", "UA;Europe;*\nMD;Europe;*\nPH;Asia;*\nVN;Asia;*\n")
            policy = try scratch.write("policy.yaml", """
                version: 1
                attributes:
                  name: identifying
                  gender: {type: quasi-identifying, hierarchy: h/gender.csv}
                  country: {type: quasi-identifying, hierarchy: h/country.csv}
                  exploitation: sensitive
                privacy: {k: 2, suppressionLimit: 0.5}
                """)
            var g = SplitMix64(seed: seed)
            // `exploitation` is unique per record, so that a row tells which record it is.
            records = (0..<count).map { i in
                ["N\(i)", ["F", "M"].randomElement(using: &g)!, ["UA", "MD", "PH", "VN"].randomElement(using: &g)!, "e\(i)"]
            }
        }

        func input(_ records: [[String]], name: String) throws -> String {
            try scratch.write(name, "name,gender,country,exploitation\n" + records.map { $0.joined(separator: ",") + "\n" }.joined())
        }

        func published(_ records: [[String]], as name: String, aggregates: Bool = false) throws -> Data {
            let input = try input(records, name: name + ".csv")
            var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path(name))
            if aggregates {
                run.combinations = .init(attributes: ["gender", "country"], length: 2, resolution: 5)
                run.tables = [.init(name: "gender-by-country", dimensions: ["gender", "country"])]
            }
            _ = try run.run()
            return try Data(contentsOf: URL(fileURLWithPath: scratch.path(name + "/anonymized.csv")))
        }
    }

    @Test func permutingTheInputGivesAByteIdenticalFile() throws {
        let world = try World()
        defer { world.scratch.remove() }
        let reference = try world.published(world.records, as: "reference")
        var g = SplitMix64(seed: 42)
        for i in 0..<3 {
            #expect(try world.published(world.records.shuffled(using: &g), as: "shuffled\(i)") == reference, "permutation \(i)")
        }
        // The newcomers of a later release are not its last rows: the input's last records are
        // spread through the file, not left at its end.
        let rows = try readSimpleCSV(world.scratch.path("reference/anonymized.csv"), delimiter: ",")
        let lastTenth = Set(world.records.suffix(world.records.count / 10).map { $0[3] })
        let tail = rows.suffix(lastTenth.count).map { $0[2] }
        #expect(tail.filter(lastTenth.contains).count < lastTenth.count / 2)
    }

    /// The aggregates are written in an order of their own (combinations by length and label, table
    /// cells by their values' bytes), never the input's: permuting the input changes no byte.
    @Test func permutingTheInputChangesNoAggregate() throws {
        let world = try World(count: 300, seed: 12)
        defer { world.scratch.remove() }
        _ = try world.published(world.records, as: "reference", aggregates: true)
        var g = SplitMix64(seed: 13)
        _ = try world.published(world.records.shuffled(using: &g), as: "shuffled", aggregates: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: world.scratch.path("reference/aggregates")).sorted()
        #expect(files.filter { $0.hasSuffix(".csv") }.count == 2, "\(files)")
        for file in files {
            let a = try Data(contentsOf: URL(fileURLWithPath: world.scratch.path("reference/aggregates/" + file)))
            let b = try Data(contentsOf: URL(fileURLWithPath: world.scratch.path("shuffled/aggregates/" + file)))
            #expect(a == b, "\(file)")
        }
    }

    @Test func aTinySortMemoryGivesTheSameFile() throws {
        try #require(htdxExecutable != nil, "swift build makes the htdx executable this test runs")
        let world = try World(count: 300, seed: 9)
        defer { world.scratch.remove() }
        let reference = try world.published(world.records, as: "reference")
        var g = SplitMix64(seed: 4)
        let input = try world.input(world.records.shuffled(using: &g), name: "shuffled.csv")
        // A few hundred bytes a run: the sorter spills every few rows and merges in rounds.
        let out = world.scratch.path("spilled")
        let run = try HtdxProcess.run(["anonymize", "--policy", world.policy, "--out", out, input],
                                      environment: ["HTDX_SORT_MEMORY": "300"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/anonymized.csv")) == reference)
        #expect(!FileManager.default.fileExists(atPath: out + "/.row-order"))
        #expect(try ReleaseVerifier.verify(directory: out).records > 0)
    }

    @Test func rowsAreGroupedByClassAndClassesAscend() throws {
        let world = try World(count: 400, seed: 3)
        defer { world.scratch.remove() }
        _ = try world.published(world.records, as: "out")
        let rows = try readSimpleCSV(world.scratch.path("out/anonymized.csv"), delimiter: ",")
        #expect(rows[0] == ["gender", "country", "exploitation"])
        // The class key as the sorter builds it: each cell's length, then its bytes.
        let keys = rows.dropFirst().map { RowOrderKey.classKey([Array($0[0].utf8), Array($0[1].utf8)]) }
        var seen = Set<[UInt8]>()
        for i in keys.indices {
            if i > keys.startIndex {
                #expect(!keys[i].lexicographicallyPrecedes(keys[i - 1]), "row \(i) has a smaller class than the row before it")
                if keys[i] != keys[i - 1] { #expect(!seen.contains(keys[i]), "a class appears in two places") }
            }
            seen.insert(keys[i])
        }
        #expect(seen.count > 1)
    }

    @Test func explainNamesTheRowTheRecordIsIn() throws {
        let world = try World(count: 120, seed: 5)
        defer { world.scratch.remove() }
        var g = SplitMix64(seed: 8)
        let shuffled = world.records.shuffled(using: &g)
        _ = try world.published(shuffled, as: "out")
        let rows = try readSimpleCSV(world.scratch.path("out/anonymized.csv"), delimiter: ",")
        var run = AnonymizeRun(policyPath: world.policy, inputPath: world.scratch.path("out.csv"),
                               outputDirectory: world.scratch.path("explained"))
        run.sink = .explain(RecordSelector.every(file: "out.csv"))
        let fates = try run.run().fates
        var rowsNamed: [Int] = []
        for fate in fates {
            guard case .published(let row, _, let labels, _) = fate.outcome else { continue }
            // Line 2 is the first record; the published row holds that record's unique value.
            let record = shuffled[fate.line - 2]
            #expect(rows[row][2] == record[3], "line \(fate.line) is said to be row \(row)")
            #expect(labels.map(\.value) == [rows[row][0], rows[row][1]])
            rowsNamed.append(row)
        }
        #expect(rowsNamed.sorted() == Array(1..<rows.count))
        #expect(rowsNamed != rowsNamed.sorted(), "the rows are not in input order")
    }
}
