/// Counts, per raw tuple of a ``TupleHistogram``, the records with each value of one sensitive
/// attribute: what ℓ-diversity and t-closeness read of a class. Memory follows the distinct
/// (tuple, value) pairs, never the records.
public struct SensitiveCounts: Sendable {
    /// Keys (tuple index, value code).
    public private(set) var pairs = TupleHistogram(width: 2)

    public init() {}

    public mutating func add(tuple: Int, code: UInt32, multiplicity: Int = 1) {
        var key: (UInt32, UInt32) = (UInt32(tuple), code)
        withUnsafeBytes(of: &key) { raw in
            _ = pairs.add(raw.bindMemory(to: UInt32.self), multiplicity: multiplicity)
        }
    }

    /// The same counts after tuples were renumbered (`tupleMap[old]`) and codes folded (`codeMap[old]`).
    public func remapped(tuples tupleMap: [Int], codes codeMap: [UInt32]? = nil) -> SensitiveCounts {
        var result = SensitiveCounts()
        for p in 0..<pairs.tupleCount {
            let code = pairs.codes[2 * p + 1]
            result.add(tuple: tupleMap[Int(pairs.codes[2 * p])], code: codeMap?[Int(code)] ?? code, multiplicity: pairs.counts[p])
        }
        return result
    }

    /// The counts laid out by tuple, for the search; the reference distribution is these counts' own.
    public func table(tupleCount: Int, column name: String, values: [String], hierarchy: Hierarchy?) -> SensitiveHistogram {
        var reference = [Int](repeating: 0, count: values.count)
        for p in 0..<pairs.tupleCount { reference[Int(pairs.codes[2 * p + 1])] += pairs.counts[p] }
        return table(tupleCount: tupleCount, column: SensitiveColumn(name: name, values: values, referenceCounts: reference, hierarchy: hierarchy))
    }

    /// The counts laid out by tuple, compared with a given column's reference distribution.
    public func table(tupleCount: Int, column: SensitiveColumn) -> SensitiveHistogram {
        var start = [Int](repeating: 0, count: tupleCount + 1)
        for p in 0..<pairs.tupleCount { start[Int(pairs.codes[2 * p]) + 1] += 1 }
        for t in 0..<tupleCount { start[t + 1] += start[t] }
        var next = start
        var codes = [UInt32](repeating: 0, count: pairs.tupleCount)
        var counts = [Int](repeating: 0, count: pairs.tupleCount)
        for p in 0..<pairs.tupleCount {
            let t = Int(pairs.codes[2 * p])
            let code = pairs.codes[2 * p + 1]
            codes[next[t]] = code
            counts[next[t]] = pairs.counts[p]
            next[t] += 1
        }
        return SensitiveHistogram(column: column, start: start, codes: codes, counts: counts)
    }
}

/// One sensitive attribute's value counts per raw tuple: tuple `t` holds `codes[start[t]..<start[t+1]]`
/// with the matching `counts`.
public struct SensitiveHistogram: Sendable {
    public let column: SensitiveColumn
    public let start: [Int]
    public let codes: [UInt32]
    public let counts: [Int]

    public init(column: SensitiveColumn, start: [Int], codes: [UInt32], counts: [Int]) {
        self.column = column
        self.start = start
        self.codes = codes
        self.counts = counts
    }
}
