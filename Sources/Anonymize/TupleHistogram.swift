import Tabular
/// Counts the records that share each combination of quasi-identifier codes.
///
/// This is all the search ever sees of the data, so memory follows the number of distinct
/// combinations, never the number of records. Tuples are stored flat, `width` codes each, in the
/// order they were first seen; a tuple's position is its stable index.
public struct TupleHistogram: Sendable {
    public let width: Int
    /// `codes[t * width + i]` is the raw code of quasi-identifier `i` in tuple `t`.
    public private(set) var codes: [UInt32] = []
    /// `counts[t]` is the number of records with tuple `t`.
    public private(set) var counts: [Int] = []
    private var slots: [Int32]
    private var mask: Int

    public init(width: Int) {
        self.width = width
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    public var tupleCount: Int { counts.count }
    public var recordCount: Int { counts.reduce(0, +) }

    /// Adds `multiplicity` records with the tuple `tuple` (of length `width`); returns its index.
    @discardableResult
    public mutating func add(_ tuple: UnsafeBufferPointer<UInt32>, multiplicity: Int = 1) -> Int {
        let h = Self.hash(tuple)
        if let t = find(tuple, hash: h) {
            counts[t] += multiplicity
            return t
        }
        if (counts.count + 1) * 2 > slots.count { grow() }
        let t = counts.count
        codes.append(contentsOf: tuple)
        counts.append(multiplicity)
        place(Int32(t), hash: h)
        return t
    }

    public mutating func add(_ tuple: [UInt32], multiplicity: Int = 1) {
        tuple.withUnsafeBufferPointer { _ = add($0, multiplicity: multiplicity) }
    }

    /// The index of `tuple`, or `nil` if no record had it.
    public func index(of tuple: UnsafeBufferPointer<UInt32>) -> Int? {
        find(tuple, hash: Self.hash(tuple))
    }

    private func find(_ tuple: UnsafeBufferPointer<UInt32>, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        let w = width
        return slots.withUnsafeBufferPointer { slots in
            codes.withUnsafeBufferPointer { codes in
                while true {
                    let t = Int(slots[slot])
                    if t < 0 { return nil }
                    var equal = true
                    let base = t * w
                    for i in 0..<w where codes[base + i] != tuple[i] {
                        equal = false
                        break
                    }
                    if equal { return t }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    @inline(__always)
    private static func hash(_ tuple: UnsafeBufferPointer<UInt32>) -> UInt64 {
        var h: UInt64 = 0x452_821E_638D_0137
        for c in tuple { h = ByteHash.mix(h, UInt64(c)) }
        return ByteHash.finish(h)
    }

    private mutating func place(_ t: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = t
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for t in 0..<counts.count {
            let h = codes.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[(t * width)..<((t + 1) * width)]))
            }
            place(Int32(t), hash: h)
        }
    }
}

extension TupleHistogram {
    /// The classes under a transformation: each raw tuple's codes generalised through
    /// `hierarchies[i].map[levels[i]]` and counted together. `classOf[t]` is the class of raw
    /// tuple `t`. The cost is one pass over the tuples, never the records.
    public func generalised(by hierarchies: [Hierarchy], levels: [Int]) -> (classes: TupleHistogram, classOf: [Int]) {
        var classes = TupleHistogram(width: width)
        var classOf: [Int] = []
        classOf.reserveCapacity(tupleCount)
        var tuple = [UInt32](repeating: 0, count: width)
        for t in 0..<tupleCount {
            for q in 0..<width { tuple[q] = hierarchies[q].map[levels[q]][Int(codes[t * width + q])] }
            classOf.append(tuple.withUnsafeBufferPointer { classes.add($0, multiplicity: counts[t]) })
        }
        return (classes, classOf)
    }

    /// The codes of tuple `t`.
    public func tuple(_ t: Int) -> [UInt32] {
        Array(codes[t * width ..< (t + 1) * width])
    }
}
