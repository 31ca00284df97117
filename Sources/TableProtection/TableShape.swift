/// The cells of a cross-tabulation of 1, 2 or 3 dimensions together with all of its margins.
///
/// Each dimension `d` has `sizes[d]` values, coordinates `0..<sizes[d]`, plus one more coordinate,
/// `sizes[d]` itself, meaning "summed over `d`". A cell is interior when no coordinate is a margin;
/// the cell with every coordinate a margin is the grand total. Cells are numbered row-major, the
/// last dimension fastest, so a 2-D table reads row by row with each row's total after it and the
/// column totals last.
///
/// Additivity: for every dimension `d` and every cell `m` whose coordinate `d` is the margin,
/// `m` equals the sum of the `sizes[d]` cells that differ from it only in coordinate `d`. Each cell
/// lies in exactly one such equation per dimension, so an equation is named by its dimension and
/// its total cell.
public struct TableShape: Sendable, Equatable, Hashable {
    public let sizes: [Int]
    /// `strides[d]` is the distance between cells one apart in dimension `d`.
    public let strides: [Int]
    public let cellCount: Int

    public init(sizes: [Int]) {
        precondition((1...3).contains(sizes.count) && sizes.allSatisfy { $0 >= 0 })
        self.sizes = sizes
        var strides = [Int](repeating: 1, count: sizes.count)
        for d in stride(from: sizes.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * (sizes[d + 1] + 1) }
        self.strides = strides
        cellCount = strides[0] * (sizes[0] + 1)
    }

    public var dimensionCount: Int { sizes.count }

    public func index(_ coordinates: [Int]) -> Int {
        var i = 0
        for d in sizes.indices { i += coordinates[d] * strides[d] }
        return i
    }

    public func coordinate(_ cell: Int, _ d: Int) -> Int { cell / strides[d] % (sizes[d] + 1) }

    public func coordinates(_ cell: Int) -> [Int] { sizes.indices.map { coordinate(cell, $0) } }

    public func isMargin(_ cell: Int, in d: Int) -> Bool { coordinate(cell, d) == sizes[d] }

    /// The number of dimensions the cell is summed over: 0 for an interior cell.
    public func marginDegree(_ cell: Int) -> Int { sizes.indices.reduce(0) { $0 + (isMargin(cell, in: $1) ? 1 : 0) } }

    /// The same cell with coordinate `d` replaced.
    public func moving(_ cell: Int, in d: Int, to coordinate: Int) -> Int {
        cell + (coordinate - self.coordinate(cell, d)) * strides[d]
    }

    /// The total cell of the equation along `d` through `cell`.
    public func equationTotal(through cell: Int, along d: Int) -> Int { moving(cell, in: d, to: sizes[d]) }

    /// The cells summed by the equation along `d` whose total is `total`.
    public func equationParts(total: Int, along d: Int) -> [Int] {
        let first = total - sizes[d] * strides[d]
        return (0..<sizes[d]).map { first + $0 * strides[d] }
    }

    /// Every equation as (dimension, total cell), in a fixed order.
    public func equations() -> [(dimension: Int, total: Int)] {
        var out: [(dimension: Int, total: Int)] = []
        for d in sizes.indices {
            for cell in 0..<cellCount where isMargin(cell, in: d) { out.append((d, cell)) }
        }
        return out
    }

    /// Every cell of the table computed from interior counts, given in row-major order of the
    /// interior (the last dimension fastest).
    public func withMargins(interior: [Int]) -> [Int] {
        precondition(interior.count == sizes.reduce(1, *))
        var cells = [Int](repeating: 0, count: cellCount)
        var coords = [Int](repeating: 0, count: sizes.count)
        for v in interior {
            // Add to every cell obtained by replacing any subset of coordinates with the margin.
            for mask in 0..<(1 << sizes.count) {
                var i = 0
                for d in sizes.indices { i += (mask >> d & 1 == 1 ? sizes[d] : coords[d]) * strides[d] }
                cells[i] += v
            }
            var d = sizes.count - 1
            while d >= 0 {
                coords[d] += 1
                if coords[d] < sizes[d] { break }
                coords[d] = 0
                d -= 1
            }
        }
        return cells
    }
}
