import Anonymize
import Tabular

/// Counts of every combination of 1…`maximumLength` attribute values, rounded down to a multiple
/// of a reporting resolution, as in the Synthetic Data Showcase aggregates behind CTDC Release 2.
///
/// Each record adds one to every combination of its values over distinct attributes, taken in
/// attribute order. An empty string is a missing value: it takes part in no combination, so a
/// record missing one attribute still counts towards every combination of its other attributes.
///
/// Memory follows the number of distinct combinations, never the number of records: values are
/// coded per attribute and each combination is one fixed-width tuple of attribute indices and value
/// codes in a ``TupleHistogram``.
///
/// Published counts are `floor(count / resolution) * resolution`; a combination whose count falls
/// to zero is left out. Rounding down never publishes more than the truth, and a combination seen
/// fewer than `resolution` times does not appear at all.
///
/// ```swift
/// var counts = try CombinationCounts(attributes: ["sex", "age", "country"])
/// try counts.add(["female", "18-20", "GB"])
/// let rows = counts.publishedRows()
/// ```
public struct CombinationCounts: Sendable {
    /// One published combination.
    public struct Row: Sendable, Equatable {
        /// `attr:value;attr:value`, escaped by ``CombinationLabel``.
        public var combination: String
        public var length: Int
        /// The rounded count: a positive multiple of the resolution.
        public var count: Int
    }

    public let attributes: [String]
    public let maximumLength: Int
    public let resolution: Int
    /// Records added, including records whose values were all missing.
    public private(set) var records = 0

    private var dictionaries: [ValueDictionary]
    // Key: (attribute index, value code) pairs in attribute order, padded with `absent`.
    private var histogram: TupleHistogram
    private var codes: [UInt32]
    private var key: [UInt32]
    /// The attributes the current record has a value for; kept to reuse its storage.
    private var present: [Int] = []
    private static let absent = UInt32.max

    public init(attributes: [String], maximumLength: Int = 3, resolution: Int = 10) throws(AggregateError) {
        guard !attributes.isEmpty else { throw .configuration("combination counts need at least one attribute") }
        guard Set(attributes).count == attributes.count else {
            throw .configuration("attribute names must be distinct: \(attributes)")
        }
        guard !attributes.contains("") else { throw .configuration("attribute names must not be empty") }
        guard maximumLength >= 1 else { throw .configuration("the maximum combination length must be at least 1") }
        guard resolution >= 1 else { throw .configuration("the resolution must be at least 1") }
        self.attributes = attributes
        self.maximumLength = min(maximumLength, attributes.count)
        self.resolution = resolution
        dictionaries = attributes.map { _ in ValueDictionary(values: []) }
        histogram = TupleHistogram(width: 2 * self.maximumLength)
        codes = [UInt32](repeating: 0, count: attributes.count)
        key = [UInt32](repeating: Self.absent, count: 2 * self.maximumLength)
    }

    /// The number of distinct combinations counted so far, before rounding.
    public var distinctCombinations: Int { histogram.tupleCount }

    /// Counts one record: one value per attribute, in the order of ``attributes``; `""` is missing.
    public mutating func add(_ values: [String]) throws(AggregateError) {
        guard values.count == attributes.count else {
            throw .recordShape(expected: attributes.count, got: values.count)
        }
        records += 1
        present.removeAll(keepingCapacity: true)
        for (a, v) in values.enumerated() where !v.isEmpty {
            codes[a] = dictionaries[a].insert(v)
            present.append(a)
        }
        addCombinations(from: 0, depth: 0)
    }

    // Depth-first over the present attributes in order: each prefix is itself a combination.
    private mutating func addCombinations(from start: Int, depth: Int) {
        guard depth < maximumLength else { return }
        for i in start..<present.count {
            let a = present[i]
            key[2 * depth] = UInt32(a)
            key[2 * depth + 1] = codes[a]
            histogram.add(key)
            addCombinations(from: i + 1, depth: depth + 1)
        }
        key[2 * depth] = Self.absent
        key[2 * depth + 1] = Self.absent
    }

    /// The published rows: rounded counts, zeros left out, sorted by length, then by the bytes of
    /// the combination label (so the order depends on no locale and no input order).
    public func publishedRows() -> [Row] {
        var rows: [Row] = []
        let width = histogram.width
        for t in 0..<histogram.tupleCount {
            let rounded = histogram.counts[t] / resolution * resolution
            if rounded == 0 { continue }
            var pairs: [(attribute: String, value: String)] = []
            for d in 0..<maximumLength {
                let a = histogram.codes[t * width + 2 * d]
                if a == Self.absent { break }
                pairs.append((attributes[Int(a)], dictionaries[Int(a)].value(histogram.codes[t * width + 2 * d + 1])))
            }
            rows.append(Row(combination: CombinationLabel.join(pairs), length: pairs.count, count: rounded))
        }
        rows.sort { x, y in
            x.length != y.length ? x.length < y.length : x.combination.utf8.lexicographicallyPrecedes(y.combination.utf8)
        }
        return rows
    }
}
