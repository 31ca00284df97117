import Tabular
/// Groups the tuple histogram at one transformation and scores the result.
///
/// Each tuple's generalised codes are packed into one mixed-radix `UInt64`, an exact key, and
/// counted in an open-addressing table that is reused across nodes: a stamp per slot stands in for
/// clearing it. Radices come from the raw domain sizes, so one key space serves every node, and
/// each attribute's contribution to a key is tabulated once per pair of levels.
///
/// A node's classes are themselves a histogram from which any generalisation of the node can be
/// counted, because hierarchies are functional. So evaluated nodes' classes are kept, within a
/// memory budget, and a node is counted from the smallest kept histogram below it rather than
/// from the raw tuples: near the top of the lattice that is a few hundred classes instead of
/// tens of thousands of tuples (ARX keeps such "snapshots" for the same reason).
///
/// The hot tables are raw allocations reached through `let` pointers: array properties cost a
/// uniqueness check on every write inside the loop, measured at three times the counting itself.
final class NodeEvaluator {
    let hierarchies: [Hierarchy]
    let width: Int
    let records: Int
    /// Classes smaller than this are suppressed whatever else the models say.
    let minimumClassSize: Int
    /// Judges classes against models that read more than the size; nil when only size matters.
    private let judge: ClassJudge?
    /// Each quasi-identifier's weight in the combined loss; nil for equal weights.
    let weights: [Double]?
    /// `unsuppressedLoss[i][level]`: Σ over records of their loss at that level, before suppression.
    let unsuppressedLoss: [[Double]]

    /// A histogram at some levels: the raw tuples, or the classes of an evaluated node.
    final class Source {
        let levels: [Int]
        let codes: [UInt32]
        let counts: [Int]
        var lastUse = 0
        var count: Int { counts.count }
        init(levels: [Int], codes: [UInt32], counts: [Int]) {
            self.levels = levels
            self.codes = codes
            self.counts = counts
        }
    }

    private let raw: Source
    private let rawOrder: [Int]
    private var kept: [Source] = []
    private var keptCodes = 0
    private let keptBudget: Int
    private var clock = 0

    /// `transition[i][from][to]` is where attribute `i`'s tables from level `from` to level `to`
    /// start in the three tables below, each indexed by a group code at `from`.
    private let transition: [[[Int]]]
    /// Group at `to` times the attribute's radix; nil when the raw domains do not fit 64 bits.
    private let keyPart: UnsafeMutablePointer<UInt64>?
    private let groupAt: UnsafeMutablePointer<UInt32>
    /// (c − 1) ÷ (d − 1) of the group at `to`.
    private let lossAt: UnsafeMutablePointer<Double>

    /// One cache line holds four slots; key, stamp and class side by side cost one miss, not three.
    private struct Slot {
        var key: UInt64
        var stamp: UInt32
        var classIndex: Int32
    }
    private let slots: UnsafeMutablePointer<Slot>
    private let mask: Int
    private var stamp: UInt32 = 0
    private let classOf: UnsafeMutablePointer<Int32>
    private let classSize: UnsafeMutablePointer<Int>
    private let classFirst: UnsafeMutablePointer<Int>
    private let classFails: UnsafeMutablePointer<Bool>
    private(set) var classCount = 0

    init(hierarchies: [Hierarchy], histogram: TupleHistogram, models: PrivacyModels,
         sensitive: [SensitiveHistogram] = [], weights: [Double]? = nil) {
        self.hierarchies = hierarchies
        width = histogram.width
        records = histogram.recordCount
        minimumClassSize = models.minimumClassSize
        self.weights = weights
        // Sorted, tuples that share generalised values sit together, so the counting table's
        // slots are mostly found in cache; `rawOrder` maps back to the histogram's indices.
        let w = histogram.width
        let order = (0..<histogram.tupleCount).sorted { a, b in
            for i in 0..<w where histogram.codes[a * w + i] != histogram.codes[b * w + i] {
                return histogram.codes[a * w + i] < histogram.codes[b * w + i]
            }
            return a < b
        }
        rawOrder = order
        judge = models.models.allSatisfy({ $0 is KAnonymity }) ? nil
            : ClassJudge(models: models.models, sensitive: sensitive, rawOrder: order)
        var sortedCodes = [UInt32]()
        sortedCodes.reserveCapacity(histogram.codes.count)
        for t in order { sortedCodes.append(contentsOf: histogram.codes[(t * w)..<((t + 1) * w)]) }
        raw = Source(levels: [Int](repeating: 0, count: w), codes: sortedCodes, counts: order.map { histogram.counts[$0] })
        keptBudget = max(1 << 21, 4 * histogram.codes.count)

        var unsuppressed: [[Double]] = []
        for (i, h) in hierarchies.enumerated() {
            var perRaw = [Int](repeating: 0, count: h.rawCount)
            for t in 0..<histogram.tupleCount { perRaw[Int(histogram.codes[t * histogram.width + i])] += histogram.counts[t] }
            unsuppressed.append((0..<h.levelCount).map { level in
                var sum = 0.0
                for r in 0..<h.rawCount where perRaw[r] > 0 {
                    sum += Double(perRaw[r]) * h.loss(level: level, group: h.map[level][r])
                }
                return sum
            })
        }
        unsuppressedLoss = unsuppressed

        var radix = [UInt64](repeating: 1, count: hierarchies.count)
        var packable = true
        var product: UInt64 = 1
        for i in hierarchies.indices.reversed() {
            radix[i] = product
            let (m, overflow) = product.multipliedReportingOverflow(by: UInt64(max(1, hierarchies[i].rawCount)))
            if overflow { packable = false; break }
            product = m
        }
        var transition: [[[Int]]] = []
        var size = 0
        for h in hierarchies {
            transition.append((0..<h.levelCount).map { from in
                (0..<h.levelCount).map { to in
                    guard from <= to else { return -1 }
                    defer { size += h.labels[from].count }
                    return size
                }
            })
        }
        self.transition = transition
        groupAt = .allocate(capacity: max(1, size))
        lossAt = .allocate(capacity: max(1, size))
        keyPart = packable ? .allocate(capacity: max(1, size)) : nil
        for (i, h) in hierarchies.enumerated() {
            for from in 0..<h.levelCount {
                // A representative raw value of each group at `from` carries it up the hierarchy.
                var representative = [Int](repeating: 0, count: h.labels[from].count)
                for r in (0..<h.rawCount).reversed() { representative[Int(h.map[from][r])] = r }
                for to in from..<h.levelCount {
                    let base = transition[i][from][to]
                    for g in 0..<h.labels[from].count {
                        let group = h.map[to][representative[g]]
                        groupAt[base + g] = group
                        lossAt[base + g] = h.loss(level: to, group: group)
                        keyPart?[base + g] = UInt64(group) &* radix[i]
                    }
                }
            }
        }

        var slotCount = 64
        while slotCount < histogram.tupleCount * 2 { slotCount <<= 1 }
        mask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(key: 0, stamp: 0, classIndex: 0), count: slotCount)
        let tuples = max(1, histogram.tupleCount)
        classOf = .allocate(capacity: tuples)
        classSize = .allocate(capacity: tuples)
        classFirst = .allocate(capacity: tuples)
        classFails = .allocate(capacity: tuples)
    }

    deinit {
        groupAt.deallocate()
        lossAt.deallocate()
        keyPart?.deallocate()
        slots.deallocate()
        classOf.deallocate()
        classSize.deallocate()
        classFirst.deallocate()
        classFails.deallocate()
    }

    /// The smallest kept histogram at or below `levels`.
    private func source(for levels: [Int]) -> Source {
        var best = raw
        for s in kept where s.count < best.count {
            var below = true
            for i in 0..<width where s.levels[i] > levels[i] { below = false; break }
            if below { best = s }
        }
        clock += 1
        best.lastUse = clock
        return best
    }

    /// Groups `source` at `levels`, filling the class tables; `classOf` only when asked.
    private func groupify(_ levels: [Int], from source: Source, recordingClasses: Bool) {
        let bases = (0..<width).map { transition[$0][source.levels[$0]][levels[$0]] }
        guard let keyPart else {
            groupifyUnpacked(bases: bases, from: source)
            return
        }
        stamp &+= 1
        if stamp == 0 {
            slots.update(repeating: Slot(key: 0, stamp: 0, classIndex: 0), count: mask + 1)
            stamp = 1
        }
        let w = width
        let currentStamp = stamp
        let (slots, classOf, classSize, classFirst, mask) = (self.slots, self.classOf, self.classSize, self.classFirst, self.mask)
        var classes = 0
        bases.withUnsafeBufferPointer { bases in
        source.codes.withUnsafeBufferPointer { codes in
        source.counts.withUnsafeBufferPointer { counts in
            var row = 0
            for t in 0..<counts.count {
                var key: UInt64 = 0
                for i in 0..<w { key &+= keyPart[bases[i] + Int(codes[row + i])] }
                row += w
                var slot = Int(truncatingIfNeeded: ByteHash.finish(key)) & mask
                var c: Int
                while true {
                    if slots[slot].stamp != currentStamp {
                        slots[slot] = Slot(key: key, stamp: currentStamp, classIndex: Int32(classes))
                        c = classes
                        classSize[c] = counts[t]
                        classFirst[c] = t
                        classes += 1
                        break
                    }
                    if slots[slot].key == key {
                        c = Int(slots[slot].classIndex)
                        classSize[c] += counts[t]
                        break
                    }
                    slot = (slot + 1) & mask
                }
                if recordingClasses { classOf[t] = Int32(c) }
            }
        }}}
        classCount = classes
    }

    /// The general path, for raw domains too large to pack into one 64-bit key together.
    private func groupifyUnpacked(bases: [Int], from source: Source) {
        var classes = TupleHistogram(width: width)
        var tuple = [UInt32](repeating: 0, count: width)
        for t in 0..<source.count {
            for i in 0..<width { tuple[i] = groupAt[bases[i] + Int(source.codes[t * width + i])] }
            let before = classes.tupleCount
            let c = tuple.withUnsafeBufferPointer { classes.add($0, multiplicity: source.counts[t]) }
            if classes.tupleCount > before { classFirst[c] = t }
            classOf[t] = Int32(c)
        }
        for c in 0..<classes.tupleCount { classSize[c] = classes.counts[c] }
        classCount = classes.tupleCount
    }

    /// Marks the classes just counted that the models refuse. Models that read sensitive values
    /// need the classes of the raw tuples, so their groupings are counted from the raw histogram.
    private func judgeClasses() {
        if let judge {
            judge.judge(classCount: classCount, classSize: classSize, classOf: classOf, into: classFails)
            for c in 0..<classCount where classSize[c] < minimumClassSize { classFails[c] = true }
        } else {
            for c in 0..<classCount { classFails[c] = classSize[c] < minimumClassSize }
        }
    }

    /// Groups, suppresses the classes the models refuse, and scores the result.
    func evaluate(_ levels: [Int], metric: Metric) -> NodeEvaluation {
        let source = judge == nil ? source(for: levels) : raw
        groupify(levels, from: source, recordingClasses: judge != nil)
        judgeClasses()
        var suppressed = 0
        var suppressedBySize = 0
        var suppressedLoss = [Double](repeating: 0, count: width)
        var published = 0
        var smallest = Int.max
        var squares = 0.0
        let bases = (0..<width).map { transition[$0][source.levels[$0]][levels[$0]] }
        source.codes.withUnsafeBufferPointer { codes in
            for c in 0..<classCount {
                let size = classSize[c]
                if classFails[c] {
                    suppressed += size
                    if size < minimumClassSize { suppressedBySize += size }
                    let row = classFirst[c] * width
                    for i in 0..<width {
                        suppressedLoss[i] += Double(size) * lossAt[bases[i] + Int(codes[row + i])]
                    }
                } else {
                    published += 1
                    smallest = min(smallest, size)
                    squares += Double(size) * Double(size)
                }
            }
        }
        if judge == nil { keep(levels, from: source, bases: bases) }
        let n = Double(max(records, 1))
        let attributeLoss = (0..<width).map { i in
            hierarchies[i].rawCount > 1
                ? (unsuppressedLoss[i][levels[i]] - suppressedLoss[i] + Double(suppressed)) / n : 0
        }
        let loss = Metric.combinedLoss(attributeLoss, weights: weights)
        let discernibility = squares + Double(records) * Double(suppressed)
        return NodeEvaluation(
            levels: levels, suppressed: suppressed, suppressedBySize: suppressedBySize, publishedClasses: published,
            smallestClass: published == 0 ? 0 : smallest,
            metricValue: metric == .loss ? loss : discernibility,
            attributeLoss: attributeLoss, informationLoss: loss, discernibility: discernibility)
    }

    /// Keeps the classes just counted as a histogram for the nodes above, when they are a real
    /// reduction, evicting the least recently used within the budget.
    private func keep(_ levels: [Int], from source: Source, bases: [Int]) {
        let classes = classCount
        guard classes * 2 <= source.count, classes * width <= keptBudget / 4 else { return }
        var codes = [UInt32](repeating: 0, count: classes * width)
        source.codes.withUnsafeBufferPointer { sourceCodes in
            for c in 0..<classes {
                let row = classFirst[c] * width
                for i in 0..<width { codes[c * width + i] = groupAt[bases[i] + Int(sourceCodes[row + i])] }
            }
        }
        let counts = Array(UnsafeBufferPointer(start: classSize, count: classes))
        while keptCodes + codes.count > keptBudget, let oldest = kept.indices.min(by: { kept[$0].lastUse < kept[$1].lastUse }) {
            keptCodes -= kept[oldest].codes.count
            kept.remove(at: oldest)
        }
        let s = Source(levels: levels, codes: codes, counts: counts)
        clock += 1
        s.lastUse = clock
        kept.append(s)
        keptCodes += codes.count
    }

    /// Per raw tuple, whether its records are suppressed at `levels`.
    func suppressedTuples(_ levels: [Int]) -> [Bool] {
        groupify(levels, from: raw, recordingClasses: true)
        judgeClasses()
        var result = [Bool](repeating: false, count: raw.count)
        for (position, t) in rawOrder.enumerated() { result[t] = classFails[Int(classOf[position])] }
        return result
    }
}
