/// Entropy ℓ-diversity (Machanavajjhala et al., ACM TKDD 2007, definition 4.1): the entropy of the
/// sensitive values in every class is at least log ℓ, so no value dominates a class even when
/// several are present.
public struct EntropyLDiversity: PrivacyModel {
    public static let policyKey = "lDiversity"
    public static let variant: (key: String, value: String)? = ("variant", "entropy")
    public let attribute: String
    public let l: Double
    private let threshold: Double

    public init(attribute: String, l: Double) {
        precondition(l >= 1)
        self.attribute = attribute
        self.l = l
        threshold = logarithm(l)
    }

    public init(parameters: ModelParameters) throws(ModelParameterError) {
        try parameters.only(["attribute", "l", "variant"])
        self.init(attribute: try parameters.string("attribute"), l: try parameters.number("l", in: 1...1_000_000))
    }

    public var parameters: [String: String] { ["attribute": attribute, "l": ModelParameters.plain(l), "variant": "entropy"] }
    public var description: String { "entropy \(ModelParameters.plain(l))-diversity of \(attribute)" }
    public var sensitiveAttribute: String? { attribute }
    /// The entropy of m values is at most log m, so a class needs ⌈ℓ⌉ distinct values.
    public var minimumClassSize: Int { Int(l.rounded(.up)) }
    /// Merging a diverse class with a uniform one can lower the entropy below log ℓ.
    public var isMonotone: Bool { false }

    public func isSatisfied(by group: ClassProfile) -> Bool {
        group.distinct >= minimumClassSize && Self.entropy(group) >= threshold - 1e-12
    }

    /// ℓ of the class's entropy: e^H.
    public func measure(_ group: ClassProfile) -> Double { exponential(Self.entropy(group)) }

    static func entropy(_ group: ClassProfile) -> Double {
        guard group.size > 0 else { return 0 }
        let n = Double(group.size)
        var h = 0.0
        for c in group.counts where c > 0 {
            let p = Double(c) / n
            h -= p * logarithm(p)
        }
        return h
    }
}
