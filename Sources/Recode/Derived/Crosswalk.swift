/// A single-select crosswalk: each code of one canonical field becomes one word of one release
/// column, such as `prs_Gender` `TransgenderMasculine` → `gender` `Transgender/NonConforming`.
///
/// It fails closed. A code without a row is a ``DerivedColumnRejection`` naming the column, the
/// code and the fix, never an empty cell: an empty cell would publish a real answer as "unknown".
/// A missing value (empty) stays missing.
///
/// The table is data (`Policies/ctdc/gender.csv`, `datasource.csv`), read by the policy loader
/// and handed over already parsed:
///
/// ```swift
/// let gender = try Crosswalk(name: "Policies/ctdc/gender.csv", rows: [
///     ["field": "prs_Gender", "code": "Feminine", "column": "gender", "value": "Female"],
///     ["field": "prs_Gender", "code": "Masculine", "column": "gender", "value": "Male"],
/// ])
/// gender.value(of: "Feminine")   // .success("Female")
/// gender.value(of: "")           // .success("")
/// gender.value(of: "Agender")    // .failure: gender: prs_Gender code "Agender" is not in the crosswalk …
/// ```
public struct Crosswalk: Sendable, Equatable {
    /// Where the table came from, for messages: `Policies/ctdc/gender.csv`.
    public let name: String
    /// The canonical field read (`prs_Gender`).
    public let field: String
    /// The release column written (`gender`).
    public let column: String
    /// Code → published word.
    public let table: [String: String]

    public init(name: String, field: String, column: String, table: [String: String]) throws(DerivedColumnError) {
        guard !field.isEmpty, !column.isEmpty else { throw DerivedColumnError("\(name): a crosswalk needs a field and a column") }
        for (code, value) in table where code.isEmpty || value.isEmpty || code.contains(";") {
            throw DerivedColumnError(
                "\(name): code \"\(code)\" → \"\(value)\": codes and values must be non-empty, and a code holds no ';'")
        }
        self.name = name
        self.field = field
        self.column = column
        self.table = table
    }

    /// The rows of a table with the columns `field`, `code`, `column` and `value` (others, such as
    /// `basis`, are ignored). Every row names the same field and column; a code appears once.
    public init(name: String, rows: [[String: String]]) throws(DerivedColumnError) {
        var field: String?, column: String?
        var table: [String: String] = [:]
        for (i, row) in rows.enumerated() {
            let line = "\(name): row \(i + 1)"
            guard let f = row["field"], let code = row["code"], let c = row["column"], let value = row["value"] else {
                throw DerivedColumnError("\(line): needs the columns field, code, column and value")
            }
            guard f == (field ?? f), c == (column ?? c) else {
                throw DerivedColumnError(
                    "\(line): names \(f) → \(c), but row 1 names \(field ?? "") → \(column ?? ""); one table maps one field to one column")
            }
            field = f
            column = c
            guard table.updateValue(value, forKey: code) == nil else {
                throw DerivedColumnError("\(line): code \"\(code)\" has two rows")
            }
        }
        guard let field, let column else { throw DerivedColumnError("\(name): has no rows") }
        try self.init(name: name, field: field, column: column, table: table)
    }

    /// The published word for `code`; "" for a missing value; a rejection for a code without a row
    /// or for several codes where the field holds one.
    public func value(of code: String) -> Result<String, DerivedColumnRejection> {
        if code.isEmpty { return .success("") }
        if let word = table[code] { return .success(word) }
        if code.contains(";") {
            return .failure(DerivedColumnRejection(
                column: column, field: field, reason: "several codes where the crosswalk \(name) maps one",
                fix: "publish \(field) through a multi-select crosswalk, or correct the partner profile"))
        }
        return .failure(DerivedColumnRejection(
            column: column, field: field, reason: "not in the crosswalk \(name)", code: code,
            fix: "add a row for \"\(code)\" to \(name)"))
    }
}
