import Anonymize
import Export
import Foundation
import TestSupport
import Testing

/// The history directory on disk: what it accepts as a history, how an entry goes from pending to
/// in place, and what a kill leaves for the next start to settle.
@Suite struct HistoryStoreTests {
    static func entry(_ sequence: Int, manifest: String) -> HistoryEntry {
        let classes = ReleaseClasses(
            names: ["gender", "age"],
            ladders: [.init(level: 0, top: 1, digest: "g", ancestors: ["Female": ["Female", "*"], "Male": ["Male", "*"]]),
                      .init(level: 1, top: 2, digest: "a", ancestors: ["20-29": ["20-29", "*"], "30-39": ["30-39", "*"]])],
            counts: [["Female", "20-29"]: 4, ["Male", "30-39"]: 5])
        return HistoryEntry(sequence: sequence, date: "2026-01-0\(sequence)T00:00:00Z", policySHA256: "p", jobSHA256: nil,
                            manifestSHA256: manifest, k: 3,
                            transformation: [.init(name: "gender", level: 0), .init(name: "age", level: 1)], classes: classes,
                            aggregates: ["aggregates/combinations.csv": ["gender:Female": 10, "gender:Male": nil]],
                            heldBack: .init(records: 1, classes: 1))
    }

    @Test func anAbsentOrEmptyDirectoryOrAMarkedOneIsAHistoryAndNothingElseIs() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try ReleaseHistory.state(of: scratch.path("none")) == .absent)
        try FileManager.default.createDirectory(atPath: scratch.path("empty"), withIntermediateDirectories: true)
        #expect(try ReleaseHistory.state(of: scratch.path("empty")) == .empty)
        try scratch.write("other/notes.txt", "mine")
        #expect(throws: HistoryError.self) { try ReleaseHistory.state(of: scratch.path("other")) }
        try scratch.write("file", "x")
        #expect(throws: HistoryError.self) { try ReleaseHistory.state(of: scratch.path("file")) }
        _ = try ReleaseHistory(path: scratch.path("h")).writePending(Self.entry(1, manifest: "m1"))
        #expect(try ReleaseHistory.state(of: scratch.path("h")) == .history)
    }

    @Test func aPendingEntryIsInvisibleUntilCompletedAndRoundTripsExactly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let history = ReleaseHistory(path: scratch.path("h"))
        let written = Self.entry(1, manifest: "m1")
        let pending = try history.writePending(written)
        #expect(pending.hasSuffix(".pending"))
        #expect(try history.entries().isEmpty)
        // A preview sees the pending entry of the release that is published, and only that one.
        #expect(try history.entries(includingPendingOf: "m1") == [written])
        #expect(try history.entries(includingPendingOf: "other").isEmpty)
        try history.complete(pending)
        let read = try history.entries()
        #expect(read == [written])
        #expect(read[0].releaseClasses.counts == [["Female", "20-29"]: 4, ["Male", "30-39"]: 5])
        #expect(read[0].aggregateCells["aggregates/combinations.csv"]?["gender:Male"] == .some(nil))
        #expect(read[0].aggregateCells["aggregates/combinations.csv"]?["gender:Female"] == .some(10))
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.path("h"))[.posixPermissions] as? Int
        #expect(mode == 0o700, "the history is private to its owner")
    }

    @Test func recoveryCompletesThePublishedReleasesEntryAndRemovesOnlyOtherPendingEntries() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let history = ReleaseHistory(path: scratch.path("h"))
        try history.complete(try history.writePending(Self.entry(1, manifest: "m1")))
        // Killed after delivering release 2: its entry is pending, and the output holds it.
        _ = try history.writePending(Self.entry(2, manifest: "m2"))
        try scratch.write("h/notes.txt", "an operator's file")
        #expect(try history.recover(publishedManifestSHA256: "m2").map(\.sequence) == [2])
        #expect(try history.entries().map(\.manifestSHA256) == ["m1", "m2"])
        // Killed before delivering release 3: the output still holds release 2.
        _ = try history.writePending(Self.entry(3, manifest: "m3"))
        #expect(try history.recover(publishedManifestSHA256: "m2").isEmpty)
        #expect(try history.entries().map(\.manifestSHA256) == ["m1", "m2"])
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.path("h")).sorted()
        #expect(names == ["htdx-history.json", "notes.txt", "release-000001.json", "release-000002.json"])
    }

    @Test func oneRunAtATimeHoldsTheHistory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let history = ReleaseHistory(path: scratch.path("h"))
        var held: ReleaseHistory.Lock? = try history.lock()
        #expect(held != nil)
        #expect(try ReleaseHistory.state(of: scratch.path("h")) == .history)
        #expect(throws: HistoryError.self) { _ = try history.lock() }
        held = nil
        #expect(throws: Never.self) { _ = try history.lock() }
    }

    @Test func aHistoryWithAMissingEntryOrAForeignEntryIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let history = ReleaseHistory(path: scratch.path("h"))
        try history.complete(try history.writePending(Self.entry(1, manifest: "m1")))
        try history.complete(try history.writePending(Self.entry(3, manifest: "m3")))
        #expect(throws: HistoryError.self) { try history.entries() }
        try FileManager.default.removeItem(atPath: scratch.path("h/release-000003.json"))
        try scratch.write("h/release-000002.json", "{\"format\": \"something else\"}")
        #expect(throws: HistoryError.self) { try history.entries() }
    }
}
