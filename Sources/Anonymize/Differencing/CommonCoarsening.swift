/// Two releases aligned on their common coarsenings: for each quasi-identifier of the current
/// release, the levels both can be mapped to, and every class of either release reduced to a
/// "chain" per quasi-identifier (its labels at each of those levels). Counts are summed per
/// distinct tuple of chains (an entry) once; every coarsening is then summed from codes (see
/// `forEachTable`), never by re-reading the releases' labels.
struct CommonCoarsening {
    /// A label as mapped to one common level.
    private enum Mapped: Hashable {
        /// Every label of the quasi-identifier at its top: one class, whatever the ladders call it.
        case top
        case label(String)
        /// A label its ladder does not know: it stays itself below the top (kept apart from a
        /// known label spelled the same, which may sit at another level).
        case unmapped(String)
    }

    /// Per quasi-identifier of `current`: the levels compared, in the current release's numbering.
    let levels: [[Int]]
    /// Per quasi-identifier, per level index: the current release's label for each code.
    private(set) var labels: [[[String]]] = []
    /// Per quasi-identifier, per level index: chain code → code at that level.
    private(set) var codeAt: [[[Int]]] = []
    /// Entries' chain codes, `width` per entry.
    private(set) var chains: [Int] = []
    private(set) var entryCount = 0
    /// Each class of `currentClasses` → its entry.
    private(set) var currentEntry: [Int] = []
    /// Records of the earlier release per entry.
    private(set) var earlierPerEntry: [Int] = []
    private var strides: [Int]?
    /// Whether every label at a compared level has one label above it, so a class at a node lies
    /// inside one class at each coarser node (true of hierarchies, which are trees).
    private(set) var isTree = true
    var width: Int { levels.count }

    init(earlier: ReleaseClasses, current: ReleaseClasses, currentClasses: [[String]]) {
        var levels: [[Int]] = []
        var earlierLadder: [ReleaseClasses.Ladder?] = []
        for (i, name) in current.names.enumerated() {
            let mine = current.ladders[i]
            let theirs = earlier.names.firstIndex(of: name).map { earlier.ladders[$0] }
            earlierLadder.append(theirs)
            // Ladders built from different hierarchies may disagree on any label below the top.
            if let theirs, theirs.digest == mine.digest, max(mine.level, theirs.level) <= mine.top {
                levels.append(Array(max(mine.level, theirs.level)...mine.top))
            } else {
                levels.append([mine.top])
            }
        }
        self.levels = levels
        let n = levels.count
        var levelCodes = levels.map { $0.map { _ in [Mapped: Int]() } }
        var chainCodes = [[[Int]: Int]](repeating: [:], count: n)
        labels = levels.map { $0.map { _ in [String]() } }
        codeAt = levels.map { $0.map { _ in [Int]() } }
        let topLabels = current.ladders.map(Self.topLabel)

        func chain(_ label: String, qi i: Int, ladder: ReleaseClasses.Ladder) -> Int {
            var codes: [Int] = []
            for (li, level) in levels[i].enumerated() {
                let mapped = Self.map(label, ladder: ladder, to: level, top: current.ladders[i].top)
                if let code = levelCodes[i][li][mapped] { codes.append(code); continue }
                let code = labels[i][li].count
                levelCodes[i][li][mapped] = code
                switch mapped {
                case .top: labels[i][li].append(topLabels[i])
                case .label(let s), .unmapped(let s): labels[i][li].append(s)
                }
                codes.append(code)
            }
            if let code = chainCodes[i][codes] { return code }
            let code = chainCodes[i].count
            chainCodes[i][codes] = code
            for li in codes.indices { codeAt[i][li].append(codes[li]) }
            return code
        }

        var entries: [[Int]: Int] = [:]
        func entry(_ tuple: [Int]) -> Int {
            if let e = entries[tuple] { return e }
            entries[tuple] = entryCount
            chains.append(contentsOf: tuple)
            earlierPerEntry.append(0)
            entryCount += 1
            return entryCount - 1
        }

        var cache = [[String: Int]](repeating: [:], count: n)
        for tuple in currentClasses {
            let codes = (0..<n).map { i in
                if let c = cache[i][tuple[i]] { return c }
                let c = chain(tuple[i], qi: i, ladder: current.ladders[i])
                cache[i][tuple[i]] = c
                return c
            }
            currentEntry.append(entry(codes))
        }
        // Quasi-identifiers only the earlier release has are at their top: they drop out.
        let positions = current.names.map { earlier.names.firstIndex(of: $0) }
        cache = [[String: Int]](repeating: [:], count: n)
        for (tuple, count) in earlier.counts {
            let codes = (0..<n).map { i -> Int in
                guard let j = positions[i], let ladder = earlierLadder[i] else {
                    return chain("", qi: i, ladder: current.ladders[i])  // maps to the top only
                }
                if let c = cache[i][tuple[j]] { return c }
                let c = chain(tuple[j], qi: i, ladder: ladder)
                cache[i][tuple[j]] = c
                return c
            }
            earlierPerEntry[entry(codes)] += count
        }

        // Codes numbered in label order, so that ordering classes by codes orders them by labels.
        for i in 0..<n {
            for li in levels[i].indices {
                let order = labels[i][li].indices.sorted { (labels[i][li][$0], $0) < (labels[i][li][$1], $1) }
                var rank = [Int](repeating: 0, count: order.count)
                for (r, old) in order.enumerated() { rank[old] = r }
                labels[i][li] = order.map { labels[i][li][$0] }
                codeAt[i][li] = codeAt[i][li].map { rank[$0] }
            }
        }

        // One Int per class at every node, when the codes' mixed radix fits.
        var strides: [Int]? = []
        var product = 1
        for i in 0..<n {
            strides?.append(product)
            let radix = max(1, labels[i].map(\.count).max() ?? 1)
            let (next, overflow) = product.multipliedReportingOverflow(by: radix)
            if overflow { strides = nil; break }
            product = next
        }
        self.strides = strides
        for i in 0..<n {
            for li in levels[i].indices.dropFirst() {
                var parent = [Int](repeating: -1, count: labels[i][li - 1].count)
                for (below, above) in zip(codeAt[i][li - 1], codeAt[i][li]) {
                    if parent[below] < 0 { parent[below] = above } else if parent[below] != above { isTree = false }
                }
            }
        }
    }

    /// The label `label` takes at `level`, through its ladder.
    private static func map(_ label: String, ladder: ReleaseClasses.Ladder, to level: Int, top: Int) -> Mapped {
        if level >= top || level >= ladder.top { return .top }
        let step = level - ladder.level
        guard step >= 0, let up = ladder.ancestors[label], step < up.count else { return .unmapped(label) }
        return .label(up[step])
    }

    /// The label the current release's ladder gives its top (`*` when no ladder reaches it).
    private static func topLabel(_ ladder: ReleaseClasses.Ladder) -> String {
        let steps = ladder.top - ladder.level
        return ladder.ancestors.values.first { $0.count == steps + 1 }?.last ?? "*"
    }

    /// Every node (a level index per quasi-identifier), finest first, in a fixed order.
    func forEachNode(_ body: ([Int]) -> Void) {
        var node = [Int](repeating: 0, count: width)
        while true {
            body(node)
            var i = width - 1
            while i >= 0 {
                node[i] += 1
                if node[i] < levels[i].count { break }
                node[i] = 0
                i -= 1
            }
            if i < 0 { return }
        }
    }

    /// The class key of every entry at `node`: equal keys, same common class. `space`, when the
    /// node's labels number few enough, bounds the keys, so callers can count in an array.
    func keys(at node: [Int]) -> (keys: [Int], space: Int?) {
        var keys = [Int](repeating: 0, count: entryCount)
        if let (strides, space) = strides(at: node) {
            for e in 0..<entryCount { keys[e] = key(of: e, at: node, strides: strides) }
            return (keys, space)
        }
        // Too many labels for one Int: number the classes pairwise instead.
        var seen: [Int: Int] = [:]
        for e in 0..<entryCount {
            var key = 0
            for i in 0..<width {
                let pair = key &* 1_000_003 &+ codeAt[i][node[i]][chains[e * width + i]]
                key = seen[pair] ?? { let k = seen.count; seen[pair] = k; return k }()
            }
            keys[e] = key
        }
        return (keys, nil)
    }

    /// How to make one Int of a class's codes at `node`, and the bound of those Ints when they
    /// are few enough to count in an array; nil when no Int holds them.
    func strides(at node: [Int]) -> (strides: [Int], space: Int?)? {
        var nodeStrides: [Int] = []
        var product = 1
        for i in 0..<width {
            nodeStrides.append(product)
            let (next, overflow) = product.multipliedReportingOverflow(by: max(1, labels[i][node[i]].count))
            product = overflow ? .max : next
        }
        if product <= max(1 << 20, 4 * entryCount) { return (nodeStrides, product) }
        return strides.map { ($0, nil) }
    }

    func key(of entry: Int, at node: [Int], strides: [Int]) -> Int {
        var key = 0
        for i in 0..<width { key += codeAt[i][node[i]][chains[entry * width + i]] * strides[i] }
        return key
    }

    /// Current release's records per entry, from its per-class counts (in `currentClasses` order).
    func currentPerEntry(_ counts: [Int]) -> [Int] {
        var perEntry = [Int](repeating: 0, count: entryCount)
        for (c, e) in currentEntry.enumerated() { perEntry[e] += counts[c] }
        return perEntry
    }

    /// The common class's labels at `node`, in the current release's terms, for an entry in it.
    func labels(of entry: Int, at node: [Int]) -> [String] {
        (0..<width).map { labels[$0][node[$0]][codeAt[$0][node[$0]][chains[entry * width + $0]]] }
    }

    func levels(at node: [Int]) -> [Int] { (0..<width).map { levels[$0][node[$0]] } }

    /// Whether entry `a`'s common class at `node` comes before entry `b`'s in label order.
    func precedes(_ a: Int, _ b: Int, at node: [Int]) -> Bool {
        for i in 0..<width {
            let x = codeAt[i][node[i]][chains[a * width + i]], y = codeAt[i][node[i]][chains[b * width + i]]
            if x != y { return x < y }
        }
        return false
    }
}
