import Anonymize
import Foundation
import Testing
import TestSupport

/// The guard's cost on a release shaped like CTDC's: six quasi-identifiers, ladders of 3 to 5
/// levels, some thousands of classes, against ten earlier releases. Run on demand (in a release
/// build) with HTDX_GUARD_COST=1; it prints the time.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HTDX_GUARD_COST"] != nil, "set HTDX_GUARD_COST=1"))
struct DifferencingCostTests {
    @Test func guardAgainstTenEarlierReleases() {
        var rng = SplitMix64(seed: 0xC7DC)
        // (values, top): age, gender, citizenship, year, exploitation type, means of control.
        let shape = [(40, 4), (3, 1), (30, 3), (12, 3), (6, 2), (8, 2)]
        let attributes = shape.enumerated().map { i, s in
            DifferencingWorld.Attribute(name: "q\(i)", rows: DifferencingWorld.hierarchy(name: "q\(i)", values: s.0, top: s.1, rng: &rng),
                                        digest: "q\(i)")
        }
        // Skewed values, as real case records are: small indices are common.
        func value(_ n: Int) -> Int { (0..<3).map { _ in Int.random(in: 0..<n, using: &rng) }.min()! }
        var world = DifferencingWorld(attributes: attributes, records: (0..<200_000).map { _ in shape.map { value($0.0) } })
        let k = 5, published = [3, 0, 2, 1, 0, 1]
        var earlier: [ReleaseClasses] = []
        for r in 0..<10 {
            // Most releases keep the transformation; some chose a coarser one.
            let levels = r % 4 == 3 ? published.map { $0 + 1 } : published
            earlier.append(world.release(levels: levels, k: k))
            // A year: 5,000 new cases, 1% of records corrected (one field), 0.2% withdrawn.
            var next: [[Int]] = []
            for var record in world.records {
                let roll = Int.random(in: 0..<1000, using: &rng)
                if roll < 2 { continue }
                if roll < 12 {
                    let a = Int.random(in: shape.indices, using: &rng)
                    record[a] = value(shape[a].0)
                }
                next.append(record)
            }
            world.records = next + (0..<5_000).map { _ in shape.map { value($0.0) } }
        }
        let current = world.release(levels: published, k: k)
        let clock = ContinuousClock()
        var findings = 0
        let searched = clock.measure {
            for e in earlier { findings += DifferencingGuard.findings(earlier: e, current: current, k: k).count }
        }
        var plan: [[String]: Int]? = nil
        let planned = clock.measure {
            plan = DifferencingGuard.holdBack(earlier: earlier, current: current, k: k, limit: .max, wholeClassesOnly: false)
        }
        var latest: [[String]: Int]? = nil
        let againstLatest = clock.measure {
            latest = DifferencingGuard.holdBack(earlier: [earlier[9]], current: current, k: k, limit: .max, wholeClassesOnly: false)
        }
        let held = plan?.values.reduce(0, +) ?? -1
        print("guard cost: \(current.counts.count) classes, \(current.counts.values.reduce(0, +)) records; " +
              "findings against 10 earlier releases: \(findings) in \(searched); " +
              "holdBack: \(plan?.count ?? -1) classes, \(held) records in \(planned); " +
              "against the latest release only: \(latest?.values.reduce(0, +) ?? -1) records in \(againstLatest)")
        #expect(plan != nil)
    }
}
