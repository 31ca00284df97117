/// One common class whose difference offends: the node it was found at, an entry inside it
/// (for its labels and its key), and the difference.
struct Offence {
    var node: [Int]
    var entry: Int
    var key: Int
    var difference: Int
}

extension CommonCoarsening {
    /// Difference per common class at `node`, with an entry inside each class and its key.
    func differences(at node: [Int], current: [Int]) -> [(key: Int, difference: Int, entry: Int)] {
        let (keys, space) = keys(at: node)
        var classes: [(key: Int, difference: Int, entry: Int)] = []
        if let space {
            var slot = [Int](repeating: -1, count: space)
            for e in 0..<entryCount {
                let d = current[e] - earlierPerEntry[e]
                if slot[keys[e]] < 0 { slot[keys[e]] = classes.count; classes.append((keys[e], d, e)) }
                else { classes[slot[keys[e]]].difference += d }
            }
            return classes
        }
        var slot: [Int: Int] = [:]
        for e in 0..<entryCount {
            let d = current[e] - earlierPerEntry[e]
            if let at = slot[keys[e]] { classes[at].difference += d }
            else { slot[keys[e]] = classes.count; classes.append((keys[e], d, e)) }
        }
        return classes
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
        forEachNode { node in
            var here: [Offence] = []
            for c in differences(at: node, current: current) where (1...(k - 1)).contains(abs(c.difference)) {
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
        forEachNode { node in
            for c in differences(at: node, current: current) where c.difference != 0 {
                best = min(best ?? .max, abs(c.difference))
            }
        }
        return best
    }
}
