/// One release column computed from a record's canonical fields: CTDC's `ageBroad` from a birth
/// date and a registration date, `gender` through a crosswalk, `meansOfControlDebtBondage` from a
/// multi-select, and so on.
///
/// A policy parser builds one from its name and ``Kind``; the pipeline binds it once to the
/// position of each field in its records (``bind(to:)``) and then evaluates it per record:
///
/// ```swift
/// let column = try DerivedColumn(name: "ageBroad", kind: .ageBand(.ctdc, .ctdc))
/// let bound = try column.bind(to: ["prs_Birthdate": 0, "ext_IdentificationDate": 1, "ext_ReportedAge": 2])
/// bound.evaluate(record: ["2000-06-15", "2018-06-14", ""])     // .success("9--17")
/// column.evaluate { ["ext_ReportedAge": "30"][$0] ?? "" }       // .success("30--38")
/// ```
///
/// For every column of a release at once, ``DerivedColumnSet`` gives the same values and parses
/// each multi-select field once per record instead of once per column.
///
/// Every kind is a pure function of the record's values. A value it cannot turn into a release
/// value gives a ``DerivedColumnRejection``, which the caller must turn into a rejected record:
/// nothing is published empty in its place. An empty value is a missing one, published empty (or
/// `Unknown` where the column has that word and the kind says so).
public struct DerivedColumn: Sendable {
    public enum Kind: Sendable {
        /// The year of an ISO date: `yearOfRegistration` from `ext_IdentificationDate`.
        case year(field: String)
        /// An age at registration, banded: `ageBroad`.
        case ageBand(AgeAtRegistration, AgeBand)
        /// Minor or adult from an age; `unknown` is published when the age is unknown.
        case majorityStatus(AgeAtRegistration, ageOfMajority: Int = MajorityStatus.ageOfMajority,
                            unknown: String = MajorityStatus.unknown.rawValue)
        /// A single-select code through a crosswalk: `gender`, `Datasource`.
        case category(Crosswalk)
        /// A country code, as alpha-2 or alpha-3: `citizenship`, `CountryOfExploitation`.
        case country(field: String, CountryForm)
        /// One 0/1 column of a multi-select crosswalk: `meansOfControlDebtBondage`.
        case indicator(MultiSelectCrosswalk, column: String)
        /// The words of a multi-select crosswalk's columns that are 1, joined by `separator`:
        /// `meansOfControlConcatenated` (`;`), `RecruiterRelationship` (`; `).
        case concatenation(MultiSelectCrosswalk, separator: String = ";")
        /// A column the standard has no source for: always published empty, never invented.
        case unsourced
    }

    /// The release column's name.
    public let name: String
    public let kind: Kind
    /// The canonical fields the column reads, in the order ``evaluate(record:)`` asks for them.
    public let sourceFields: [String]
    /// The kind compiled for the per-record path: one object, its parameters read in place.
    let evaluator: any DerivedEvaluator

    /// Checks the kind against its parameters: an indicator's column must be one of its crosswalk's.
    public init(name: String, kind: Kind) throws(DerivedColumnError) {
        guard !name.isEmpty else { throw DerivedColumnError("a derived column needs a name") }
        self.name = name
        self.kind = kind
        switch kind {
        case .year(let field):
            sourceFields = [field]
            evaluator = YearEvaluator(column: name, field: field)
        case .country(let field, let form):
            sourceFields = [field]
            evaluator = CountryEvaluator(column: name, field: field, form: form)
        case .ageBand(let age, let bands):
            try Self.check(age, name)
            sourceFields = age.fields
            evaluator = AgeEvaluator(column: name, rule: age, output: .band(bands))
        case .majorityStatus(let age, let ageOfMajority, let unknown):
            try Self.check(age, name)
            sourceFields = age.fields
            evaluator = AgeEvaluator(column: name, rule: age, output: .majority(ageOfMajority: ageOfMajority, unknown: unknown))
        case .category(let crosswalk):
            sourceFields = [crosswalk.field]
            evaluator = CategoryEvaluator(column: name, crosswalk: crosswalk)
        case .indicator(let crosswalk, let column):
            guard let c = crosswalk.index(ofColumn: column) else {
                throw DerivedColumnError(
                    "\(name): \(crosswalk.name) has no column \(column); it has \(crosswalk.columns.joined(separator: ", "))")
            }
            let read = crosswalk.fields(ofColumn: c)
            sourceFields = read.map { crosswalk.fields[$0] }
            evaluator = IndicatorEvaluator(column: name, crosswalk: crosswalk, index: c,
                                           slotOfField: crosswalk.fields.indices.map { read.firstIndex(of: $0) ?? -1 })
        case .concatenation(let crosswalk, let separator):
            sourceFields = crosswalk.fields
            evaluator = ConcatenationEvaluator(column: name, crosswalk: crosswalk, separator: separator)
        case .unsourced:
            sourceFields = []
            evaluator = UnsourcedEvaluator()
        }
    }

    private static func check(_ age: AgeAtRegistration, _ name: String) throws(DerivedColumnError) {
        guard age.reportedAge != nil || (age.birthDate != nil && age.registrationDate != nil) else {
            throw DerivedColumnError("\(name): an age needs a reported-age field, or both a birth date and a registration date")
        }
    }

    /// The column's value for one record; `value(field)` gives a canonical field's value, "" when missing.
    public func evaluate(record value: (String) -> String) -> Result<String, DerivedColumnRejection> {
        evaluator.evaluate { value(sourceFields[$0]) }
    }

    /// Resolves each source field to its position in the records, once: the per-record path.
    public func bind(to fieldIndex: [String: Int]) throws(DerivedColumnError) -> BoundDerivedColumn {
        var positions: [Int] = []
        for field in sourceFields {
            guard let p = fieldIndex[field] else {
                throw DerivedColumnError("\(name) reads \(field), which the records do not have: list it in the policy")
            }
            positions.append(p)
        }
        return BoundDerivedColumn(column: self, positions: positions)
    }
}

/// A ``DerivedColumn`` whose source fields are resolved to positions in a record: evaluate it per
/// record with the record's values. A class, so that a list of them is iterated without copying
/// each column's parameters.
public final class BoundDerivedColumn: Sendable {
    public let column: DerivedColumn
    /// Position in the record of each of the column's ``DerivedColumn/sourceFields``.
    public let positions: [Int]
    private let evaluator: any DerivedEvaluator

    init(column: DerivedColumn, positions: [Int]) {
        self.column = column
        self.positions = positions
        evaluator = column.evaluator
    }

    /// The column's value for `record`, whose fields are in the order the binding was made for.
    public func evaluate(record: [String]) -> Result<String, DerivedColumnRejection> {
        evaluator.evaluate { record[positions[$0]] }
    }
}
