/// How one partner's export becomes canonical records: written once per partner by a data officer,
/// so that a new partner needs no code.
///
/// Every source column is either mapped to a canonical field or explicitly ignored; a column that
/// is neither stops the run, because a partner who adds a column of names must not leak them.
public struct PartnerProfile: Sendable {
    public struct CSVLayout: Sendable, Equatable {
        public var delimiter: UInt8
        public var encoding: TextEncoding
        /// Lines before the data; the column names are on line `nameRow` of them.
        public var headerRows: Int
        public var nameRow: Int

        public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8, headerRows: Int = 1, nameRow: Int = 1) {
            self.delimiter = delimiter
            self.encoding = encoding
            self.headerRows = headerRows
            self.nameRow = nameRow
        }
    }

    public struct XMLLayout: Sendable, Equatable {
        /// The record element, as a possibly prefixed name (`h:case`, `data`).
        public var record: String
        /// Prefix → namespace URI for the record and every path; `""` gives unprefixed element steps
        /// a namespace. Documents are matched by URI, whatever prefixes they use.
        public var namespaces: [String: String]
        /// The input is a directory of submission files, one document each (ODK, KoBo), read in
        /// name order; otherwise it is one file of many records.
        public var submissions: Bool

        public init(record: String, namespaces: [String: String] = [:], submissions: Bool = false) {
            self.record = record
            self.namespaces = namespaces
            self.submissions = submissions
        }
    }

    public enum Format: Sendable {
        case csv(CSVLayout)
        case xml(XMLLayout)
    }

    /// The partner's name, as reports and rejects show it.
    public var name: String
    public var format: Format
    /// The HTCDS version whose codes the partner sends: "2.0", "1.0" or "0.2".
    public var standard: String
    /// The source column (CSV) or path (XML) holding the partner's own record reference, for rejects.
    public var reference: String?
    public var fields: [FieldRule]
    /// Source columns (or XML paths, with everything below them) deliberately dropped at the door;
    /// `#N` names the N-th CSV column when it has no name.
    public var ignored: [String]
    /// The canonical fields that recognise a person across partners (`personKey`), or nil.
    public var personKey: PersonKeyFields?

    public init(name: String, format: Format, standard: String = "2.0", reference: String? = nil,
                fields: [FieldRule], ignored: [String] = []) {
        self.name = name
        self.format = format
        self.standard = standard
        self.reference = reference
        self.fields = fields
        self.ignored = ignored
    }

    /// The canonical fields this profile produces, in order.
    public var canonicalFields: [String] { fields.map(\.canonical) }
}

/// The canonical fields a profile names as its person key: hashed together with the run's key,
/// they recognise records of one person, from one partner or several.
public struct PersonKeyFields: Sendable, Equatable {
    /// The name fields, in any order: their parts are pooled and sorted.
    public var names: [String]
    public var birthDate: String
    public var citizenship: String

    public init(names: [String], birthDate: String, citizenship: String) {
        self.names = names
        self.birthDate = birthDate
        self.citizenship = citizenship
    }

    public var all: [String] { names + [birthDate, citizenship] }
}

/// How one canonical field is filled.
public struct FieldRule: Sendable {
    public enum Source: Sendable, Equatable {
        /// A source column (CSV) by name.
        case column(String)
        /// The same value on every record, such as the data source.
        case constant(String)
        /// Whole years from one canonical date field to another, such as birth to identification.
        case ageInYears(birth: String, at: String)
    }

    public enum Kind: Sendable, Equatable {
        /// Published as written, trimmed.
        case text
        /// A code; mapped by `valueMap` when it has one.
        case code
        /// A date in one of the formats, stored as yyyy-MM-dd.
        case date([DateFormat])
        /// An ISO 3166 country, alpha-2 or alpha-3, stored as alpha-2.
        case country
        /// A whole number.
        case integer
    }

    public var canonical: String
    public var source: Source
    public var kind: Kind
    /// The separators of a multi-select in the source (`;`, ` `, ` + `), any of which splits; empty
    /// for a field that holds one value. The canonical form joins the sorted, distinct values with `;`.
    public var split: [String]
    /// Source value (trimmed) → canonical value. When present, a value it does not cover rejects
    /// the record: a partner's new category must never become a silent empty. A value that is not
    /// a key is looked up again folded (``MapKey``), so `domestic_work` finds `domestic work`.
    public var valueMap: [String: String] { didSet { foldedMap = MapKey.folded(valueMap) } }
    /// `valueMap` by folded key; a folded key that two keys with different targets share is left
    /// out, so folding never picks between them (the profile parser refuses such maps).
    public private(set) var foldedMap: [String: String]
    /// Source values that mean "unknown" and become an empty cell.
    public var missing: Set<String>

    public init(canonical: String, source: Source, kind: Kind = .text, split: [String] = [],
                valueMap: [String: String] = [:], missing: Set<String> = [""]) {
        self.canonical = canonical
        self.source = source
        self.kind = kind
        self.split = split
        self.valueMap = valueMap
        self.foldedMap = MapKey.folded(valueMap)
        self.missing = missing
    }

    /// Whether the field is a multi-select in the source.
    public var isMultiSelect: Bool { !split.isEmpty }
}
