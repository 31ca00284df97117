/// Why one record cannot have a derived column: the caller rejects the record, as it rejects one
/// that ingest cannot read. Nothing is ever published empty in its place.
///
/// ``reason`` is a stable phrase without the record's values, so that reports can count records by
/// ``category``. ``code`` is set only when the value at fault is a code of a standard code list
/// (an HTCDS or `ext_` code), which names no one; dates, ages and free values are never quoted.
///
/// ```text
/// gender: prs_Gender code "Agender" is not in the crosswalk Policies/ctdc/gender.csv;
/// fix: add a row for "Agender" to Policies/ctdc/gender.csv
/// ```
public struct DerivedColumnRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The release column being derived (`gender`).
    public var column: String
    /// The canonical field whose value is at fault (`prs_Gender`).
    public var field: String
    /// What is wrong, with no record values, worded to follow "is": `not in the crosswalk gender.csv`.
    public var reason: String
    /// The code at fault, when the value is a code.
    public var code: String?
    /// What a data officer does about it.
    public var fix: String

    public init(column: String, field: String, reason: String, code: String? = nil, fix: String) {
        self.column = column
        self.field = field
        self.reason = reason
        self.code = code
        self.fix = fix
    }

    /// How reports count it: the column and the reason, never a value.
    public var category: String { "\(column): \(field)\(code == nil ? "" : " code") is \(reason)" }

    public var description: String {
        let what = code.map { "\(field) code \"\($0)\" is \(reason)" } ?? "\(field) is \(reason)"
        return "\(column): \(what); fix: \(fix)"
    }
}

/// A derivation that cannot be built: a crosswalk table that is incomplete or contradicts itself,
/// bad age bands, or a field the records do not have. Raised once, when the policy is loaded,
/// never per record.
public struct DerivedColumnError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
