import Anonymize

/// The cells of an aggregate file about to be published that an earlier release makes unsafe:
/// those whose value differs from the value an earlier release published for the same cell of the
/// same file by 1 to k − 1, so that subtracting one from the other would isolate fewer than k
/// records. Every earlier release is compared, not only the last: differences need not add up
/// release by release.
public struct CellGuard {
    /// Keys of the cells of `current` whose values differ from `earlier`'s by 1 to k − 1; a cell
    /// absent from one side counts as 0 there, a `nil` (withheld) cell is not compared.
    public typealias Differences = (_ earlier: [String: Int?], _ current: [String: Int?], _ k: Int) -> [String]

    public let earlier: [PublishedCells]
    public let k: Int
    let differences: Differences

    /// `differences` is the differencing guard's comparison unless a caller brings its own.
    public init(earlier: [PublishedCells], k: Int, differences: @escaping Differences = CellDifferences.offending) {
        self.earlier = earlier
        self.k = k
        self.differences = differences
    }

    /// Whether any earlier release is compared at all.
    public var isActive: Bool { !earlier.isEmpty }

    /// The offending keys of `current`, the cells of `file`. A release that did not publish the
    /// file says nothing about its cells and is skipped.
    public func offending(in file: String, _ current: [String: Int?]) -> Set<String> {
        var keys: Set<String> = []
        for release in earlier {
            guard let cells = release[file] else { continue }
            keys.formUnion(differences(cells, current, k))
        }
        return keys
    }
}
