@testable import Export
import Foundation
import Tabular
import TestSupport
import Testing

/// The row sorter alone: its order is a function of the rows, not of the order they came in, with
/// or without spilling; it groups classes in ascending order; it tells where tagged rows went; and
/// it holds back exactly the quota, newcomers first.
@Suite struct RowOrderSorterTests {
    struct Row: Hashable {
        var cells: [String]
        var key: [UInt8] { RowOrderKey.classKey(cells.map { Array($0.utf8) }) }
        var extra: String
        var bytes: [UInt8] { Array((cells + [extra]).joined(separator: ",").utf8) + [10] }
    }

    static let header: [UInt8] = Array("a,b,c\n".utf8)

    /// Random rows over few classes, with duplicates, and cells whose plain join would collide
    /// (`ab` + `c` and `a` + `bc`), so that only the length prefix keeps those classes apart.
    static func rows(_ count: Int, seed: UInt64) -> [Row] {
        var g = SplitMix64(seed: seed)
        let firsts = ["a", "ab", "b", "", "zz"]
        let seconds = ["bc", "c", "", "1", "12"]
        return (0..<count).map { _ in
            Row(cells: [firsts.randomElement(using: &g)!, seconds.randomElement(using: &g)!],
                extra: String(Int.random(in: 0..<40, using: &g)))
        }
    }

    static func sort(_ rows: [Row], memory: Int, tags: Bool = false, scratch: Scratch, holdBack: [[UInt8]: Int] = [:],
                     previous: String? = nil) throws -> (bytes: [UInt8], result: RowSorter.Result) {
        let path = scratch.path("out-\(UUID().uuidString).csv")
        try Data(header).write(to: URL(fileURLWithPath: path))
        let sorter = RowSorter(scratch: scratch.path("sort"), memoryLimit: memory)
        for (i, row) in rows.enumerated() { try sorter.add(classKey: row.key, row: row.bytes, tag: tags ? i : -1) }
        let result = try sorter.finish(into: path, headerRows: 1, holdBack: holdBack, previousRelease: previous)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("sort")), "the scratch directory is removed")
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), result)
    }

    static func records(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 10, omittingEmptySubsequences: false).dropLast().map { Array($0) + [10] }
    }

    @Test(arguments: [1 << 20, 300, 40])
    func permutingTheRowsGivesTheSameFile(memory: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // 40 bytes a run spills every row or two: several merge rounds of at most 64 runs.
        let rows = Self.rows(memory == 40 ? 300 : 500, seed: 7)
        let reference = try Self.sort(rows, memory: 1 << 20, scratch: scratch).bytes
        var g = SplitMix64(seed: UInt64(memory))
        for _ in 0..<3 {
            let shuffled = rows.shuffled(using: &g)
            #expect(try Self.sort(shuffled, memory: memory, scratch: scratch).bytes == reference)
        }
        // Every row once, after the header.
        #expect(Array(reference.prefix(Self.header.count)) == Self.header)
        let written = Self.records(Array(reference.dropFirst(Self.header.count)))
        #expect(written.sorted { $0.lexicographicallyPrecedes($1) } == rows.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func classesAreContiguousAndAscend() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = Self.rows(400, seed: 11)
        let keyOf = Dictionary(rows.map { ($0.bytes, $0.key) }, uniquingKeysWith: { a, _ in a })
        let written = Self.records(Array(try Self.sort(rows, memory: 500, scratch: scratch).bytes.dropFirst(Self.header.count)))
        let keys = written.map { keyOf[$0]! }
        for i in keys.indices.dropFirst() {
            #expect(!keys[i].lexicographicallyPrecedes(keys[i - 1]), "row \(i + 1) has a smaller class than the row before it")
        }
        #expect(Set(keys).count == Set(rows.map(\.key)).count)
        // The length prefix keeps `ab`+`c` and `a`+`bc` apart.
        #expect(Row(cells: ["ab", "c"], extra: "").key != Row(cells: ["a", "bc"], extra: "").key)
        // Within a class the order is not the input's: sorted by the rows' bytes instead, some class
        // of this size would come out differently under a keyed hash.
        var byBytes = true
        for i in keys.indices.dropFirst() where keys[i] == keys[i - 1] && written[i].lexicographicallyPrecedes(written[i - 1]) { byBytes = false }
        #expect(!byBytes, "the order within classes is by the hash, not the bytes")
    }

    @Test(arguments: [1 << 20, 64])
    func taggedRowsAreFoundWhereTheyWereWritten(memory: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = Self.rows(300, seed: 3).enumerated().map { i, r in Row(cells: r.cells, extra: "id\(i)") }
        let (bytes, result) = try Self.sort(rows, memory: memory, tags: true, scratch: scratch)
        let written = Self.records(Array(bytes.dropFirst(Self.header.count)))
        #expect(result.written == rows.count && result.heldBack == 0 && result.rowOfTag.count == rows.count)
        for (tag, row) in result.rowOfTag { #expect(written[row - 1] == rows[tag].bytes) }
    }

    @Test(arguments: [1 << 20, 64])
    func holdBackTakesTheQuotaFromNewcomersFirst(memory: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let old = (0..<6).map { Row(cells: ["a", "x"], extra: "old\($0)") } + (0..<3).map { Row(cells: ["b", "y"], extra: "old\($0)") }
        let new = (0..<2).map { Row(cells: ["a", "x"], extra: "new\($0)") } + (0..<4).map { Row(cells: ["b", "y"], extra: "new\($0)") }
        // A duplicate of an old row: one copy is old, the other new.
        let twin = Row(cells: ["a", "x"], extra: "old0")
        let previousPath = scratch.path("previous.csv")
        try Data(Self.header + old.flatMap(\.bytes) + Row(cells: ["c", "z"], extra: "gone").bytes).write(to: URL(fileURLWithPath: previousPath))
        let a = Row(cells: ["a", "x"], extra: "").key, b = Row(cells: ["b", "y"], extra: "").key
        var g = SplitMix64(seed: 5)
        let rows = (old + new + [twin]).shuffled(using: &g)
        // Class a: 3 newcomers (two new rows and the twin), quota 5 takes them and 2 old rows.
        // Class b: 4 newcomers, quota 2 takes 2 of them.
        let (bytes, result) = try Self.sort(rows, memory: memory, scratch: scratch, holdBack: [a: 5, b: 2], previous: previousPath)
        let written = Self.records(Array(bytes.dropFirst(Self.header.count)))
        #expect(result.heldBack == 7 && result.written == rows.count - 7 && written.count == result.written)
        let count = { (row: Row) in written.filter { $0 == row.bytes }.count }
        #expect(new.prefix(2).allSatisfy { count($0) == 0 }, "class a's newcomers are all held back")
        // Of two identical rows where the previous release had one, one is a newcomer and held back.
        #expect(count(twin) <= 1)
        #expect(written.filter { r in old.prefix(6).contains { $0.bytes == r } }.count == 4, "class a keeps 4 of its old rows")
        #expect(old.suffix(3).allSatisfy { count($0) == 1 }, "class b keeps every old row")
        #expect(new.suffix(4).filter { count($0) == 1 }.count == 2)
        // Newcomers first in merge order: those of class b held back are the first two it would write.
        let (all, _) = try Self.sort(rows, memory: memory, scratch: scratch)
        let bOrder = Self.records(Array(all.dropFirst(Self.header.count))).filter { r in new.suffix(4).contains { $0.bytes == r } }
        #expect(bOrder.prefix(2).allSatisfy { r in !written.contains(r) } && bOrder.suffix(2).allSatisfy { r in written.contains(r) })
        // Without a previous release, the first rows of the class in merge order.
        let (plain, plainResult) = try Self.sort(rows, memory: memory, scratch: scratch, holdBack: [b: 3])
        let allB = Self.records(Array(all.dropFirst(Self.header.count))).filter { r in (old + new).contains { $0.bytes == r && $0.key == b } }
        #expect(plainResult.heldBack == 3)
        #expect(allB.prefix(3).allSatisfy { r in !Self.records(plain).contains(r) })
    }

    @Test func aQuotaLargerThanItsClassOrAMismatchedPreviousFileIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = (0..<3).map { Row(cells: ["a", "x"], extra: "\($0)") }
        let a = rows[0].key
        #expect(throws: ExportError.self) { try Self.sort(rows, memory: 1 << 20, scratch: scratch, holdBack: [a: 4]) }
        #expect(throws: ExportError.self) {
            try Self.sort(rows, memory: 1 << 20, scratch: scratch, holdBack: [Row(cells: ["q", "x"], extra: "").key: 1])
        }
        let previous = try scratch.write("previous.csv", "a,b,other\n")
        #expect(throws: ExportError.self) { try Self.sort(rows, memory: 1 << 20, scratch: scratch, holdBack: [a: 1], previous: previous) }
        #expect(try Self.sort(rows, memory: 1 << 20, scratch: scratch, holdBack: [a: 3]).result.written == 0)
    }
}

/// The order within a class is HMAC-SHA-256 as swift-crypto computes it, keyed or not.
@Suite struct RowOrderHashTests {
    @Test func theWrittenOutHMACIsSwiftCryptosHMAC() {
        var g = SplitMix64(seed: 21)
        // A key as long as a block and one longer, which is hashed first.
        for key in [nil, RowOrderKey.testKey(count: 32), RowOrderKey.testKey(count: 64), RowOrderKey.testKey(count: 100)] {
            let hash = RowOrderHash(key: key)
            for length in [0, 1, 55, 64, 65, 300] {
                let row = (0..<length).map { _ in UInt8.random(in: 0...255, using: &g) }
                #expect(row.withUnsafeBytes { hash($0) } == RowOrderHash.reference(key: key, row), "length \(length)")
            }
        }
    }
}
