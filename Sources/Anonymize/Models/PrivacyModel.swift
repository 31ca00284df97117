import Tabular
/// A privacy model: a condition every published equivalence class must meet.
///
/// The search, its bounds, cell suppression and the verifiers ask the models of a policy
/// (``PrivacyModels``) and nothing else, so adding a model is its own file, its tests and one line
/// in ``PrivacyModels/registered``. A model is named in the policy by ``policyKey`` (and, where
/// several models share a key, by the value of ``variantKey``), and built from that entry's
/// parameters, which it echoes back in ``parameters`` for the manifest.
public protocol PrivacyModel: Sendable {
    /// The key under `privacy:` in a policy, such as `lDiversity`.
    static var policyKey: String { get }
    /// The parameter that tells models sharing a key apart, and this model's value of it, such as
    /// (`variant`, `distinct`). The first registered model of a key is its default.
    static var variant: (key: String, value: String)? { get }
    init(parameters: ModelParameters) throws(ModelParameterError)

    /// The parameters as written in a policy and a manifest, the variant included.
    var parameters: [String: String] { get }
    /// The model as the literature names it, with its parameters: "distinct 3-diversity of occupation".
    var description: String { get }
    /// The sensitive attribute whose values the model reads, if any.
    var sensitiveAttribute: String? { get }
    /// No class smaller than this can meet the model; the bounds prune with it.
    var minimumClassSize: Int { get }
    /// Whether a class that meets the model still meets it after merging with any other class.
    /// Then a record published at one transformation stays published at every generalisation of
    /// it, and the search may prune by suppression counts; otherwise it may not.
    var isMonotone: Bool { get }
    func isSatisfied(by group: ClassProfile) -> Bool
    /// How far the class is from failing or meeting the model, in the model's own measure (the
    /// class size, the distinct count, ℓ of the entropy, the distance), for reports.
    func measure(_ group: ClassProfile) -> Double
    /// Whether a larger ``measure(_:)`` is better (a count) or worse (a distance).
    var largerIsBetter: Bool { get }
    /// Whether the model needs the sensitive attribute's hierarchy.
    var needsHierarchy: Bool { get }
    /// Whether the model compares a class with the attribute's distribution over the whole table,
    /// which the manifest then carries so that a release can be verified on its own.
    var needsReference: Bool { get }
}

extension PrivacyModel {
    public var sensitiveAttribute: String? { nil }
    public var largerIsBetter: Bool { true }
    public var needsHierarchy: Bool { false }
    public var needsReference: Bool { false }
}

/// One equivalence class as a model sees it: its size and, for a model that reads a sensitive
/// attribute, that attribute's values in the class (codes of ``SensitiveColumn/values``, each
/// with its count, only those present).
public struct ClassProfile {
    public var size: Int
    public var codes: [UInt32]
    public var counts: [Int]
    public var column: SensitiveColumn?

    public init(size: Int, codes: [UInt32] = [], counts: [Int] = [], column: SensitiveColumn? = nil) {
        self.size = size
        self.codes = codes
        self.counts = counts
        self.column = column
    }

    /// The number of distinct sensitive values in the class.
    public var distinct: Int { codes.count }
}

/// A sensitive attribute's domain, the reference distribution t-closeness compares classes with
/// (the attribute's distribution over every record that entered anonymisation, suppressed ones
/// included, as ARX takes it), and its hierarchy if the policy gives one.
public struct SensitiveColumn: Sendable {
    public var name: String
    /// The value of each code.
    public var values: [String]
    /// Records with each code among those that entered anonymisation.
    public var referenceCounts: [Int]
    public var hierarchy: Hierarchy?

    public init(name: String, values: [String], referenceCounts: [Int], hierarchy: Hierarchy? = nil) {
        precondition(values.count == referenceCounts.count)
        self.name = name
        self.values = values
        self.referenceCounts = referenceCounts
        self.hierarchy = hierarchy
    }

    public var records: Int { referenceCounts.reduce(0, +) }
}

/// A policy entry's parameters as text, read with the conversions models need. Messages name the
/// key and never echo the value beyond a number's bounds.
public struct ModelParameters: Sendable {
    public var values: [String: String]
    public init(_ values: [String: String]) { self.values = values }

    public func string(_ key: String) throws(ModelParameterError) -> String {
        guard let value = values[key], !value.isEmpty else { throw .init(key: key, problem: "is missing") }
        return value
    }

    public func number(_ key: String, in range: ClosedRange<Double>, default fallback: Double? = nil) throws(ModelParameterError) -> Double {
        guard let text = values[key] else {
            if let fallback { return fallback }
            throw .init(key: key, problem: "is missing")
        }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw .init(key: key, problem: "must be a number in [\(Self.plain(range.lowerBound)), \(Self.plain(range.upperBound))]")
        }
        return value
    }

    public func integer(_ key: String, atLeast minimum: Int) throws(ModelParameterError) -> Int {
        guard let text = values[key] else { throw .init(key: key, problem: "is missing") }
        guard let value = Int(text), value >= minimum else { throw .init(key: key, problem: "must be a whole number of at least \(minimum)") }
        return value
    }

    /// Refuses keys the model does not read: a misspelt parameter must not be silently ignored.
    public func only(_ keys: Set<String>) throws(ModelParameterError) {
        if let extra = values.keys.sorted().first(where: { !keys.contains($0) }) {
            throw .init(key: extra, problem: "is not a parameter of this model; it takes \(keys.sorted().joined(separator: ", "))")
        }
    }

    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

public struct ModelParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String { "\(SafeText.name(key)) \(problem)" }

    public var key: String
    public var problem: String
    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }
}
