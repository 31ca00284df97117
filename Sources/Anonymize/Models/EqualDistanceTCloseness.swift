/// t-closeness with equal ground distance (Li, Li, Venkatasubramanian, "t-closeness: privacy beyond
/// k-anonymity and ℓ-diversity", ICDE 2007, section 4.2): the Earth Mover's Distance between a
/// class's sensitive values and the whole table's is at most t, where moving mass between any two
/// values costs 1. That distance is ½ Σᵢ |pᵢ − qᵢ|, the variational distance.
public struct EqualDistanceTCloseness: PrivacyModel {
    public static let policyKey = "tCloseness"
    public static let variant: (key: String, value: String)? = ("distance", "equal")
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

    public var parameters: [String: String] { ["attribute": attribute, "t": ModelParameters.plain(t), "distance": "equal"] }
    public var description: String { "\(ModelParameters.plain(t))-closeness of \(attribute) (equal distance)" }
    public var sensitiveAttribute: String? { attribute }
    public var minimumClassSize: Int { 1 }
    public var needsReference: Bool { true }
    /// A satisfying class merged with a distant one can end up distant.
    public var isMonotone: Bool { false }
    public var largerIsBetter: Bool { false }

    public func isSatisfied(by group: ClassProfile) -> Bool { measure(group) <= t + 1e-12 }

    /// Values absent from the class each contribute qᵢ, so only the present ones are visited.
    public func measure(_ group: ClassProfile) -> Double {
        guard let column = group.column, group.size > 0 else { return 1 }
        let n = Double(group.size)
        let total = Double(max(1, column.records))
        var present = 0.0
        var referenceOfPresent = 0.0
        for (code, count) in zip(group.codes, group.counts) {
            let q = Double(column.referenceCounts[Int(code)]) / total
            present += abs(Double(count) / n - q)
            referenceOfPresent += q
        }
        return 0.5 * (present + max(0, 1 - referenceOfPresent))
    }
}
