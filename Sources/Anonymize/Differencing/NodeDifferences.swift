/// One common class whose difference offends: the node it was found at, an entry inside it
/// (for its labels and its key), and the difference.
struct Offence {
    var node: [Int]
    var entry: Int
    var key: Int
    var difference: Int
}

extension CommonCoarsening {
    typealias NodeClass = (key: Int, difference: Int, entry: Int)

    /// Difference per common class at `node`, with an entry inside each class and its key.
    func differences(at node: [Int], current: [Int]) -> [NodeClass] {
        let (keys, space) = keys(at: node)
        return sum((0..<entryCount).map { (keys[$0], current[$0] - earlierPerEntry[$0], $0) }, space: space)
    }

    /// Adds up the differences of equal keys, keeping the first entry of each.
    private func sum(_ parts: [NodeClass], space: Int?) -> [NodeClass] {
        var classes: [NodeClass] = []
        if let space {
            var slot = [Int](repeating: -1, count: space)
            for p in parts {
                if slot[p.key] < 0 { slot[p.key] = classes.count; classes.append(p) } else { classes[slot[p.key]].difference += p.difference }
            }
            return classes
        }
        var slot: [Int: Int] = [:]
        for p in parts {
            if let at = slot[p.key] { classes[at].difference += p.difference } else { slot[p.key] = classes.count; classes.append(p) }
        }
        return classes
    }

    /// Every node's classes, finest node first. In a tree each node's classes are the sums of a
    /// finer node's (one level less on one quasi-identifier), which has fewer classes than there
    /// are entries; otherwise each node is summed from the entries.
    func forEachTable(current: [Int], _ body: ([Int], [NodeClass]) -> Void) {
        var tables: [[Int]: [NodeClass]] = [:]
        forEachNode { node in
            var table: [NodeClass]
            if isTree, let first = node.firstIndex(where: { $0 > 0 }), let (strides, space) = strides(at: node) {
                var finer = node
                finer[first] -= 1
                table = sum(tables[finer, default: differences(at: finer, current: current)].map {
                    (key(of: $0.entry, at: node, strides: strides), $0.difference, $0.entry)
                }, space: space)
            } else {
                table = differences(at: node, current: current)
            }
            if isTree { tables[node] = table }
            body(node, table)
        }
    }

    /// Every offending class at every node, finest node first, then by labels.
    func offences(current: [Int], k: Int) -> [Offence] {
        guard k > 1 else { return [] }
        // Every class at every node sums entries' differences; when each is 0 or ≥ k no sum can
        // be between 1 and k − 1. A negative one can cancel a positive one, so then check all.
        let safe = (0..<entryCount).allSatisfy { e in
            let d = current[e] - earlierPerEntry[e]
            return d == 0 || d >= k
        }
        if safe { return [] }
        var found: [Offence] = []
        forEachTable(current: current) { node, table in
            var here: [Offence] = []
            for c in table where (1...(k - 1)).contains(abs(c.difference)) {
                here.append(Offence(node: node, entry: c.entry, key: c.key, difference: c.difference))
            }
            found += here.sorted { precedes($0.entry, $1.entry, at: node) }
        }
        return found
    }

    /// The smallest non-zero |difference| at any node.
    func smallest(current: [Int]) -> Int? {
        let perEntry = (0..<entryCount).map { current[$0] - earlierPerEntry[$0] }
        var best: Int? = nil
        // Differences that are all ≥ 0 only add up: no sum is smaller than the smallest entry's,
        // so when the finest node shows that one, no other node can go below it.
        if perEntry.allSatisfy({ $0 >= 0 }) {
            guard let floor = perEntry.filter({ $0 > 0 }).min() else { return nil }
            let finest = differences(at: [Int](repeating: 0, count: width), current: current)
            if finest.contains(where: { $0.difference == floor }) { return floor }
        }
        forEachTable(current: current) { _, table in
            for c in table where c.difference != 0 {
                best = min(best ?? .max, abs(c.difference))
            }
        }
        return best
    }
}
