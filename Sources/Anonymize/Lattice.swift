/// The generalisation lattice: every vector of one level per quasi-identifier.
///
/// A node is stored as its mixed-radix index, the first attribute varying slowest, so that sorting
/// indices sorts level vectors lexicographically.
public struct Lattice: Sendable {
    /// `dimensions[i]` is the number of levels of quasi-identifier `i`, counting level 0.
    public let dimensions: [Int]
    /// `strides[i]` is the index distance between neighbours that differ in attribute `i` by one level.
    public let strides: [Int]
    public let nodeCount: Int

    public init(dimensions: [Int]) {
        self.dimensions = dimensions
        var strides = [Int](repeating: 1, count: dimensions.count)
        var total = 1
        for i in dimensions.indices.reversed() {
            strides[i] = total
            total = total.multipliedReportingOverflow(by: dimensions[i]).overflow ? Int.max : total * dimensions[i]
        }
        self.strides = strides
        self.nodeCount = total
    }

    public func levels(of node: Int) -> [Int] {
        dimensions.indices.map { (node / strides[$0]) % dimensions[$0] }
    }

    public func node(of levels: [Int]) -> Int {
        zip(levels, strides).reduce(0) { $0 + $1.0 * $1.1 }
    }

    public var top: Int { nodeCount - 1 }

    /// Calls `body` with each node that is one level less general in one attribute.
    @inline(__always)
    public func forEachPredecessor(of node: Int, _ body: (Int) -> Void) {
        for i in dimensions.indices where (node / strides[i]) % dimensions[i] > 0 {
            body(node - strides[i])
        }
    }

    /// The nodes from `node` up to the top, raising one attribute by one level at each step and
    /// taking the attributes in turn, so that the chain climbs evenly.
    public func chain(upFrom node: Int) -> [Int] {
        var levels = self.levels(of: node)
        var result = [node]
        var current = node
        var attribute = 0
        while current != top {
            while levels[attribute] == dimensions[attribute] - 1 { attribute = (attribute + 1) % dimensions.count }
            levels[attribute] += 1
            current += strides[attribute]
            result.append(current)
            attribute = (attribute + 1) % dimensions.count
        }
        return result
    }
}
