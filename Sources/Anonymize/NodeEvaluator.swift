/// Groups the tuple histogram at one transformation and scores the result.
///
/// Each distinct tuple's generalised codes are packed into one mixed-radix `UInt64`, an exact key,
/// and counted in an open-addressing table that is reused across nodes: a stamp per slot stands in
/// for clearing the table, which would otherwise cost as much as the counting. Radices come from
/// the raw domain sizes, so one key space serves every node and each attribute's contribution to a
/// key can be tabulated once per level.
///
/// The hot tables are raw allocations owned by this class and reached through `let` pointers:
/// array properties cost a uniqueness check on every write inside the loop, which measured at
/// three times the cost of the counting itself.
final class NodeEvaluator {
    let hierarchies: [Hierarchy]
    let width: Int
    let tupleCount: Int
    let records: Int
    let k: Int
    /// `unsuppressedLoss[i][level]`: Σ over records of their loss at that level, before suppression.
    let unsuppressedLoss: [[Double]]

    private let codes: UnsafeMutablePointer<UInt32>
    private let counts: UnsafeMutablePointer<Int>
    /// `offsets[i][level]` is where attribute `i`'s tables for `level` start in the two below.
    private let offsets: [[Int]]
    /// Raw code → its group at a level times the attribute's radix; nil if keys cannot be packed.
    private let keyPart: UnsafeMutablePointer<UInt64>?
    /// Raw code → (c − 1) ÷ (d − 1) of its group at a level.
    private let lossOf: UnsafeMutablePointer<Double>
    private let tableSize: Int

    /// One cache line holds four slots; key, stamp and class side by side cost one miss, not three.
    private struct Slot {
        var key: UInt64
        var stamp: UInt32
        var classIndex: Int32
    }
    private let slots: UnsafeMutablePointer<Slot>
    private let mask: Int
    private var stamp: UInt32 = 0
    /// Per tuple, its class at the last grouping.
    private let classOf: UnsafeMutablePointer<Int32>
    private let classSize: UnsafeMutablePointer<Int>
    private let classFirstTuple: UnsafeMutablePointer<Int>
    private(set) var classCount = 0

    init(hierarchies: [Hierarchy], histogram: TupleHistogram, k: Int) {
        self.hierarchies = hierarchies
        width = histogram.width
        tupleCount = histogram.tupleCount
        records = histogram.recordCount
        self.k = k
        codes = .allocate(capacity: max(1, histogram.codes.count))
        _ = UnsafeMutableBufferPointer(start: codes, count: histogram.codes.count).initialize(from: histogram.codes)
        counts = .allocate(capacity: max(1, tupleCount))
        _ = UnsafeMutableBufferPointer(start: counts, count: tupleCount).initialize(from: histogram.counts)

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
        var offsets: [[Int]] = []
        var size = 0
        for h in hierarchies {
            offsets.append((0..<h.levelCount).map { level in size + level * h.rawCount })
            size += h.levelCount * h.rawCount
        }
        self.offsets = offsets
        tableSize = size
        lossOf = .allocate(capacity: max(1, size))
        keyPart = packable ? .allocate(capacity: max(1, size)) : nil
        for (i, h) in hierarchies.enumerated() {
            for level in 0..<h.levelCount {
                for r in 0..<h.rawCount {
                    let group = h.map[level][r]
                    lossOf[offsets[i][level] + r] = h.loss(level: level, group: group)
                    keyPart?[offsets[i][level] + r] = UInt64(group) &* radix[i]
                }
            }
        }

        var slots = 64
        while slots < tupleCount * 2 { slots <<= 1 }
        mask = slots - 1
        self.slots = .allocate(capacity: slots)
        self.slots.initialize(repeating: Slot(key: 0, stamp: 0, classIndex: 0), count: slots)
        classOf = .allocate(capacity: max(1, tupleCount))
        classSize = .allocate(capacity: max(1, tupleCount))
        classFirstTuple = .allocate(capacity: max(1, tupleCount))
    }

    deinit {
        codes.deallocate()
        counts.deallocate()
        lossOf.deallocate()
        keyPart?.deallocate()
        slots.deallocate()
        classOf.deallocate()
        classSize.deallocate()
        classFirstTuple.deallocate()
    }

    /// ARX's Loss if nothing were suppressed: a lower bound for this node, since suppressing a
    /// record only raises its loss to 1.
    func lossLowerBound(_ levels: [Int]) -> Double {
        guard records > 0 else { return 0 }
        return Metric.combinedLoss(levels.indices.map { unsuppressedLoss[$0][levels[$0]] / Double(records) })
    }

    /// Groups the tuples at `levels`, filling the class tables.
    func groupify(_ levels: [Int]) {
        guard let keyPart else {
            groupifyUnpacked(levels)
            return
        }
        stamp &+= 1
        if stamp == 0 {
            slots.update(repeating: Slot(key: 0, stamp: 0, classIndex: 0), count: mask + 1)
            stamp = 1
        }
        let w = width
        let currentStamp = stamp
        let (codes, counts, slots) = (self.codes, self.counts, self.slots)
        let (classOf, classSize, classFirstTuple, mask) = (self.classOf, self.classSize, self.classFirstTuple, self.mask)
        var classes = 0
        let bases = (0..<w).map { offsets[$0][levels[$0]] }
        bases.withUnsafeBufferPointer { bases in
            var row = 0
            for t in 0..<tupleCount {
                var key: UInt64 = 0
                for i in 0..<w { key &+= keyPart[bases[i] + Int(codes[row + i])] }
                row += w
                var slot = Int(truncatingIfNeeded: ByteHash.finish(key)) & mask
                while true {
                    if slots[slot].stamp != currentStamp {
                        slots[slot] = Slot(key: key, stamp: currentStamp, classIndex: Int32(classes))
                        classSize[classes] = counts[t]
                        classFirstTuple[classes] = t
                        classOf[t] = Int32(classes)
                        classes += 1
                        break
                    }
                    if slots[slot].key == key {
                        let c = Int(slots[slot].classIndex)
                        classSize[c] += counts[t]
                        classOf[t] = Int32(c)
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        classCount = classes
    }

    /// The general path, for lattices whose raw domains do not fit one 64-bit key together.
    private func groupifyUnpacked(_ levels: [Int]) {
        var classes = TupleHistogram(width: width)
        var tuple = [UInt32](repeating: 0, count: width)
        for t in 0..<tupleCount {
            for i in 0..<width { tuple[i] = hierarchies[i].map[levels[i]][Int(codes[t * width + i])] }
            let before = classes.tupleCount
            let c = tuple.withUnsafeBufferPointer { classes.add($0, multiplicity: counts[t]) }
            if classes.tupleCount > before { classFirstTuple[c] = t }
            classOf[t] = Int32(c)
        }
        for c in 0..<classes.tupleCount { classSize[c] = classes.counts[c] }
        classCount = classes.tupleCount
    }

    /// Groups, suppresses the classes smaller than k, and scores the result.
    func evaluate(_ levels: [Int], metric: Metric) -> NodeEvaluation {
        groupify(levels)
        var suppressed = 0
        var suppressedLoss = [Double](repeating: 0, count: width)
        var published = 0
        var smallest = Int.max
        var squares = 0.0
        let bases = (0..<width).map { offsets[$0][levels[$0]] }
        for c in 0..<classCount {
            let size = classSize[c]
            if size < k {
                suppressed += size
                let row = classFirstTuple[c] * width
                for i in 0..<width {
                    suppressedLoss[i] += Double(size) * lossOf[bases[i] + Int(codes[row + i])]
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
    func suppressedTuples(_ levels: [Int]) -> [Bool] {
        groupify(levels)
        return (0..<tupleCount).map { classSize[Int(classOf[$0])] < k }
    }
}
