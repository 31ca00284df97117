/// A generalisation hierarchy: for each raw value, its more general value at each level.
///
/// Level 0 is the raw value itself; the last level is usually `*`. Values are dictionary-encoded:
/// raw value `r` is code `r`, and at level `l` it becomes group `map[l][r]`, whose label is
/// `labels[l][group]` and which covers `coverage[l][group]` raw values (the `c` of ARX's Loss).
///
/// The hierarchy must be functional: two raw values that share a group at level `l` share a group at
/// every higher level. Without that, generalising could split a class, and the search's pruning by
/// monotonicity would be wrong.
public struct Hierarchy: Sendable, Equatable {
    /// Number of levels, counting level 0.
    public let levelCount: Int
    public let rawValues: [String]
    /// `map[level][rawCode]` is the group code at that level.
    public let map: [[UInt32]]
    /// `labels[level][group]` is the published text of a group.
    public let labels: [[String]]
    /// `coverage[level][group]` is the number of raw values the group covers.
    public let coverage: [[Int]]

    public var rawCount: Int { rawValues.count }
    public var maxLevel: Int { levelCount - 1 }

    /// Builds a hierarchy from rows of `raw, level1, …`; every row must have the same length.
    public init(rows: [[String]]) throws(HierarchyError) {
        guard let width = rows.first?.count, width >= 1 else { throw HierarchyError(row: 0, problem: .empty) }
        var rawIndex: [String: Int] = [:]
        rawIndex.reserveCapacity(rows.count)
        for (r, row) in rows.enumerated() {
            guard row.count == width else {
                throw HierarchyError(row: r, problem: .inconsistentLevels(expected: width, found: row.count))
            }
            if let first = rawIndex[row[0]] {
                throw HierarchyError(row: r, problem: .duplicateRawValue(row[0], firstRow: first))
            }
            rawIndex[row[0]] = r
        }
        var map: [[UInt32]] = []
        var labels: [[String]] = []
        var coverage: [[Int]] = []
        for level in 0..<width {
            var groupOf: [String: UInt32] = [:]
            var levelMap = [UInt32](repeating: 0, count: rows.count)
            var levelLabels: [String] = []
            var levelCoverage: [Int] = []
            for (r, row) in rows.enumerated() {
                let label = row[level]
                let group: UInt32
                if let g = groupOf[label] {
                    group = g
                } else {
                    group = UInt32(levelLabels.count)
                    groupOf[label] = group
                    levelLabels.append(label)
                    levelCoverage.append(0)
                }
                levelMap[r] = group
                levelCoverage[Int(group)] += 1
            }
            if level > 0 {
                var parent = [Int](repeating: -1, count: labels[level - 1].count)
                for r in rows.indices {
                    let child = Int(map[level - 1][r])
                    let here = Int(levelMap[r])
                    if parent[child] == -1 {
                        parent[child] = here
                    } else if parent[child] != here {
                        throw HierarchyError(row: r, problem: .notFunctional(
                            value: labels[level - 1][child], level: level - 1,
                            parents: [levelLabels[parent[child]], levelLabels[here]]))
                    }
                }
            }
            map.append(levelMap)
            labels.append(levelLabels)
            coverage.append(levelCoverage)
        }
        self.levelCount = width
        self.rawValues = rows.map { $0[0] }
        self.map = map
        self.labels = labels
        self.coverage = coverage
    }

    /// The share of information a group at `level` loses: (c − 1) ÷ (d − 1), ARX's Loss for one value.
    public func loss(level: Int, group: UInt32) -> Double {
        guard rawCount > 1 else { return 0 }
        return Double(coverage[level][Int(group)] - 1) / Double(rawCount - 1)
    }
}

public struct HierarchyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case empty
        case inconsistentLevels(expected: Int, found: Int)
        case duplicateRawValue(String, firstRow: Int)
        case notFunctional(value: String, level: Int, parents: [String])
        case invalidDefinition(String)
    }
    /// The 0-based row of the hierarchy table where the problem shows.
    public var row: Int
    public var problem: Problem

    public init(row: Int, problem: Problem) {
        self.row = row
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .empty:
            return "the hierarchy has no rows; it needs one row per raw value"
        case .inconsistentLevels(let expected, let found):
            return "this row has \(found) levels but the first row has \(expected); every row needs the same number"
        // The values are not repeated: the table may not be a hierarchy at all, and its rows end up in logs.
        case .duplicateRawValue(_, let firstRow):
            return "this row's raw value (its first column) is also on row \(firstRow + 1); list each raw value once"
        case .notFunctional(_, let level, _):
            return "this row's value in column \(level + 1) generalises, in column \(level + 2), to something other than "
                + "an earlier row with the same value does; each value must have one parent"
        case .invalidDefinition(let message):
            return message
        }
    }
}
