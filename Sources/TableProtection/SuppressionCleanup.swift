/// Drops secondary suppressions that turned out not to be needed, costliest first.
///
/// Boxes are chosen one primary cell at a time, so a box chosen early can be made redundant by
/// later ones. Every suppressed cell is kept with a witness: a ``Hypercube`` box of suppressed
/// cells, wide enough on the true counts, through it. A secondary cell can be published again if
/// every cell whose witness uses it finds another such box without it. Margins go first (they
/// are sums, the costliest to lose), then large counts.
///
/// Only runs when every suppressed cell has a box witness to begin with: a cell protected some
/// other way (by the linear programme alone) could depend on any cell, and is not tracked.
struct SuppressionCleanup {
    let shape: TableShape
    let counts: [Int]
    let threshold: Int

    func removeRedundant(from suppressed: inout Set<Int>, keeping primary: Set<Int>) {
        var witness: [Int: [Int]] = [:]
        var usedBy: [Int: Set<Int>] = [:]
        for c in suppressed {
            guard let box = box(through: c, within: suppressed) else { return }
            witness[c] = box
            for corner in box { usedBy[corner, default: []].insert(c) }
        }
        let candidates = suppressed.subtracting(primary).sorted {
            (-shape.marginDegree($0), -counts[$0], $0) < (-shape.marginDegree($1), -counts[$1], $1)
        }
        for c in candidates {
            var without = suppressed
            without.remove(c)
            var replacements: [Int: [Int]] = [:]
            for user in usedBy[c, default: []] where user != c {
                guard let box = box(through: user, within: without) else { break }
                replacements[user] = box
            }
            guard replacements.count == usedBy[c, default: []].subtracting([c]).count else { continue }
            suppressed = without
            for corner in witness[c]! { usedBy[corner]?.remove(c) }
            witness[c] = nil
            for (user, box) in replacements {
                for corner in witness[user]! { usedBy[corner]?.remove(user) }
                witness[user] = box
                for corner in box { usedBy[corner, default: []].insert(user) }
            }
        }
    }

    /// The first box through `cell` with every corner in `set` and wide enough on the true counts.
    private func box(through cell: Int, within set: Set<Int>) -> [Int]? {
        Hypercube(shape: shape).firstBox(through: cell, corners: { set.contains($0) }, values: { counts[$0] - 1 },
                                         threshold: threshold)?.corners
    }
}
