import Export
import Foundation
import TestSupport
import Testing

/// Kills `htdx anonymize` at every numbered crash point (``Crash``) while it publishes a release
/// with its history, and checks after each kill that the release and the history end in step: once
/// the next start (here `htdx verify --history`) has settled a pending entry, the history's last
/// entry describes the release in place, there is exactly one entry per release published, and
/// no pending entry is left.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct HistoryKillTests {
    func exercise(fallback: Bool) throws {
        let f = try HistoryFixture()
        defer { f.scratch.remove() }
        // Two releases whose classes differ by k, so that each may follow the other.
        let inputs = [try f.data("a"), try f.data("b", extra: [("Female", 21), ("Female", 25), ("Female", 27)])]
        var published = 0
        var current: Int?
        var kills = 0
        // The first publication (no history yet, a plain rename), then replacements: each
        // numbered point in turn, until a run passes them all.
        for phase in ["first publication", "replacement"] {
            var n = 1
            while n < 100 {
                let next = current.map { 1 - $0 } ?? 0
                var environment = ["HTDX_CRASH_AT": String(n)]
                if fallback { environment["HTDX_REFUSE_EXCHANGE"] = "1" }
                let killed = try f.cli(inputs[next], environment: environment).status != 0
                kills += killed ? 1 : 0
                let point = "\(phase), point \(n)"
                let pending = f.files("out/release.history").filter { $0.hasSuffix(".pending") }
                #expect(pending.count <= 1, "\(point): \(pending)")
                if f.manifestSHA256() == nil {
                    // No release in place: a first publication killed before its rename, or the
                    // fallback between its two renames; the next run puts things back.
                    #expect(published == 0 || fallback, "\(point): the release is missing")
                    n += 1
                    continue
                }
                let verified = try f.verify()
                #expect(verified.status == 0, "\(point): \(verified.stderr)")
                let entries = try f.entries()
                let changed = entries.count > published
                #expect(entries.count == published + (changed ? 1 : 0), "\(point): \(entries.count) entries after \(published)")
                #expect(entries.last?.manifestSHA256 == f.manifestSHA256(), "\(point): the last entry is not the release in place")
                #expect(!f.files("out/release.history").contains { $0.hasSuffix(".pending") }, "\(point): a pending entry is left")
                if changed {
                    published += 1
                    current = next
                }
                if !killed { break }
                n += 1
            }
            #expect(n > 5, "\(phase): too few crash points were reached (\(n))")
        }
        #expect(kills >= 10, "too few runs were killed: \(kills)")
        #expect(published >= 2)
    }

    @Test func killedAtAnyPointTheReleaseAndTheHistoryEndInStep() throws {
        try exercise(fallback: false)
    }

    @Test func theTwoRenameFallbackKeepsTheHistoryInStepToo() throws {
        try exercise(fallback: true)
    }
}
