/// The privacy models of a policy and the share of records that may be suppressed to meet them.
/// A class is published when it meets every model; otherwise its records are suppressed.
public struct PrivacyModels: Sendable {
    /// Every model htdx knows, in the order a policy's keys are matched: the first of a key is its
    /// default variant. Adding a model is one line here.
    public static let registered: [any PrivacyModel.Type] = [
        KAnonymity.self,
        DistinctLDiversity.self,
        EntropyLDiversity.self,
        RecursiveCLDiversity.self,
        EqualDistanceTCloseness.self,
        HierarchicalDistanceTCloseness.self,
    ]

    public var models: [any PrivacyModel]
    /// The share of records that may be suppressed, in [0, 1].
    public var suppressionLimit: Double

    public init(models: [any PrivacyModel], suppressionLimit: Double) {
        precondition((0...1).contains(suppressionLimit))
        self.models = models
        self.suppressionLimit = suppressionLimit
    }

    public init(k: Int, suppressionLimit: Double) {
        self.init(models: [KAnonymity(k: k)], suppressionLimit: suppressionLimit)
    }

    /// The k of k-anonymity; 1 when the policy sets none. Aggregates take it as their threshold.
    public var k: Int { models.compactMap { ($0 as? KAnonymity)?.k }.max() ?? 1 }

    /// No class smaller than this can be published.
    public var minimumClassSize: Int { models.map(\.minimumClassSize).max() ?? 1 }

    /// Whether every model is monotone, so that the search may prune by suppression counts.
    public var isMonotone: Bool { models.allSatisfy(\.isMonotone) }

    /// The sensitive attributes the models read, each once, in the order first named.
    public var sensitiveAttributes: [String] {
        var seen: [String] = []
        for m in models { if let a = m.sensitiveAttribute, !seen.contains(a) { seen.append(a) } }
        return seen
    }

    /// ⌊limit × N⌋, robust to the binary representation of limits like 0.29.
    public func maxSuppressed(records: Int) -> Int {
        let exact = suppressionLimit * Double(records)
        return Int((exact + 1e-9 * max(1, exact)).rounded(.down))
    }

    /// The models in words, for messages and reports: "k-anonymity with k = 5 and distinct 3-diversity of occupation".
    public var description: String {
        let names = models.map(\.description)
        guard names.count > 1 else { return names.first ?? "no privacy model" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// The registered model for a policy key and its parameters: the variant parameter picks among
    /// models sharing the key, the first being the default.
    public static func model(key: String, parameters: ModelParameters) throws(ModelParameterError) -> any PrivacyModel {
        let candidates = registered.filter { $0.policyKey == key }
        guard let first = candidates.first else {
            throw ModelParameterError(key: key, problem: "is not a privacy model; htdx knows "
                                      + Array(keys).sorted().joined(separator: ", "))
        }
        var chosen: any PrivacyModel.Type = first
        if let variantKey = variantKey(of: first), let wanted = parameters.values[variantKey] {
            guard let match = candidates.first(where: { variantValue(of: $0) == wanted }) else {
                let known = candidates.compactMap { variantValue(of: $0) }.joined(separator: ", ")
                throw ModelParameterError(key: variantKey, problem: "names no model of \(key); use one of \(known)")
            }
            chosen = match
        }
        switch Result(catching: { try make(chosen, parameters) }) {
        case .success(let model): return model
        case .failure(let error): throw (error as? ModelParameterError) ?? ModelParameterError(key: key, problem: "is not valid")
        }
    }

    private static func variantKey(of type: any PrivacyModel.Type) -> String? { type.variant?.key }
    private static func variantValue(of type: any PrivacyModel.Type) -> String? { type.variant?.value }

    /// Opens the metatype: Swift 6.3's SIL generation crashes on a typed-throws initialiser called
    /// through `any PrivacyModel.Type`.
    private static func make<M: PrivacyModel>(_ type: M.Type, _ parameters: ModelParameters) throws -> any PrivacyModel {
        try M(parameters: parameters)
    }

    /// The policy keys that name models.
    public static var keys: Set<String> { Set(registered.map { $0.policyKey }) }
}

extension PrivacyModels: Equatable {
    public static func == (a: PrivacyModels, b: PrivacyModels) -> Bool {
        a.suppressionLimit == b.suppressionLimit && a.models.count == b.models.count
            && zip(a.models, b.models).allSatisfy { type(of: $0) == type(of: $1) && $0.parameters == $1.parameters }
    }
}
