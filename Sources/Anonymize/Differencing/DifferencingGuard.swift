/// A class whose records changed between two releases by fewer than k: subtracting one release's
/// count from the other's isolates them.
public struct DifferenceFinding: Sendable, Equatable {
    /// The common coarsening: per quasi-identifier of the current release, the level compared.
    public var levels: [Int]
    /// The common class, one label per quasi-identifier of the current release.
    public var labels: [String]
    /// Records in the current release's class minus the earlier release's (either sign).
    public var difference: Int

    public init(levels: [Int], labels: [String], difference: Int) {
        self.levels = levels
        self.labels = labels
        self.difference = difference
    }
}

/// The differencing guard: compares a release about to be published with an earlier one at every
/// coarsening both can be mapped to, and finds the classes whose difference is between 1 and
/// k − 1 records.
///
/// The common coarsenings: a quasi-identifier both releases publish is compared at every level from
/// the coarser of the two published levels up to its top, or at its top only when the two ladders'
/// digests differ; one that only one release publishes is at its top (its counts summed). A label
/// missing from its ladder is the caller's error; it is treated as joining the top only (it stays a
/// class of its own below the top), so the guard still answers rather than trapping.
public enum DifferencingGuard {
    /// Every offending class over every common coarsening of the two releases, in a fixed order
    /// (coarsenings finest first, then by labels).
    public static func findings(earlier: ReleaseClasses, current: ReleaseClasses, k: Int) -> [DifferenceFinding] {
        let classes = sortedClasses(current)
        let common = CommonCoarsening(earlier: earlier, current: current, currentClasses: classes)
        return common.offences(current: common.currentPerEntry(classes.map { current.counts[$0]! }), k: k)
            .map { DifferenceFinding(levels: common.levels(at: $0.node), labels: common.labels(of: $0.entry, at: $0.node),
                                     difference: $0.difference) }
    }

    /// The smallest non-zero |difference| over every common coarsening, or nil when the two agree everywhere.
    public static func smallestDifference(earlier: ReleaseClasses, current: ReleaseClasses) -> Int? {
        let classes = sortedClasses(current)
        let common = CommonCoarsening(earlier: earlier, current: current, currentClasses: classes)
        return common.smallest(current: common.currentPerEntry(classes.map { current.counts[$0]! }))
    }

    /// The current release's label tuples in the order every plan and report follows.
    static func sortedClasses(_ release: ReleaseClasses) -> [[String]] {
        release.counts.keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Records to hold back per class of `current` (keyed by its label tuple) so that no comparison
    /// with any of `earlier` offends, or nil when that would hold back more than `limit` records.
    /// `wholeClassesOnly`: hold back whole classes only (a privacy model reads sensitive values, and
    /// a partly held-back class might no longer satisfy it). Every class left published keeps ≥ k records.
    public static func holdBack(earlier: [ReleaseClasses], current: ReleaseClasses, k: Int, limit: Int,
                                wholeClassesOnly: Bool) -> [[String]: Int]? {
        var planner = HoldBackPlanner(earlier: earlier, current: current, k: k, wholeClassesOnly: wholeClassesOnly)
        return planner.plan(limit: limit)
    }
}

/// The aggregate cells two releases published, compared cell by cell.
public enum CellDifferences {
    /// Keys of the cells whose published values differ by between 1 and k − 1 (either sign). A cell
    /// absent from one release counts as 0 there; a suppressed cell (nil) is not compared.
    public static func offending(earlier: [String: Int?], current: [String: Int?], k: Int) -> [String] {
        guard k > 1 else { return [] }
        return Set(earlier.keys).union(current.keys).filter { key in
            let before = earlier[key] ?? .some(0), after = current[key] ?? .some(0)
            guard let before, let after else { return false }
            return (1...(k - 1)).contains(abs(after - before))
        }.sorted()
    }
}
