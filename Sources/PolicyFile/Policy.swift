import Anonymize
import Recode

/// A data officer's policy, as values: the role of every attribute, the hierarchies of the
/// quasi-identifiers, the privacy model and the metric. It knows nothing of the file it came from.
public struct Policy: Sendable {
    public struct Attribute: Sendable {
        public var name: String
        public var role: AttributeRole
        /// The hierarchy of a quasi-identifier. `nil` means none was given: the attribute is then
        /// published raw or, at level 1, as `*`, over the values seen in the data.
        public var hierarchy: Hierarchy?
        /// Where the hierarchy came from, for messages: a file path or a description of an inline form.
        public var hierarchySource: String?
        /// For a multi-select quasi-identifier (codes joined by `;`): the raw value that stands for
        /// any set of two or more codes, since a hierarchy cannot list every combination.
        public var multiple: String?
        /// What the column means, for the codebook; HTCDS fields take the standard's label.
        public var description: String?
        /// The column's HXL hashtag, for the hashtag row under the header.
        public var hxl: String?
        /// A quasi-identifier's weight in the loss metric (`weight:`); nil counts as 1.
        public var weight: Double?
        /// The highest level of its hierarchy the search may choose for a quasi-identifier (`maxLevel:`).
        public var maxLevel: Int?
        /// A pseudonymised attribute's scope (`scope:`); `.release` unless the policy says `stable`.
        public var pseudonymScope: PseudonymScope?

        public init(name: String, role: AttributeRole, hierarchy: Hierarchy? = nil, hierarchySource: String? = nil,
                    multiple: String? = nil) {
            self.name = name
            self.role = role
            self.hierarchy = hierarchy
            self.hierarchySource = hierarchySource
            self.multiple = multiple
        }
    }

    public var attributes: [Attribute]
    public var privacy: PrivacyModels
    public var metric: Metric
    /// Direct identifiers the policy publishes knowingly: field → the reason it gives.
    public var overrides: [String: String] = [:]
    /// Record filters, in the order written: a record that one of them matches is excluded from
    /// every output, and counted against the first that matches.
    public var filters: [RecordFilter] = []
    /// Conditional blanking, in the order written.
    public var blanks: [BlankRule] = []
    /// Top and bottom coding, applied after blanking.
    public var codings: [CodingRule] = []
    /// Rare-value folding, applied last, on counts from the first pass.
    public var folds: [FoldRule] = []
    /// Release columns computed from the canonical fields before the rules and the search.
    public var derived: [DerivedColumn] = []
    /// Cell suppression after the search, if the policy asks for it.
    public var cellSuppression: CellSuppressionRule?
    /// The largest share of the records read that may be rejected before the run stops (`maxRejectedShare`).
    public var maxRejectedShare = Policy.defaultMaxRejectedShare
    public static let defaultMaxRejectedShare = 0.05
    /// What a run does with a second record of a person a profile's person key recognises.
    public var duplicatePersons = DuplicatePersons.reject

    public init(attributes: [Attribute], privacy: PrivacyModels, metric: Metric) {
        self.attributes = attributes
        self.privacy = privacy
        self.metric = metric
    }

    public func attribute(named name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    public var quasiIdentifiers: [Attribute] { attributes.filter { $0.role == .quasiIdentifying } }

    /// The attributes published as keyed pseudonyms.
    public var pseudonymised: [Attribute] { attributes.filter { $0.role == .pseudonymised } }

    /// The pseudonymised attributes whose pseudonyms are the same in every release. They link a
    /// person's rows across releases, which undoes the differencing guard: a run with a release
    /// history must refuse them.
    public var stablePseudonyms: [String] {
        pseudonymised.filter { $0.pseudonymScope == .stable }.map(\.name)
    }

    /// The quasi-identifiers' weights in the loss, or nil when none sets one.
    public var weights: [Double]? {
        let qis = quasiIdentifiers
        return qis.contains { $0.weight != nil } ? qis.map { $0.weight ?? 1 } : nil
    }

    /// The quasi-identifiers' level caps, or nil when none sets one.
    public var maxLevels: [Int]? {
        let qis = quasiIdentifiers
        return qis.contains { $0.maxLevel != nil } ? qis.map { $0.maxLevel ?? Int.max - 1 } : nil
    }
}

/// How records of classes smaller than k are blanked rather than dropped (``CellSuppressionPlan``):
/// the quasi-identifiers that may be blanked, the first blanked first, and the most cells blanked
/// in one record.
public struct CellSuppressionRule: Sendable, Equatable {
    public var priority: [String]
    public var maxCells: Int?

    public init(priority: [String], maxCells: Int? = nil) {
        self.priority = priority
        self.maxCells = maxCells
    }
}
