/// What anyone holding a published table knows about its suppressed cells: the additivity
/// equations that touch them, with every published cell a constant.
///
/// Zero cells are always published, so a suppressed cell is known to be at least 1. The system is
/// written in `y = x - 1 ≥ 0` for each suppressed cell `x`, which puts that knowledge into the
/// non-negativity every linear programme already has. Suppressed cells that share no equation,
/// even through other suppressed cells, cannot constrain each other, so the system is split into
/// connected components and each is solved alone.
struct SuppressedSystem {
    /// One connected group of suppressed cells and the equations that touch it, in exact integers.
    struct Component {
        /// Table cells, in increasing order; variable `v` is `cells[v]`.
        var cells: [Int]
        /// Each equation: `Σ coefficient · y[variable] = rhs`.
        var equations: [(terms: [(variable: Int, coefficient: Int)], rhs: Int)]

        var simplexRows: [DenseSimplex.Row] {
            equations.map { e in
                DenseSimplex.Row(terms: e.terms, relation: .equal, rhs: e.rhs)
            }
        }

        /// Whether integer values `y` satisfy every equation exactly and are non-negative.
        func isSolution(_ y: [Int]) -> Bool {
            guard y.count == cells.count, y.allSatisfy({ $0 >= 0 }) else { return false }
            return equations.allSatisfy { e in e.terms.reduce(0) { $0 + $1.coefficient * y[$1.variable] } == e.rhs }
        }
    }

    let components: [Component]
    /// Equations with no suppressed cell that do not add up: a table with any is inconsistent.
    let inconsistentEquations: Int

    init(shape: TableShape, published: [Int?]) {
        precondition(published.count == shape.cellCount)
        let suppressed = (0..<shape.cellCount).filter { published[$0] == nil }
        var parent = Dictionary(uniqueKeysWithValues: suppressed.map { ($0, $0) })
        func root(_ c: Int) -> Int {
            var r = c
            while parent[r]! != r { r = parent[r]! }
            var x = c
            while parent[x]! != r { let next = parent[x]!; parent[x] = r; x = next }
            return r
        }
        var touching: [(cells: [(cell: Int, coefficient: Int)], constant: Int)] = []
        var inconsistent = 0
        for (d, total) in shape.equations() {
            // total - Σ parts = 0
            let members = [(total, 1)] + shape.equationParts(total: total, along: d).map { ($0, -1) }
            var unknown: [(cell: Int, coefficient: Int)] = []
            var constant = 0
            for (cell, coefficient) in members {
                if let v = published[cell] { constant += coefficient * v } else { unknown.append((cell, coefficient)) }
            }
            if unknown.isEmpty {
                if constant != 0 { inconsistent += 1 }
                continue
            }
            for u in unknown.dropFirst() {
                let a = root(unknown[0].cell), b = root(u.cell)
                if a != b { parent[max(a, b)] = min(a, b) }
            }
            touching.append((unknown, constant))
        }
        var componentOfRoot: [Int: Int] = [:]
        var components: [Component] = []
        var place: [Int: (component: Int, variable: Int)] = [:]
        for cell in suppressed {
            let r = root(cell)
            let k = componentOfRoot[r] ?? {
                componentOfRoot[r] = components.count
                components.append(Component(cells: [], equations: []))
                return components.count - 1
            }()
            place[cell] = (k, components[k].cells.count)
            components[k].cells.append(cell)
        }
        for (unknown, constant) in touching {
            let k = place[unknown[0].cell]!.component
            // Σ c·(y + 1) + constant = 0  ⇒  Σ c·y = -constant - Σ c
            let terms = unknown.map { (variable: place[$0.cell]!.variable, coefficient: $0.coefficient) }
            let rhs = -constant - unknown.reduce(0) { $0 + $1.coefficient }
            components[k].equations.append((terms, rhs))
        }
        self.components = components
        inconsistentEquations = inconsistent
    }
}
