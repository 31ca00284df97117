/// The classes one release published, as the release history keeps them: for each
/// quasi-identifier its name and how its published labels coarsen, and the number of records
/// published under each combination of labels. Labels and counts only, never a record.
public struct ReleaseClasses: Sendable, Equatable {
    /// How one quasi-identifier's published labels coarsen, up to its hierarchy's top.
    public struct Ladder: Sendable, Equatable {
        /// The level the release published.
        public var level: Int
        /// The hierarchy's top level (its single label, usually `*`).
        public var top: Int
        /// The SHA-256 of the hierarchy's rows: two releases whose digests differ are compared
        /// only where their labels cannot disagree, at the top.
        public var digest: String
        /// Each published label → its labels from `level` up to `top` (first element: itself).
        /// A blanked cell (``blank``) stays itself below the top, and joins the top there.
        public var ancestors: [String: [String]]

        public init(level: Int, top: Int, digest: String, ancestors: [String: [String]]) {
            self.level = level
            self.top = top
            self.digest = digest
            self.ancestors = ancestors
        }
    }

    /// The quasi-identifiers' names, in the order of each label tuple.
    public var names: [String]
    public var ladders: [Ladder]
    /// Published label tuple (one label per quasi-identifier) → records published with it.
    public var counts: [[String]: Int]

    public init(names: [String], ladders: [Ladder], counts: [[String]: Int]) {
        self.names = names
        self.ladders = ladders
        self.counts = counts
    }
}
