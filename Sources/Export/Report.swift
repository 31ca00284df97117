import Anonymize
import Foundation

/// What a run did, as `report.json` records it. One value, encoded in one place: the command line,
/// the tests and later the HTML preview all read this struct.
///
/// It holds no timestamps and no paths from the machine that ran it, so the same input and policy
/// give a byte-identical report.
public struct Report: Codable, Sendable, Equatable {
    public struct Records: Codable, Sendable, Equatable {
        /// Every record read, the header excluded.
        public var `in`: Int
        public var rejected: Int
        /// Excluded by the policy's record filters, before anonymisation.
        public var excluded: Int = 0
        public var suppressed: Int
        public var published: Int
        /// Held back by the differencing guard for a later release; absent when none were.
        public var heldBack: Int?
        /// ⌊suppressionLimit × (in − rejected − excluded)⌋.
        public var suppressionAllowed: Int

        public init(in recordsIn: Int, rejected: Int, suppressed: Int, published: Int, suppressionAllowed: Int, heldBack: Int = 0) {
            self.in = recordsIn
            self.heldBack = heldBack > 0 ? heldBack : nil
            self.rejected = rejected
            self.suppressed = suppressed
            self.published = published
            self.suppressionAllowed = suppressionAllowed
        }
    }

    public struct EquivalenceClasses: Codable, Sendable, Equatable {
        public var count: Int
        public var smallest: Int
        public var mean: Double

        public init(count: Int, smallest: Int, mean: Double) {
            self.count = count
            self.smallest = smallest
            self.mean = mean
        }
    }

    /// One partner's share of the accounting: read = accepted + Σ rejected.
    public struct Partner: Codable, Sendable, Equatable {
        public var read: Int
        public var accepted: Int
        public var rejected: [String: Int]

        public init(read: Int, accepted: Int, rejected: [String: Int]) {
            self.read = read
            self.accepted = accepted
            self.rejected = rejected
        }
    }

    public struct Search: Codable, Sendable, Equatable {
        public var latticeSize: Int
        public var nodesEvaluated: Int
        public var distinctTuples: Int

        public init(latticeSize: Int, nodesEvaluated: Int, distinctTuples: Int) {
            self.latticeSize = latticeSize
            self.nodesEvaluated = nodesEvaluated
            self.distinctTuples = distinctTuples
        }
    }

    public var format: String = "htdx-report/1"
    public var input: String
    public var k: Int
    public var suppressionLimit: Double
    public var metric: String
    public var informationLoss: Double
    public var attributeLoss: [String: Double]
    public var discernibility: Double
    public var records: Records
    /// Reasons for rejection and how many records each rejected; the rejects file has the lines.
    public var rejections: [String: Int]
    /// Per partner (a profile's name, or `csv:FILE` for a plain CSV input).
    public var partners: [String: Partner]
    public var transformation: [String: Int]
    public var quasiIdentifiers: [String]
    public var equivalenceClasses: EquivalenceClasses
    public var search: Search
    /// The published columns, in order.
    public var columns: [String]
    public var dropped: [String]
    public var policySHA256: String
    public var hierarchySHA256: [String: String]
    /// Direct identifiers published under an override, with the policy's reason: for review.
    public var overrides: [String: String] = [:]
    /// Records excluded by each record filter.
    public var exclusions: [String: Int] = [:]
    /// What each rule of the policy touched. A rule that touched nothing is flagged: its value may
    /// hold a typo.
    public var rules: [Rule] = []
    /// `two-renames` when the file system refused to swap the old release and the new one in one
    /// step, so the old one was moved aside first and the directory was briefly absent (a later
    /// run puts it back if a crash fell in between). Absent when the swap was atomic.
    public var publication: String?
    /// Re-identification risk over the quasi-identifiers before anonymisation (after the rules)
    /// and after it, with each quasi-identifier's utility. The published report keeps the
    /// frequency table of the published labels only: the table before anonymisation lists raw
    /// values, rare ones included, which is what the release exists to hide.
    public var risk: RiskReport?

    /// The aggregate files, with their rows and, for cross-tabulations, how many cells were
    /// suppressed (never which, nor which were primary).
    public var aggregates: [Aggregate]?

    public struct Aggregate: Codable, Sendable, Equatable {
        public var file: String
        public var rows: Int
        public var suppressedCells: Int?

        public init(file: String, rows: Int, suppressedCells: Int?) {
            self.file = file
            self.rows = rows
            self.suppressedCells = suppressedCells
        }
    }

    /// What the differencing guard did against the earlier releases of the history; absent when
    /// the run kept no history.
    public var history: History?

    public struct History: Codable, Sendable, Equatable {
        /// Earlier releases the classes and cells were compared with.
        public var releasesCompared: Int
        /// Whether the latest earlier release's transformation was kept instead of the search's.
        public var earlierTransformationKept: Bool
        /// Records held back for a later release, and the classes they come from.
        public var recordsHeldBack: Int
        public var classesHeldBack: Int
        /// The smallest non-zero difference from any earlier release, after the guard (≥ k when it
        /// is there); nil when nothing differs, or nothing was compared.
        public var smallestDifference: Int?
        /// Aggregate cells suppressed because they differed from an earlier release by 1 to k − 1.
        public var aggregateCellsSuppressed: Int

        public init(releasesCompared: Int, earlierTransformationKept: Bool, recordsHeldBack: Int, classesHeldBack: Int,
                    smallestDifference: Int?, aggregateCellsSuppressed: Int) {
            self.releasesCompared = releasesCompared
            self.earlierTransformationKept = earlierTransformationKept
            self.recordsHeldBack = recordsHeldBack
            self.classesHeldBack = classesHeldBack
            self.smallestDifference = smallestDifference
            self.aggregateCellsSuppressed = aggregateCellsSuppressed
        }
    }

    /// Per CSV the run wrote (`anonymized.csv`, `rejects`, each aggregate file), the cells published
    /// with a leading `'` because a spreadsheet would have run them as a formula (``CellEscaping``).
    public var cellsEscaped: [String: Int]?

    /// Hashes of the crosswalk files behind the derived columns, when the policy derives any.
    public var crosswalkSHA256: [String: String]?
    /// What cell suppression did, when the policy asks for it: the records of classes smaller than
    /// k that published with blanked cells instead of being suppressed.
    public var cellSuppression: CellSuppression?
    /// Every privacy model beyond k-anonymity, with its worst measure over the published classes
    /// (counted from the written file); absent when k-anonymity is the only model.
    public var privacyModels: [PrivacyModelOutcome]?
    /// Quasi-identifier weights in the loss, when the policy sets any.
    public var weights: [String: Double]?

    public struct PrivacyModelOutcome: Codable, Sendable, Equatable {
        /// The model in words, such as "distinct 3-diversity of occupation".
        public var model: String
        /// The worst measure of any published class, in the model's own terms: the smallest class
        /// (k), distinct count or e^entropy (ℓ-diversity), the largest r₁ ÷ (r_ℓ + … + rₘ)
        /// (recursive), the largest distance (t-closeness).
        public var worst: Double?
        public init(model: String, worst: Double?) {
            self.model = model
            self.worst = worst
        }
    }

    public struct CellSuppression: Codable, Sendable, Equatable {
        public var priority: [String]
        public var maxCells: Int
        /// Per attribute, the cells blanked that held a value.
        public var cellsBlanked: [String: Int]
        public var recordsBlanked: Int
        /// Records of small classes that no blanking within the limits could bring to k.
        public var recordsSuppressed: Int

        public init(priority: [String], maxCells: Int, cellsBlanked: [String: Int], recordsBlanked: Int, recordsSuppressed: Int) {
            self.priority = priority
            self.maxCells = maxCells
            self.cellsBlanked = cellsBlanked
            self.recordsBlanked = recordsBlanked
            self.recordsSuppressed = recordsSuppressed
        }
    }

    // Records lost before anonymisation, beyond `records` and `rejections`.

    /// The share of the records read that the run allowed to be rejected (`maxRejectedShare`).
    public var maxRejectedShare: Double?
    /// Repeated partner references, rejected as `duplicate reference` and counted in `rejections`.
    public var duplicates: Duplicates?
    /// Each date field of a profile whose format failed on some values: how many, and how many
    /// would have parsed with day and month swapped. Absent when every date parsed.
    public var dateFormats: [DateFormatCheck]?
    /// Records of one person recognised by the profiles' person keys; absent when no profile names one.
    public var persons: Persons?

    public struct Persons: Codable, Sendable, Equatable {
        /// The policy's `duplicatePersons`: `reject` or `keepMostComplete`.
        public var rule: String
        /// Readable records (not already rejected as a duplicate reference) whose person key was complete.
        public var recordsWithKey: Int
        /// Readable records of inputs with a person key that lacked a field of it: never matched.
        public var recordsWithoutKey: Int
        /// Readable records of inputs whose profile names no person key.
        public var recordsNotChecked: Int
        /// Records rejected as `duplicate person`, counted in `rejections` too.
        public var duplicates: Int
        /// For each pair of partners that both sent some person: how many persons.
        public var partnerPairs: [Pair]

        public struct Pair: Codable, Sendable, Equatable {
            public var partners: [String]
            public var persons: Int

            public init(partners: [String], persons: Int) {
                self.partners = partners
                self.persons = persons
            }
        }

        public init(rule: String, recordsWithKey: Int, recordsWithoutKey: Int, recordsNotChecked: Int, duplicates: Int, partnerPairs: [Pair]) {
            self.rule = rule
            self.recordsWithKey = recordsWithKey
            self.recordsWithoutKey = recordsWithoutKey
            self.recordsNotChecked = recordsNotChecked
            self.duplicates = duplicates
            self.partnerPairs = partnerPairs
        }
    }

    public struct Duplicates: Codable, Sendable, Equatable {
        /// False when no input names a reference field (a plain CSV): nothing was deduplicated.
        public var checked: Bool
        /// Records rejected because their partner had already sent their reference.
        public var rejected: Int
        /// Readable records of inputs with a reference field that left it empty: not checked.
        public var withoutReference: Int

        public init(checked: Bool, rejected: Int, withoutReference: Int) {
            self.checked = checked
            self.rejected = rejected
            self.withoutReference = withoutReference
        }
    }

    public struct DateFormatCheck: Codable, Sendable, Equatable {
        public var partner: String
        public var field: String
        /// The profile's format(s) for the field.
        public var format: String
        /// Non-empty values seen (of accepted records, and those that failed the format).
        public var values: Int
        public var failing: Int
        /// Failing values that parse with day and month swapped.
        public var parseSwapped: Int
        /// Every failure parses swapped, and they are at least 20 % of the values: the run stops.
        public var likelySwap: Bool

        public init(partner: String, field: String, format: String, values: Int, failing: Int, parseSwapped: Int, likelySwap: Bool) {
            self.partner = partner
            self.field = field
            self.format = format
            self.values = values
            self.failing = failing
            self.parseSwapped = parseSwapped
            self.likelySwap = likelySwap
        }
    }

    public struct Rule: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var records: Int
        /// For a blanking rule: the cells it emptied that held a value.
        public var cells: Int?
        /// For a fold: how many distinct values it replaced. Never which: a rare value is exactly
        /// what the fold exists to hide.
        public var valuesFolded: Int?
        public var touchedNothing: Bool

        public init(name: String, kind: String, records: Int) {
            self.name = name
            self.kind = kind
            self.records = records
            touchedNothing = records == 0
        }
    }

    public init(
        input: String, k: Int, suppressionLimit: Double, metric: String, informationLoss: Double,
        attributeLoss: [String: Double], discernibility: Double, records: Records, rejections: [String: Int],
        partners: [String: Partner],
        transformation: [String: Int], quasiIdentifiers: [String], equivalenceClasses: EquivalenceClasses,
        search: Search, columns: [String], dropped: [String], policySHA256: String, hierarchySHA256: [String: String]
    ) {
        self.input = input
        self.k = k
        self.suppressionLimit = suppressionLimit
        self.metric = metric
        self.informationLoss = informationLoss
        self.attributeLoss = attributeLoss
        self.discernibility = discernibility
        self.records = records
        self.rejections = rejections
        self.partners = partners
        self.transformation = transformation
        self.quasiIdentifiers = quasiIdentifiers
        self.equivalenceClasses = equivalenceClasses
        self.search = search
        self.columns = columns
        self.dropped = dropped
        self.policySHA256 = policySHA256
        self.hierarchySHA256 = hierarchySHA256
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(10)
        return data
    }

    public static func decode(_ data: Data) throws -> Report {
        try JSONDecoder().decode(Report.self, from: data)
    }
}
