/// Every class of a published table checked against every model, with each model's worst measure:
/// what the verifiers state and refuse on. The classes are given as counts; the verifiers count
/// them from the published file, so the check needs nothing the run kept.
public struct ModelAudit: Sendable {
    public struct Outcome: Sendable, Equatable {
        /// The model in words.
        public var model: String
        /// The worst measure over the classes (smallest count or largest distance); nil with no classes.
        public var worst: Double?
        /// Classes that fail the model.
        public var failingClasses: Int
        /// Records in those classes.
        public var failingRecords: Int
    }

    public private(set) var outcomes: [Outcome]

    /// `sizes[c]` is class `c`'s record count; `sensitive` holds the values of each sensitive
    /// attribute per class, in the order of ``PrivacyModels/sensitiveAttributes``.
    public init(models: PrivacyModels, sizes: [Int], sensitive: [SensitiveHistogram]) {
        let attributeOf = models.models.map { m in m.sensitiveAttribute.flatMap { a in sensitive.firstIndex { $0.column.name == a } } }
        outcomes = models.models.map { Outcome(model: $0.description, worst: nil, failingClasses: 0, failingRecords: 0) }
        for (c, size) in sizes.enumerated() {
            let profiles = sensitive.map { table in
                ClassProfile(size: size, codes: Array(table.codes[table.start[c]..<table.start[c + 1]]),
                             counts: Array(table.counts[table.start[c]..<table.start[c + 1]]), column: table.column)
            }
            for (m, model) in models.models.enumerated() {
                // A model whose attribute is not in the table cannot be shown to hold.
                let profile = model.sensitiveAttribute == nil ? ClassProfile(size: size) : attributeOf[m].map { profiles[$0] }
                let satisfied = profile.map(model.isSatisfied(by:)) ?? false
                let measure = profile.map(model.measure) ?? .nan
                if !satisfied {
                    outcomes[m].failingClasses += 1
                    outcomes[m].failingRecords += size
                }
                if let worst = outcomes[m].worst {
                    outcomes[m].worst = model.largerIsBetter ? min(worst, measure) : max(worst, measure)
                } else {
                    outcomes[m].worst = measure
                }
            }
        }
    }

    /// The first model some class fails, if any.
    public var firstFailure: Outcome? { outcomes.first { $0.failingClasses > 0 } }
}
