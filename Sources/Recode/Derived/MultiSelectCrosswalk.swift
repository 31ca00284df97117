/// A crosswalk from the codes of multi-select fields to a family of 0/1 release columns and the
/// family's `…Concatenated` column: `vic_MethodsOfControl` → `meansOfControlDebtBondage`, …,
/// `meansOfControlConcatenated`.
///
/// Each ``Rule`` is one row of the reviewable table (`Policies/ctdc/means-of-control.csv`), one
/// release column per row, in the release's order:
///
/// | column | word | field | codes | unknown_codes | requires |
/// |---|---|---|---|---|---|
/// | `meansOfControlThreats` | `Threats` | `vic_MethodsOfControl` | `PhysicalThreats;ThreatensChildrenFamily` | | |
/// | `recruiterRelationOther` | `Other` | `vic_RelationshipToTrafficker` | `Unaquainted` | `Acquainted` | |
/// | `isSexAndLabour` | `Combined sexual and labour exploitation` | | | | `isForcedLabour;isSexualExploit` |
/// | `meansOfControlRestrictsMovement` | `Restricts movement` | | | | |
/// | *(empty)* | | `vic_TypeOfExploitation` | `SexualExploitation;…` | | |
///
/// A column's indicator, for one record:
/// - **empty** when its field is missing from the record (nothing was recorded);
/// - **1** when the field holds any of `codes`;
/// - otherwise **empty** when it holds any of `unknown_codes`: a code that may or may not mean
///   this column (an acquaintance may be a friend), so that 0 would claim too much;
/// - otherwise **0**: the field was recorded and lacks the column's codes.
///
/// `requires` makes a column the conjunction of others (1 when all are 1, 0 when any is 0, else
/// empty). A column with neither codes nor `requires` has no source in the standard and is always
/// published empty: no code can set it, so its zeros would mean nothing. A row with no column lists
/// codes that set no column of the family; they are known, so they do not reject.
///
/// **Fail closed.** Every code a record holds must be listed somewhere in the table for its field;
/// one that is not rejects the record with a ``DerivedColumnRejection`` naming the column, the code
/// and the fix. The `…Concatenated` value joins the words of the columns that are 1, in the rules'
/// order, so the same set always gives the same text.
///
/// The table is immutable; it is a class so that the columns reading it share one copy, and so
/// that ``DerivedColumnSet`` can parse a field once per record for all of them.
///
/// Codes are bits, parsed from the bytes of the `;`-joined canonical value without splitting it,
/// and looked up among the field's codes of the same length: an indicator costs a scan of the
/// value and a few short comparisons, and no allocation.
public final class MultiSelectCrosswalk: Sendable {
    /// One row of the table.
    public struct Rule: Sendable, Equatable {
        /// The release column, or "" for a row of codes that set no column of the family.
        public var column: String
        /// The column's word in the `…Concatenated` column.
        public var word: String
        /// The canonical multi-select field read, or "" for a column without a source or with `requires`.
        public var field: String
        /// Codes that make the column 1.
        public var codes: [String]
        /// Codes that leave the column empty when none of ``codes`` is present.
        public var unknownCodes: [String]
        /// Columns of this table that must all be 1.
        public var requires: [String]

        public init(column: String, word: String = "", field: String = "", codes: [String] = [],
                    unknownCodes: [String] = [], requires: [String] = []) {
            self.column = column
            self.word = word
            self.field = field
            self.codes = codes
            self.unknownCodes = unknownCodes
            self.requires = requires
        }
    }

    /// One column's value for a record.
    public enum Indicator: String, Sendable {
        case yes = "1"
        case no = "0"
        /// Missing, unknown or without a source: published empty.
        case empty = ""

        /// A field's parsed codes against a column's codes: yes if any is the column's, else
        /// empty if any is an unknown code, else no.
        init(codes m: UInt64, set: UInt64, unknown: UInt64) {
            self = m & set != 0 ? .yes : (m & unknown != 0 ? .empty : .no)
        }
    }

    /// Where the table came from, for messages: `Policies/ctdc/means-of-control.csv`.
    public let name: String
    /// The release columns, in the rows' order (rows without a column left out).
    public let columns: [String]
    /// The canonical fields read, in order of first appearance.
    public let fields: [String]

    enum Plan: Sendable {
        case codes(field: Int, set: UInt64, unknown: UInt64)
        case all([Int])
        case unsourced
    }

    /// Per field: its codes and their bits.
    let tables: [CodeTable]
    /// Per column.
    let plans: [Plan]
    let words: [String]
    let columnIndex: [String: Int]

    public init(name: String, rules: [Rule]) throws(DerivedColumnError) {
        var fields: [String] = []
        var bits: [[String: UInt64]] = []
        var columnIndex: [String: Int] = [:]
        var columns: [String] = []
        var words: [String] = []
        // Codes a row with no column lists, per field: they may appear in no other row.
        var inert: [String: Set<String>] = [:]
        var used: [String: Set<String>] = [:]

        func fail(_ i: Int, _ problem: String) -> DerivedColumnError {
            DerivedColumnError("\(name): row \(i + 1)\(rules[i].column.isEmpty ? "" : " (\(rules[i].column))"): \(problem)")
        }
        func slot(_ field: String) -> Int {
            if let f = fields.firstIndex(of: field) { return f }
            fields.append(field)
            bits.append([:])
            return fields.count - 1
        }
        func bit(_ code: String, field f: Int, row i: Int) throws(DerivedColumnError) -> UInt64 {
            guard !code.isEmpty, !code.contains(";") else { throw fail(i, "an empty code, or one holding ';'") }
            if let b = bits[f][code] { return b }
            guard bits[f].count < 64 else { throw fail(i, "\(fields[f]) has more than 64 codes") }
            let b = UInt64(1) << UInt64(bits[f].count)
            bits[f][code] = b
            return b
        }

        // First pass: codes, fields and columns.
        for (i, rule) in rules.enumerated() {
            if !rule.codes.isEmpty || !rule.unknownCodes.isEmpty {
                guard !rule.field.isEmpty else { throw fail(i, "lists codes but no field") }
            }
            if rule.column.isEmpty {
                guard !rule.field.isEmpty, !rule.codes.isEmpty, rule.unknownCodes.isEmpty, rule.requires.isEmpty, rule.word.isEmpty else {
                    throw fail(i, "a row without a column lists a field's codes that set no column, and nothing else")
                }
                let f = slot(rule.field)
                for code in rule.codes {
                    _ = try bit(code, field: f, row: i)
                    guard inert[rule.field, default: []].insert(code).inserted else { throw fail(i, "lists \(code) twice") }
                }
                continue
            }
            guard !rule.word.isEmpty else { throw fail(i, "needs a word for the …Concatenated column") }
            guard columnIndex.updateValue(columns.count, forKey: rule.column) == nil else { throw fail(i, "the column has two rows") }
            columns.append(rule.column)
            words.append(rule.word)
            if !rule.requires.isEmpty {
                guard rule.field.isEmpty, rule.codes.isEmpty, rule.unknownCodes.isEmpty else {
                    throw fail(i, "a column with requires takes its source from the columns it requires: leave field and codes empty")
                }
            } else if !rule.field.isEmpty {
                guard !rule.codes.isEmpty else {
                    throw fail(i, "names a field but no code that sets the column; "
                                  + "a column no code can set has no source: leave its field empty")
                }
                let f = slot(rule.field)
                for code in rule.codes + rule.unknownCodes {
                    _ = try bit(code, field: f, row: i)
                    used[rule.field, default: []].insert(code)
                }
                if let both = Set(rule.codes).intersection(rule.unknownCodes).first {
                    throw fail(i, "\(both) is both in codes and in unknown_codes")
                }
            }
        }
        for (field, codes) in inert {
            if let clash = codes.intersection(used[field] ?? []).sorted().first {
                throw DerivedColumnError("\(name): \(field) \(clash) is listed as setting no column, and also in a column's codes")
            }
        }

        // Second pass: plans, now that every column and bit is known.
        var plans: [Plan] = []
        for (i, rule) in rules.enumerated() where !rule.column.isEmpty {
            if !rule.requires.isEmpty {
                var required: [Int] = []
                for other in rule.requires {
                    guard let c = columnIndex[other], rules.first(where: { $0.column == other })?.requires.isEmpty == true else {
                        throw fail(i, "requires \(other), which is not a column of this table set by codes")
                    }
                    required.append(c)
                }
                plans.append(.all(required))
            } else if rule.field.isEmpty {
                plans.append(.unsourced)
            } else {
                let f = fields.firstIndex(of: rule.field)!
                var set: UInt64 = 0, unknown: UInt64 = 0
                for code in rule.codes { set |= bits[f][code]! }
                for code in rule.unknownCodes { unknown |= bits[f][code]! }
                plans.append(.codes(field: f, set: set, unknown: unknown))
            }
        }
        guard !columns.isEmpty else { throw DerivedColumnError("\(name): has no column") }
        self.name = name
        self.columns = columns
        self.fields = fields
        tables = bits.map(CodeTable.init)
        self.plans = plans
        self.words = words
        self.columnIndex = columnIndex
    }

    /// The rows of a table with the columns `column`, `word`, `field`, `codes`, `unknown_codes`
    /// and `requires` (others, such as `basis`, are ignored); list cells are `;`-joined.
    public convenience init(name: String, rows: [[String: String]]) throws(DerivedColumnError) {
        var rules: [Rule] = []
        for (i, row) in rows.enumerated() {
            guard let column = row["column"], let word = row["word"], let field = row["field"], let codes = row["codes"],
                  let unknown = row["unknown_codes"], let requires = row["requires"] else {
                throw DerivedColumnError("\(name): row \(i + 1): needs the columns column, word, field, codes, unknown_codes and requires")
            }
            func list(_ cell: String) -> [String] { cell.split(separator: ";").map(String.init) }
            rules.append(Rule(column: column, word: word, field: field, codes: list(codes),
                              unknownCodes: list(unknown), requires: list(requires)))
        }
        try self.init(name: name, rules: rules)
    }

    /// Every code of `field` the table lists, in a row with a column or without.
    public func codes(of field: String) -> Set<String> {
        guard let f = fields.firstIndex(of: field) else { return [] }
        return Set(tables[f].codes)
    }

    /// The position of `column` in ``columns``, or nil.
    public func index(ofColumn column: String) -> Int? { columnIndex[column] }

    /// The field slots column `c` reads (none for a column without a source).
    func fields(ofColumn c: Int) -> [Int] {
        switch plans[c] {
        case .codes(let f, _, _): return [f]
        case .all(let required): return Array(Set(required.flatMap { fields(ofColumn: $0) })).sorted()
        case .unsourced: return []
        }
    }

    // MARK: Evaluation

    /// Column `column`'s value for a record; `value(field)` gives a canonical field's value, "" when
    /// missing. `column` must be one of ``columns``: build a ``DerivedColumn`` to have that checked
    /// once, when the policy is loaded.
    public func indicator(_ column: String, record value: (String) -> String) -> Result<Indicator, DerivedColumnRejection> {
        guard let c = columnIndex[column] else { preconditionFailure("\(name) has no column \(column)") }
        return indicator(c, derivedColumn: column, mask: { self.mask($0, value(fields[$0]), column: column) })
    }

    /// Column `c`'s value, with `mask(f)` giving field slot `f`'s parsed codes (nil when missing).
    func indicator(_ c: Int, derivedColumn: String,
                   mask: (Int) -> Result<UInt64?, DerivedColumnRejection>) -> Result<Indicator, DerivedColumnRejection> {
        switch plans[c] {
        case .unsourced:
            return .success(.empty)
        case .codes(let f, let set, let unknown):
            switch mask(f) {
            case .failure(let rejection): return .failure(rejection)
            case .success(nil): return .success(.empty)
            case .success(let m?): return .success(Indicator(codes: m, set: set, unknown: unknown))
            }
        case .all(let required):
            // Three-valued "and": any 0 gives 0, else any empty gives empty. Every part is read,
            // so that an unmapped code rejects whatever the other parts hold.
            var result = Indicator.yes
            for r in required {
                switch indicator(r, derivedColumn: derivedColumn, mask: mask) {
                case .failure(let rejection): return .failure(rejection)
                case .success(.no): result = .no
                case .success(.empty): if result == .yes { result = .empty }
                case .success(.yes): break
                }
            }
            return .success(result)
        }
    }

    /// The `…Concatenated` value, with `value(f)` giving field slot `f`'s canonical value.
    func concatenated(separator: String, derivedColumn: String, value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        concatenated(separator: separator, derivedColumn: derivedColumn, mask: { mask($0, value($0), column: derivedColumn) })
    }

    /// The `…Concatenated` value, with `mask(f)` giving field slot `f`'s parsed codes (nil when
    /// missing), asked once per field.
    func concatenated(separator: String, derivedColumn: String,
                      mask: (Int) -> Result<UInt64?, DerivedColumnRejection>) -> Result<String, DerivedColumnRejection> {
        withUnsafeTemporaryAllocation(of: UInt64?.self, capacity: fields.count) { masks -> Result<String, DerivedColumnRejection> in
            var anyRecorded = false
            for f in fields.indices {
                switch mask(f) {
                case .failure(let rejection): return .failure(rejection)
                case .success(let m): masks.initializeElement(at: f, to: m); anyRecorded = anyRecorded || m != nil
                }
            }
            guard anyRecorded else { return .success("") }
            var out = ""
            let known = { (f: Int) -> Result<UInt64?, DerivedColumnRejection> in .success(masks[f]) }
            for c in plans.indices where (try? indicator(c, derivedColumn: derivedColumn, mask: known).get()) == .yes {
                if !out.isEmpty { out.append(separator) }
                out.append(words[c])
            }
            return .success(out)
        }
    }

    /// The codes of `value` (`;`-joined) as bits of field slot `f`; nil when the value holds no code.
    func mask(_ f: Int, _ value: String, column: String) -> Result<UInt64?, DerivedColumnRejection> {
        if value.isEmpty { return .success(nil) }
        if let result = value.utf8.withContiguousStorageIfAvailable({ mask(f, $0, column: column) }) { return result }
        return Array(value.utf8).withUnsafeBufferPointer { mask(f, $0, column: column) }
    }

    private func mask(_ f: Int, _ value: UnsafeBufferPointer<UInt8>, column: String) -> Result<UInt64?, DerivedColumnRejection> {
        var m: UInt64 = 0
        var any = false
        var start = 0
        while start < value.count {
            var stop = start
            while stop < value.count && value[stop] != UInt8(ascii: ";") { stop += 1 }
            if stop > start {
                let code = UnsafeBufferPointer(rebasing: value[start..<stop])
                guard let b = tables[f].bit(of: code) else {
                    let text = String(decoding: code, as: UTF8.self)
                    return .failure(DerivedColumnRejection(
                        column: column, field: fields[f], reason: "not in the crosswalk \(name)", code: text,
                        fix: "add \"\(text)\" to a row of \(name) for \(fields[f]): "
                            + "to a column's codes, or to the row without a column if it sets none"))
                }
                m |= b
                any = true
            }
            start = stop + 1
        }
        return .success(any ? m : nil)
    }
}

/// One field's codes, for looking up a code by its bytes: the codes are stored back to back and
/// indexed by length, so a lookup compares the few codes of the same length and hashes nothing.
struct CodeTable: Sendable {
    private struct Entry: Sendable {
        var start: Int
        var bit: UInt64
    }

    /// Every code, for ``MultiSelectCrosswalk/codes(of:)``.
    let codes: [String]
    private let bytes: [UInt8]
    /// Sorted by code length.
    private let entries: [Entry]
    /// `firstOfLength[n]..<firstOfLength[n + 1]`: the entries of codes of n bytes.
    private let firstOfLength: [Int]

    init(_ bits: [String: UInt64]) {
        let sorted = bits.sorted { ($0.key.utf8.count, $0.key) < ($1.key.utf8.count, $1.key) }
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        let longest = sorted.last?.key.utf8.count ?? 0
        var firstOfLength = [Int](repeating: 0, count: longest + 2)
        for (code, bit) in sorted {
            entries.append(Entry(start: bytes.count, bit: bit))
            bytes.append(contentsOf: code.utf8)
            firstOfLength[code.utf8.count + 1] = entries.count
        }
        // Lengths no code has start where the previous length ended.
        for n in firstOfLength.indices.dropFirst() where firstOfLength[n] < firstOfLength[n - 1] {
            firstOfLength[n] = firstOfLength[n - 1]
        }
        codes = sorted.map(\.key)
        self.bytes = bytes
        self.entries = entries
        self.firstOfLength = firstOfLength
    }

    /// The bit of the code whose UTF-8 is `key`, or nil.
    func bit(of key: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let n = key.count
        guard n + 1 < firstOfLength.count else { return nil }
        var e = firstOfLength[n]
        let end = firstOfLength[n + 1]
        while e < end {
            let start = entries[e].start
            var k = 0
            while k < n && bytes[start + k] == key[k] { k += 1 }
            if k == n { return entries[e].bit }
            e += 1
        }
        return nil
    }
}
