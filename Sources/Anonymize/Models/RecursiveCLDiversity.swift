/// Recursive (c, ℓ)-diversity (Machanavajjhala et al., ACM TKDD 2007, definition 4.2): with a
/// class's value counts sorted r₁ ≥ r₂ ≥ … ≥ rₘ, r₁ < c · (r_ℓ + … + rₘ). The most frequent value
/// may not outweigh the less frequent ones, even after ℓ − 2 values are ruled out.
public struct RecursiveCLDiversity: PrivacyModel {
    public static let policyKey = "lDiversity"
    public static let variant: (key: String, value: String)? = ("variant", "recursive")
    public let attribute: String
    public let c: Double
    public let l: Int

    public init(attribute: String, c: Double, l: Int) {
        precondition(l >= 1 && c > 0)
        self.attribute = attribute
        self.c = c
        self.l = l
    }

    public init(parameters: ModelParameters) throws(ModelParameterError) {
        try parameters.only(["attribute", "l", "c", "variant"])
        self.init(attribute: try parameters.string("attribute"), c: try parameters.number("c", in: 0.000001...1_000_000),
                  l: try parameters.integer("l", atLeast: 2))
    }

    public var parameters: [String: String] {
        ["attribute": attribute, "l": String(l), "c": ModelParameters.plain(c), "variant": "recursive"]
    }
    public var description: String { "recursive (\(ModelParameters.plain(c)), \(l))-diversity of \(attribute)" }
    public var sensitiveAttribute: String? { attribute }
    public var minimumClassSize: Int { l }
    /// Merging can add a record to r₁ without adding to the tail.
    public var isMonotone: Bool { false }

    public func isSatisfied(by group: ClassProfile) -> Bool {
        guard group.distinct >= l else { return false }
        let sorted = group.counts.sorted(by: >)
        let tail = sorted[(l - 1)...].reduce(0, +)
        return Double(sorted[0]) < c * Double(tail)
    }

    /// The smallest c the class would meet: r₁ ÷ (r_ℓ + … + rₘ); infinite below ℓ values.
    public func measure(_ group: ClassProfile) -> Double {
        guard group.distinct >= l else { return .infinity }
        let sorted = group.counts.sorted(by: >)
        return Double(sorted[0]) / Double(sorted[(l - 1)...].reduce(0, +))
    }
    public var largerIsBetter: Bool { false }
}
