/// Works out which of the current release's records to hold back so that no comparison with an
/// earlier release offends. Greedy and deterministic: every step fixes one offending common class,
/// comparisons are repeated until none offends (a step can make another class offend, e.g. holding
/// back a whole class turns +1 into −(k − 1)), and the plan only grows, so it ends.
struct HoldBackPlanner {
    private let classes: [[String]]
    private let counts: [Int]
    private let comparisons: [CommonCoarsening]
    private let k: Int
    private let wholeClassesOnly: Bool
    /// Records held back per class of `classes`.
    private var held: [Int]
    private var total = 0

    init(earlier: [ReleaseClasses], current: ReleaseClasses, k: Int, wholeClassesOnly: Bool) {
        let classes = DifferencingGuard.sortedClasses(current)
        self.classes = classes
        counts = classes.map { current.counts[$0]! }
        comparisons = earlier.map { CommonCoarsening(earlier: $0, current: current, currentClasses: classes) }
        self.k = k
        self.wholeClassesOnly = wholeClassesOnly
        held = [Int](repeating: 0, count: classes.count)
    }

    private func remaining(_ c: Int) -> Int { counts[c] - held[c] }

    /// The plan (class → records held back), [:] when nothing offends, nil when it would exceed
    /// `limit` or some offending class cannot be fixed by holding back (its earlier count alone is
    /// between 1 and k − 1).
    mutating func plan(limit: Int) -> [[String]: Int]? {
        var changed = true
        while changed {
            changed = false
            for common in comparisons {
                let offences = common.offences(current: common.currentPerEntry(counts.indices.map(remaining)), k: k)
                var i = 0
                while i < offences.count {
                    // Offences come grouped by node; the node's classes are worked out once.
                    let node = offences[i].node
                    let keys = common.keys(at: node).keys
                    var slot: [Int: Int] = [:]
                    for o in offences[i...] { if o.node != node { break }; slot[o.key] = slot.count }
                    // Only the offending classes' members and earlier counts are needed.
                    var members = [[Int]](repeating: [], count: slot.count)
                    for (c, e) in common.currentEntry.enumerated() { if let s = slot[keys[e]] { members[s].append(c) } }
                    var earlierSum = [Int](repeating: 0, count: slot.count)
                    for e in 0..<common.entryCount { if let s = slot[keys[e]] { earlierSum[s] += common.earlierPerEntry[e] } }
                    while i < offences.count, offences[i].node == node {
                        let s = slot[offences[i].key]!
                        i += 1
                        let inside = members[s]
                        let d = inside.reduce(0) { $0 + remaining($1) } - earlierSum[s]
                        guard (1...(k - 1)).contains(abs(d)) else { continue }  // an earlier step fixed it
                        guard take(d > 0 ? d : k + d, from: inside) else { return nil }
                        if total > limit { return nil }
                        changed = true
                    }
                }
            }
        }
        var plan: [[String]: Int] = [:]
        for (c, n) in held.enumerated() where n > 0 { plan[classes[c]] = n }
        return plan
    }

    /// Holds back at least `need` records from `inside` (class indices in label order); false when
    /// nothing is left there to hold back.
    private mutating func take(_ need: Int, from inside: [Int]) -> Bool {
        var need = need
        let before = total
        if !wholeClassesOnly {
            // Records above k first, from the classes with most of them: each class stays ≥ k.
            let spare = inside.filter { remaining($0) > k }.sorted { remaining($0) - k > remaining($1) - k }
            for c in spare where need > 0 {
                let n = min(need, remaining(c) - k)
                held[c] += n; total += n; need -= n
            }
        }
        // Then whole classes, smallest first, so as to overshoot least.
        let whole = inside.filter { remaining($0) > 0 }.sorted { remaining($0) < remaining($1) }
        for c in whole where need > 0 {
            let n = remaining(c)
            held[c] += n; total += n; need -= n
        }
        return total > before
    }
}
