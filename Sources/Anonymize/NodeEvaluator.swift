/// Groups the tuple histogram at one transformation and scores the result.
///
/// Each distinct tuple's generalised codes are packed into one mixed-radix `UInt64`, which is an
/// exact key, and counted in an open-addressing table that is reused across nodes: a stamp per slot
/// stands in for clearing the table, which would otherwise cost as much as the counting.
struct NodeEvaluator {
    let hierarchies: [Hierarchy]
    let width: Int
    let tupleCount: Int
    let codes: [UInt32]
    let counts: [Int]
    let records: Int
    let k: Int
    let maxSuppressed: Int
    /// `groupLoss[i][level][group]`: (c − 1) ÷ (d − 1).
    let groupLoss: [[[Double]]]
    /// `unsuppressedLoss[i][level]`: Σ over records of their loss at that level, before suppression.
    let unsuppressedLoss: [[Double]]

    private var slotKeys: [UInt64]
    private var slotStamps: [UInt32]
    private var slotClass: [Int32]
    private var stamp: UInt32 = 0
    private let mask: Int
    /// Per tuple, its class at the last evaluated node.
    private(set) var classOf: [Int32]
    private(set) var classSize: [Int] = []
    private var classFirstTuple: [Int] = []

    init(hierarchies: [Hierarchy], histogram: TupleHistogram, k: Int, maxSuppressed: Int) {
        self.hierarchies = hierarchies
        width = histogram.width
        tupleCount = histogram.tupleCount
        codes = histogram.codes
        counts = histogram.counts
        records = histogram.recordCount
        self.k = k
        self.maxSuppressed = maxSuppressed
        groupLoss = hierarchies.map { h in
            (0..<h.levelCount).map { level in (0..<h.labels[level].count).map { h.loss(level: level, group: UInt32($0)) } }
        }
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
        var size = 64
        while size < histogram.tupleCount * 2 { size <<= 1 }
        slotKeys = [UInt64](repeating: 0, count: size)
        slotStamps = [UInt32](repeating: 0, count: size)
        slotClass = [Int32](repeating: 0, count: size)
        mask = size - 1
        classOf = [Int32](repeating: 0, count: histogram.tupleCount)
    }

    /// ARX's Loss per attribute if nothing were suppressed: a lower bound for this node and every
    /// generalisation of it, since generalising or suppressing a record never lowers its loss.
    func lossLowerBound(_ levels: [Int]) -> Double {
        guard records > 0 else { return 0 }
        return Metric.combinedLoss(levels.indices.map { unsuppressedLoss[$0][levels[$0]] / Double(records) })
    }

    /// Groups the tuples at `levels`, filling `classOf` and `classSize`.
    mutating func groupify(_ levels: [Int]) {
        var radix: [UInt64] = []
        var multiplier: UInt64 = 1
        var packable = true
        for i in (0..<width).reversed() {
            radix.append(multiplier)
            let (m, overflow) = multiplier.multipliedReportingOverflow(by: UInt64(hierarchies[i].labels[levels[i]].count))
            if overflow { packable = false; break }
            multiplier = m
        }
        radix.reverse()
        classSize.removeAll(keepingCapacity: true)
        classFirstTuple.removeAll(keepingCapacity: true)
        if !packable {
            groupifyUnpacked(levels)
            return
        }
        stamp &+= 1
        if stamp == 0 {
            for s in slotStamps.indices { slotStamps[s] = 0 }
            stamp = 1
        }
        let maps = (0..<width).map { hierarchies[$0].map[levels[$0]] }
        let w = width
        let currentStamp = stamp
        let mask = self.mask
        var sizes = classSize
        var firsts = classFirstTuple
        codes.withUnsafeBufferPointer { codes in
        counts.withUnsafeBufferPointer { counts in
        slotKeys.withUnsafeMutableBufferPointer { keys in
        slotStamps.withUnsafeMutableBufferPointer { stamps in
        slotClass.withUnsafeMutableBufferPointer { slotClass in
        classOf.withUnsafeMutableBufferPointer { classOf in
            for t in 0..<tupleCount {
                var key: UInt64 = 0
                let base = t * w
                for i in 0..<w { key &+= radix[i] &* UInt64(maps[i][Int(codes[base + i])]) }
                var slot = Int(truncatingIfNeeded: ByteHash.finish(key)) & mask
                while true {
                    if stamps[slot] != currentStamp {
                        stamps[slot] = currentStamp
                        keys[slot] = key
                        let c = Int32(sizes.count)
                        slotClass[slot] = c
                        sizes.append(counts[t])
                        firsts.append(t)
                        classOf[t] = c
                        break
                    }
                    if keys[slot] == key {
                        let c = slotClass[slot]
                        sizes[Int(c)] += counts[t]
                        classOf[t] = c
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }}}}}}
        classSize = sizes
        classFirstTuple = firsts
    }

    /// The general path, for lattices whose generalised domains do not fit one 64-bit key.
    private mutating func groupifyUnpacked(_ levels: [Int]) {
        var classes = TupleHistogram(width: width)
        var tuple = [UInt32](repeating: 0, count: width)
        for t in 0..<tupleCount {
            for i in 0..<width { tuple[i] = hierarchies[i].map[levels[i]][Int(codes[t * width + i])] }
            let c = tuple.withUnsafeBufferPointer { classes.add($0, multiplicity: counts[t]) }
            if c == classFirstTuple.count { classFirstTuple.append(t) }
            classOf[t] = Int32(c)
        }
        classSize = classes.counts
    }

    /// Groups, suppresses the classes smaller than k, and scores the result.
    mutating func evaluate(_ levels: [Int], metric: Metric) -> NodeEvaluation {
        groupify(levels)
        var suppressed = 0
        var suppressedLoss = [Double](repeating: 0, count: width)
        var published = 0
        var smallest = Int.max
        var squares = 0.0
        for c in classSize.indices {
            let size = classSize[c]
            if size < k {
                suppressed += size
                let t = classFirstTuple[c]
                for i in 0..<width {
                    let group = hierarchies[i].map[levels[i]][Int(codes[t * width + i])]
                    suppressedLoss[i] += Double(size) * groupLoss[i][levels[i]][Int(group)]
                }
            } else {
                published += 1
                smallest = min(smallest, size)
                squares += Double(size) * Double(size)
            }
        }
        let n = Double(max(records, 1))
        let attributeLoss = (0..<width).map { i in
            hierarchies[i].rawCount > 1
                ? (unsuppressedLoss[i][levels[i]] - suppressedLoss[i] + Double(suppressed)) / n : 0
        }
        let loss = Metric.combinedLoss(attributeLoss)
        let discernibility = squares + Double(records) * Double(suppressed)
        return NodeEvaluation(
            levels: levels, suppressed: suppressed, publishedClasses: published,
            smallestClass: published == 0 ? 0 : smallest,
            metricValue: metric == .loss ? loss : discernibility,
            attributeLoss: attributeLoss, informationLoss: loss, discernibility: discernibility)
    }

    /// Per tuple, whether its records are suppressed at `levels`.
    mutating func suppressedTuples(_ levels: [Int]) -> [Bool] {
        groupify(levels)
        return (0..<tupleCount).map { classSize[Int(classOf[$0])] < k }
    }

    /// Class sizes at the last grouping, for a lower bound of discernibility.
    var classCount: Int { classSize.count }
}
