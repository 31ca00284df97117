/// t-closeness with hierarchical ground distance (Li, Li, Venkatasubramanian, ICDE 2007, section
/// 4.2): moving mass between two values costs the height of their lowest common ancestor in the
/// attribute's hierarchy divided by the hierarchy's height, so a class may differ from the table
/// within a family of values more cheaply than across families. The Earth Mover's Distance is then
/// Σ over inner nodes N of height(N)/H · min(positive extra, negative extra) of N's children, where
/// a leaf's extra is pᵢ − qᵢ and an inner node's extra is the sum of its children's.
public struct HierarchicalDistanceTCloseness: PrivacyModel {
    public static let policyKey = "tCloseness"
    public static let variant: (key: String, value: String)? = ("distance", "hierarchical")
    public let attribute: String
    public let t: Double

    public init(attribute: String, t: Double) {
        self.attribute = attribute
        self.t = t
    }

    public init(parameters: ModelParameters) throws(ModelParameterError) {
        try parameters.only(["attribute", "t", "distance"])
        self.init(attribute: try parameters.string("attribute"), t: try parameters.number("t", in: 0...1))
    }

    public var parameters: [String: String] { ["attribute": attribute, "t": ModelParameters.plain(t), "distance": "hierarchical"] }
    public var description: String { "\(ModelParameters.plain(t))-closeness of \(attribute) (hierarchical distance)" }
    public var sensitiveAttribute: String? { attribute }
    public var minimumClassSize: Int { 1 }
    public var needsReference: Bool { true }
    public var isMonotone: Bool { false }
    public var largerIsBetter: Bool { false }
    /// The distance needs the hierarchy of the attribute's values.
    public var needsHierarchy: Bool { true }

    public func isSatisfied(by group: ClassProfile) -> Bool { measure(group) <= t + 1e-12 }

    public func measure(_ group: ClassProfile) -> Double {
        guard let column = group.column, let h = column.hierarchy, group.size > 0, h.rawCount == column.values.count else { return 1 }
        let n = Double(group.size)
        let total = Double(max(1, column.records))
        var extra = column.referenceCounts.map { -Double($0) / total }
        for (code, count) in zip(group.codes, group.counts) { extra[Int(code)] += Double(count) / n }
        // Several groups at the top stand under an implicit root one level higher.
        let implicitRoot = h.labels[h.levelCount - 1].count > 1
        let height = Double(h.levelCount - 1 + (implicitRoot ? 1 : 0))
        guard height > 0 else { return 0 }
        var distance = 0.0
        var below = extra
        var belowLevel = 0
        for level in 1...(h.levelCount - 1 + (implicitRoot ? 1 : 0)) {
            let groups = level < h.levelCount ? h.labels[level].count : 1
            var positive = [Double](repeating: 0, count: groups)
            var negative = [Double](repeating: 0, count: groups)
            var sum = [Double](repeating: 0, count: groups)
            // The parent of each child group, through a leaf of that child.
            var parentOfChild = [Int](repeating: -1, count: below.count)
            for r in 0..<h.rawCount {
                let child = Int(h.map[belowLevel][r])
                if parentOfChild[child] < 0 { parentOfChild[child] = level < h.levelCount ? Int(h.map[level][r]) : 0 }
            }
            for (child, value) in below.enumerated() where parentOfChild[child] >= 0 {
                let parent = parentOfChild[child]
                if value > 0 { positive[parent] += value } else { negative[parent] -= value }
                sum[parent] += value
            }
            for g in 0..<groups { distance += Double(level) / height * min(positive[g], negative[g]) }
            below = sum
            belowLevel = level
        }
        return distance
    }
}
