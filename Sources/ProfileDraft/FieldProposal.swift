/// What the draft proposes for one source column.
public struct FieldProposal: Sendable, Equatable {
    public enum Disposition: Sendable, Equatable {
        /// Mapped to this canonical field (HTCDS v2 or `ext_`).
        case field(String)
        /// The partner's own record reference (`reference:`).
        case reference
        /// Kept out (`ignore:`), with why: "names", "phone numbers", "e-mail addresses",
        /// "identifiers", "free text", "addresses".
        case ignore(String)
        /// No good guess: the draft marks it TODO and ignores it until a person decides.
        case undecided
    }

    /// One distinct source value and the code proposed for it; nil target is a TODO.
    public struct ValueChoice: Sendable, Equatable {
        public var source: String
        public var target: String?
        public var records: Int
        public init(source: String, target: String?, records: Int) {
            self.source = source
            self.target = target
            self.records = records
        }
    }

    public var column: String
    public var disposition: Disposition
    /// 0 to 1; the writer marks a field below 0.5 for review.
    public var confidence: Double
    /// Why, in a few words each, for the draft's comments: `name "nationalité" (fr: citizenship)`.
    public var reasons: [String]
    /// Other canonical fields considered, best first.
    public var alternatives: [String]
    /// For a date: the formats that read every value, best first (`dd/MM/yyyy`).
    public var dateFormats: [String]
    /// True when every date reads with day and month either way round (no day above 12 seen).
    public var dayMonthAmbiguous: Bool
    /// Separators of a multi-select, when the values hold several codes.
    public var split: [String]
    /// For a coded or country column written in the partner's words: each distinct value, in
    /// descending order of records. Empty when the values are the codes themselves.
    public var values: [ValueChoice]
    /// Values that mean unknown (`n/a`, `inconnu`), for `missing:`.
    public var missing: [String]

    public init(column: String, disposition: Disposition, confidence: Double = 0, reasons: [String] = [], alternatives: [String] = [],
                dateFormats: [String] = [], dayMonthAmbiguous: Bool = false, split: [String] = [], values: [ValueChoice] = [], missing: [String] = []) {
        self.column = column
        self.disposition = disposition
        self.confidence = confidence
        self.reasons = reasons
        self.alternatives = alternatives
        self.dateFormats = dateFormats
        self.dayMonthAmbiguous = dayMonthAmbiguous
        self.split = split
        self.values = values
        self.missing = missing
    }
}

/// A canonical field the export implies without a column of its own.
public struct DerivedProposal: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Whole years between two canonical dates the draft maps.
        case age(birth: String, at: String)
        /// One value for every record; nil when a person must give it (a TODO).
        case constant(String?)
    }
    public var canonical: String
    public var source: Source
    public var reason: String

    public init(canonical: String, source: Source, reason: String) {
        self.canonical = canonical
        self.source = source
        self.reason = reason
    }
}

/// Everything the draft proposes for one export.
public struct ProfileProposal: Sendable, Equatable {
    /// One per column, in the export's order.
    public var columns: [FieldProposal]
    public var derived: [DerivedProposal]

    public init(columns: [FieldProposal], derived: [DerivedProposal]) {
        self.columns = columns
        self.derived = derived
    }
}
