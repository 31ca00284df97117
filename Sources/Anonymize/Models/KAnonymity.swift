/// k-anonymity (Sweeney, "k-anonymity: a model for protecting privacy", 2002): every published
/// record shares its quasi-identifier values with at least k − 1 others.
public struct KAnonymity: PrivacyModel, Equatable {
    public static let policyKey = "k"
    public static let variant: (key: String, value: String)? = nil
    public let k: Int

    public init(k: Int) {
        precondition(k >= 1)
        self.k = k
    }

    public init(parameters: ModelParameters) throws(ModelParameterError) {
        try parameters.only(["k"])
        k = try parameters.integer("k", atLeast: 2)
    }

    public var parameters: [String: String] { ["k": String(k)] }
    public var description: String { "k-anonymity with k = \(k)" }
    public var minimumClassSize: Int { k }
    /// Merging classes only makes them larger.
    public var isMonotone: Bool { true }
    public func isSatisfied(by group: ClassProfile) -> Bool { group.size >= k }
    public func measure(_ group: ClassProfile) -> Double { Double(group.size) }
}
