/// Distinct ℓ-diversity (Machanavajjhala, Kifer, Gehrke, Venkitasubramaniam, "ℓ-diversity: privacy
/// beyond k-anonymity", ACM TKDD 2007, and ICDE 2006): every class holds at least ℓ distinct values
/// of the sensitive attribute, so no class reveals one value to whoever finds a person in it.
public struct DistinctLDiversity: PrivacyModel {
    public static let policyKey = "lDiversity"
    public static let variant: (key: String, value: String)? = ("variant", "distinct")
    public let attribute: String
    public let l: Int

    public init(attribute: String, l: Int) {
        precondition(l >= 1)
        self.attribute = attribute
        self.l = l
    }

    public init(parameters: ModelParameters) throws(ModelParameterError) {
        try parameters.only(["attribute", "l", "variant"])
        attribute = try parameters.string("attribute")
        l = try parameters.integer("l", atLeast: 2)
    }

    public var parameters: [String: String] { ["attribute": attribute, "l": String(l), "variant": "distinct"] }
    public var description: String { "distinct \(l)-diversity of \(attribute)" }
    public var sensitiveAttribute: String? { attribute }
    public var minimumClassSize: Int { l }
    /// A merged class holds every value of its parts.
    public var isMonotone: Bool { true }
    public func isSatisfied(by group: ClassProfile) -> Bool { group.distinct >= l }
    public func measure(_ group: ClassProfile) -> Double { Double(group.distinct) }
}
