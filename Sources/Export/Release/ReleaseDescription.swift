/// What a release's files hold, column by column: the one description that `codebook.md` and
/// `datapackage.json` are both rendered from, so that they cannot disagree.
///
/// Names and values here are the values themselves; the renderers show them as the files hold
/// them (``CellEscaping``).
public struct ReleaseDescription: Sendable {
    public struct Column: Sendable {
        public var name: String
        /// `quasi-identifying`, `sensitive`, `insensitive`, or `count` for an aggregate's count.
        public var role: String
        /// What the column means, in a sentence.
        public var meaning: String
        /// The values the column can hold, when they are a short list (an empty cell aside).
        public var values: [String]?
        /// How the published value was made from the source: generalisation, rules, derivation.
        public var derivation: [String]
        /// The Frictionless type: `string` or `integer`.
        public var type: String
        /// A cell may hold several of `values`, joined by `;`.
        public var isList = false

        public init(name: String, role: String, meaning: String, values: [String]? = nil, derivation: [String] = [],
                    type: String = "string") {
            self.name = name
            self.role = role
            self.meaning = meaning
            self.values = values
            self.derivation = derivation
            self.type = type
        }
    }

    public struct Table: Sendable {
        /// The file, relative to the release directory.
        public var path: String
        public var title: String
        /// How the table was protected, in a sentence or two.
        public var protection: String
        public var delimiter: String
        public var columns: [Column]
        /// Rows between the header and the data (an HXL hashtag row).
        public var extraHeaderRows: Int

        public init(path: String, title: String, protection: String, delimiter: String, columns: [Column], extraHeaderRows: Int = 0) {
            self.path = path
            self.title = title
            self.protection = protection
            self.delimiter = delimiter
            self.columns = columns
            self.extraHeaderRows = extraHeaderRows
        }
    }

    public var title: String
    public var k: Int
    public var quasiIdentifiers: [String]
    public var tables: [Table]

    public init(title: String, k: Int, quasiIdentifiers: [String], tables: [Table]) {
        self.title = title
        self.k = k
        self.quasiIdentifiers = quasiIdentifiers
        self.tables = tables
    }
}
