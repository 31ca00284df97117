import Foundation
import Testing
import TestSupport

/// Three successive releases of one growing caseload, some of whose cases change class between
/// releases, published through `htdx run`: with the release history, nothing an attacker can
/// subtract from the published files isolates fewer than k records; without it, the attack works.
/// The checks read only what was published (and the hierarchies, which the codebook states), with
/// a differencing written here, independently of htdx's own.
@Suite("Successive releases cannot be differenced", .tags(.slow), .enabled(if: htdxExecutable != nil))
struct CrossReleaseSlowTests {
    static let k = 5
    static let quasiIdentifiers = ["gender", "age", "citizenship", "year"]

    @Test("with the history, no difference set between releases holds 1 to k − 1 records")
    func guarded() throws {
        let scratch = try Self.scenario()
        defer { scratch.remove() }
        var snapshots: [String] = []
        for release in 1...3 {
            let result = try HtdxProcess.run(["run", try Self.job(scratch, release: release, output: "out"), "--json"])
            #expect(result.status == 0, "release \(release): \(result.stderr)")
            guard result.status == 0 else { return }
            snapshots.append(try Self.snapshot(scratch, "out", as: "seen-\(release)"))
            let report = try Self.json(scratch.path("out/report.json"))
            let records = try #require(report["records"] as? [String: Any])
            let count = { (key: String) in records[key] as? Int ?? 0 }
            #expect(count("in") == count("published") + count("suppressed") + count("excluded") + count("rejected") + count("heldBack"),
                    "release \(release): the records do not balance: \(records)")
        }
        let hierarchies = try Self.hierarchies(scratch)
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let attack = try Self.difference(snapshots[a], snapshots[b], hierarchies: hierarchies)
            #expect(attack.classes.isEmpty, "releases \(a + 1) and \(b + 1): \(attack.classes.count) classes isolate 1 to k − 1 records, e.g. \(attack.classes.prefix(3))")
            #expect(attack.cells.isEmpty, "releases \(a + 1) and \(b + 1): aggregate cells differ by 1 to k − 1: \(attack.cells.prefix(5))")
        }
        let verify = try HtdxProcess.run(["verify", scratch.path("out"), "--history", scratch.path("out.history")])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("without the history, subtracting one release from the next isolates newcomers")
    func unguarded() throws {
        let scratch = try Self.scenario()
        defer { scratch.remove() }
        var snapshots: [String] = []
        for release in 1...3 {
            // A new output each time: each release starts a history of its own, so none is guarded.
            let result = try HtdxProcess.run(["run", try Self.job(scratch, release: release, output: "alone-\(release)"), "--json"])
            #expect(result.status == 0, "release \(release): \(result.stderr)")
            guard result.status == 0 else { return }
            snapshots.append(scratch.path("alone-\(release)"))
        }
        let hierarchies = try Self.hierarchies(scratch)
        let attack = try Self.difference(snapshots[0], snapshots[1], hierarchies: hierarchies)
        #expect(!attack.classes.isEmpty, "the attack found nothing to isolate, so the guarded test proves nothing")
        #expect(attack.isolated > 0)
        #expect(!attack.cells.isEmpty, "no aggregate cell differed by 1 to k − 1, so the guarded test proves nothing for them")
    }

    // MARK: The caseload

    struct Case { var gender: String; var age: Int; var citizenship: String; var year: Int; var outcome: String }

    static let countries = ["AA": "North", "AB": "North", "AC": "North", "BA": "South", "BB": "South", "BC": "South",
                            "CA": "East", "CB": "East", "DA": "West", "DB": "West", "DC": "West", "DD": "West"]

    /// 2,000 cases, then 60 more and 12 corrected for each later release (ages and citizenships).
    static func caseload(release: Int) -> [Case] {
        var rng = SplitMix64(seed: 2026)
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        let names = countries.keys.sorted()
        var cases: [Case] = (0..<2_120).map { i in
            // Skewed, as real caseloads are: a few common citizenships, many rare ones.
            let citizenship = rng.next() % 3 == 0 ? pick(names) : pick(Array(names.prefix(3)))
            return Case(gender: pick(["F", "F", "M"]), age: 14 + Int(rng.next() % 40), citizenship: citizenship,
                        year: 2015 + min(9, i / 220), outcome: pick(["labour", "sexual", "other"]))
        }
        var corrections = SplitMix64(seed: 7)
        for r in 2...3 where r <= release {
            for _ in 0..<12 {
                let i = Int(corrections.next() % 2_000)
                cases[i].age += 1
                if corrections.next() % 2 == 0 { cases[i].citizenship = names[Int(corrections.next() % UInt64(names.count))] }
            }
        }
        return Array(cases.prefix(2_000 + 60 * (release - 1)))
    }

    static func scenario() throws -> Scratch {
        let scratch = try Scratch()
        _ = try scratch.write("gender.csv", "F;*\nM;*\n")
        _ = try scratch.write("age.csv", (0..<100).map { a in "\(a);\(a / 5 * 5)-\(a / 5 * 5 + 4);\(a / 20 * 20)-\(a / 20 * 20 + 19);*" }.joined(separator: "\n") + "\n")
        _ = try scratch.write("country.csv", countries.sorted { $0.key < $1.key }.map { "\($0.key);\($0.value);*" }.joined(separator: "\n") + "\n")
        _ = try scratch.write("year.csv", (2015...2024).map { y in "\(y);\(y / 2 * 2)-\(y / 2 * 2 + 1);\(y < 2020 ? "2015-2019" : "2020-2024");*" }.joined(separator: "\n") + "\n")
        _ = try scratch.write("policy.yaml", """
            version: 1
            input: {delimiter: ","}
            attributes:
              id: identifying
              gender: {type: quasi-identifying, hierarchy: gender.csv}
              age: {type: quasi-identifying, hierarchy: age.csv}
              citizenship: {type: quasi-identifying, hierarchy: country.csv}
              year: {type: quasi-identifying, hierarchy: year.csv}
              outcome: sensitive
            # Room for the guard: holding back records counts against the suppression limit, and the
            # corrections (a record leaving a class) cost up to k − 1 records each to cover.
            privacy: {k: \(k), suppressionLimit: 0.2}
            metric: loss

            """)
        for release in 1...3 {
            let rows = caseload(release: release).enumerated().map { i, c in
                "C\(i),\(c.gender),\(c.age),\(c.citizenship),\(c.year),\(c.outcome)"
            }
            _ = try scratch.write("cases-\(release).csv", "id,gender,age,citizenship,year,outcome\n" + rows.joined(separator: "\n") + "\n")
        }
        return scratch
    }

    static func job(_ scratch: Scratch, release: Int, output: String) throws -> String {
        try scratch.write("job-\(output)-\(release).yaml", """
            version: 1
            policy: policy.yaml
            inputs:
              - {csv: cases-\(release).csv}
            output: \(output)
            rejects: \(output).rejects.csv
            aggregates:
              combinations: {attributes: [gender, citizenship, outcome], length: 2, resolution: 1}
              tables:
                - {name: year-by-gender, dimensions: [year, gender]}

            """)
    }

    static func snapshot(_ scratch: Scratch, _ output: String, as name: String) throws -> String {
        let copy = scratch.path(name)
        try FileManager.default.copyItem(atPath: scratch.path(output), toPath: copy)
        return copy
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    // MARK: The attacker's differencing, from the files alone

    /// Per quasi-identifier: each hierarchy row, from the value up to the top.
    static func hierarchies(_ scratch: Scratch) throws -> [[[String]]] {
        try ["gender.csv", "age.csv", "country.csv", "year.csv"].map { file in
            try readSimpleCSV(scratch.path(file), delimiter: ";")
        }
    }

    struct Attack {
        /// Offending classes: the levels compared, the class's labels and the difference.
        var classes: [String] = []
        /// Records in offending classes at the finest common coarsening: what subtraction isolates.
        var isolated = 0
        var cells: [String] = []
    }

    /// Every common coarsening of two published releases, and every aggregate cell both publish.
    static func difference(_ a: String, _ b: String, hierarchies: [[[String]]]) throws -> Attack {
        let (levelsA, countsA) = try published(a)
        let (levelsB, countsB) = try published(b)
        let tops = hierarchies.map { $0[0].count - 1 }
        let floor = zip(levelsA, levelsB).map { max($0, $1) }
        var attack = Attack()
        // Every level vector from the finest common one up to the tops.
        var node = floor
        while true {
            func coarsen(_ counts: [[String]: Int], from levels: [Int]) -> [[String]: Int] {
                var out: [[String]: Int] = [:]
                for (labels, n) in counts {
                    let key = labels.indices.map { q in
                        hierarchies[q].first { $0[levels[q]] == labels[q] }.map { $0[node[q]] } ?? "?"
                    }
                    out[key, default: 0] += n
                }
                return out
            }
            let ca = coarsen(countsA, from: levelsA), cb = coarsen(countsB, from: levelsB)
            for key in Set(ca.keys).union(cb.keys) {
                let d = (cb[key] ?? 0) - (ca[key] ?? 0)
                if d != 0 && abs(d) < k {
                    attack.classes.append("\(node) \(key): \(d)")
                    if node == floor { attack.isolated += abs(d) }
                }
            }
            guard let q = node.indices.first(where: { node[$0] < tops[$0] }) else { break }
            node[q] += 1
            for p in 0..<q { node[p] = floor[p] }
        }
        let cellsA = try cells(a), cellsB = try cells(b)
        // A combination left out of its file (resolution 1) had no record; a suppressed table cell is not known.
        func known(_ cells: [String: Int?], _ key: String) -> Int? {
            if let cell = cells[key] { return cell }
            return key.hasPrefix("c|") ? 0 : nil
        }
        for key in Set(cellsA.keys).union(cellsB.keys) {
            guard let x = known(cellsA, key), let y = known(cellsB, key) else { continue }
            if x != y && abs(x - y) < k { attack.cells.append("\(key): \(x) → \(y)") }
        }
        return attack
    }

    /// A release's transformation (from its report) and its class counts (from its records file).
    static func published(_ release: String) throws -> ([Int], [[String]: Int]) {
        let report = try json(release + "/report.json")
        let transformation = try #require(report["transformation"] as? [String: Int])
        let levels = quasiIdentifiers.map { transformation[$0] ?? 0 }
        let rows = try readSimpleCSV(release + "/anonymized.csv", delimiter: ",")
        let header = rows[0]
        let columns = try quasiIdentifiers.map { name in try #require(header.firstIndex(of: name)) }
        var counts: [[String]: Int] = [:]
        for row in rows.dropFirst() { counts[columns.map { row[$0] }, default: 0] += 1 }
        return (levels, counts)
    }

    /// The aggregate cells: "c|combination" for the combinations file, "t|file|row" for a table's cells
    /// (nil when suppressed).
    static func cells(_ release: String) throws -> [String: Int?] {
        var out: [String: Int?] = [:]
        let folder = release + "/aggregates"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".csv") {
            let rows = try readSimpleCSV(folder + "/" + file, delimiter: ",")
            for row in rows.dropFirst() {
                if file == "combinations.csv" {
                    out["c|" + row[0]] = Int(row[2])
                } else {
                    out["t|\(file)|" + row.dropLast().joined(separator: ",")] = Int(row.last!)
                }
            }
        }
        return out
    }
}
