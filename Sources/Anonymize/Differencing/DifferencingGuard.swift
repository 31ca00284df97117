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
/// k − 1 records. (Interface fixed here; the search and the hold-back plan are filled in.)
public enum DifferencingGuard {
    /// Every offending class over every common coarsening of the two releases.
    public static func findings(earlier: ReleaseClasses, current: ReleaseClasses, k: Int) -> [DifferenceFinding] {
        preconditionFailure("not built yet")
    }

    /// The smallest non-zero |difference| over every common coarsening, or nil when the two agree everywhere.
    public static func smallestDifference(earlier: ReleaseClasses, current: ReleaseClasses) -> Int? {
        preconditionFailure("not built yet")
    }

    /// Records to hold back per class of `current` (keyed by its label tuple) so that no comparison
    /// with any of `earlier` offends, or nil when that would hold back more than `limit` records.
    /// `wholeClassesOnly`: hold back whole classes only (a privacy model reads sensitive values, and
    /// a partly held-back class might no longer satisfy it). Every class left published keeps ≥ k records.
    public static func holdBack(earlier: [ReleaseClasses], current: ReleaseClasses, k: Int, limit: Int,
                                wholeClassesOnly: Bool) -> [[String]: Int]? {
        preconditionFailure("not built yet")
    }
}

/// The aggregate cells two releases published, compared cell by cell.
public enum CellDifferences {
    /// Keys of the cells whose published values differ by between 1 and k − 1 (either sign). A cell
    /// absent from one release counts as 0 there; a suppressed cell (nil) is not compared.
    public static func offending(earlier: [String: Int?], current: [String: Int?], k: Int) -> [String] {
        preconditionFailure("not built yet")
    }
}
