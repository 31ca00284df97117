import Anonymize
import Tabular

/// A declared cross-tabulation of 1, 2 or 3 attributes, counted from records.
///
/// The values of a dimension are those seen, together with any declared for it (so that a value
/// no record had still gets its row of zeros). A record with a missing value (`""`) in any
/// dimension is not counted in the table; ``incompleteRecords`` says how many were left out.
/// Memory follows the number of distinct interior cells seen, never the number of records.
///
/// ```swift
/// var tab = try CrossTabulation(dimensions: ["year", "country"])
/// try tab.add(["2019", "GB"])
/// let published = try CellSuppression(policy: .init()).protect(tab.counts())
/// ```
public struct CrossTabulation: Sendable {
    public let dimensions: [String]
    public private(set) var records = 0
    public private(set) var incompleteRecords = 0
    private var dictionaries: [ValueDictionary]
    private var histogram: TupleHistogram
    private var key: [UInt32]

    public init(dimensions: [String], declaredValues: [[String]] = []) throws(AggregateError) {
        try Self.check(dimensions: dimensions)
        guard declaredValues.isEmpty || declaredValues.count == dimensions.count else {
            throw .configuration("declared values must be given for every dimension or for none")
        }
        for list in declaredValues where list.contains("") {
            throw .configuration("a declared value must not be empty: the empty string means missing")
        }
        self.dimensions = dimensions
        dictionaries = dimensions.indices.map { d in ValueDictionary(values: declaredValues.isEmpty ? [] : declaredValues[d]) }
        histogram = TupleHistogram(width: dimensions.count)
        key = [UInt32](repeating: 0, count: dimensions.count)
    }

    /// Counts one record: one value per dimension, in the order of ``dimensions``.
    public mutating func add(_ values: [String]) throws(AggregateError) {
        guard values.count == dimensions.count else { throw .recordShape(expected: dimensions.count, got: values.count) }
        records += 1
        if values.contains("") {
            incompleteRecords += 1
            return
        }
        for (d, v) in values.enumerated() { key[d] = dictionaries[d].insert(v) }
        histogram.add(key)
    }

    /// The counts with every margin. Values are sorted by their bytes, never kept in the order
    /// records arrived, which could say something about the input.
    public func counts() -> TableCounts {
        let sorted = dictionaries.map { dict in
            (0..<dict.count).map { UInt32($0) }.sorted {
                dict.value($0).utf8.lexicographicallyPrecedes(dict.value($1).utf8)
            }
        }
        var position: [[Int]] = []
        for (d, order) in sorted.enumerated() {
            var p = [Int](repeating: 0, count: dictionaries[d].count)
            for (rank, code) in order.enumerated() { p[Int(code)] = rank }
            position.append(p)
        }
        let sizes = sorted.map(\.count)
        var strides = [Int](repeating: 1, count: sizes.count)
        for d in stride(from: sizes.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * sizes[d + 1] }
        var interior = [Int](repeating: 0, count: sizes.reduce(1, *))
        let w = dimensions.count
        for t in 0..<histogram.tupleCount {
            var i = 0
            for d in 0..<w { i += position[d][Int(histogram.codes[t * w + d])] * strides[d] }
            interior[i] += histogram.counts[t]
        }
        let values = zip(sorted, dictionaries).map { order, dict in order.map { dict.value($0) } }
        // Names and values were checked when they were added, so this cannot fail.
        return try! TableCounts(dimensions: dimensions, values: values, interior: interior)
    }
}

extension CrossTabulation {
    /// 1 to 3 dimensions, with distinct, non-empty names: what every table of counts needs.
    static func check(dimensions: [String]) throws(AggregateError) {
        guard (1...3).contains(dimensions.count) else {
            throw .configuration("a cross-tabulation has 1, 2 or 3 dimensions, not \(dimensions.count)")
        }
        guard Set(dimensions).count == dimensions.count, !dimensions.contains("") else {
            throw .configuration("dimension names must be distinct and not empty: \(dimensions)")
        }
    }
}
