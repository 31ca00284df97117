/// A ``DerivedColumn/Kind`` compiled for the per-record path.
///
/// One final class per kind, holding the kind's parameters as its own properties: evaluating reads
/// them in place. Matching the public enum instead copies its payload (crosswalk tables, band
/// labels) on every record, and the retains and releases that costs were most of the time spent.
protocol DerivedEvaluator: Sendable {
    /// The value, with `value(i)` giving the value of the column's i-th source field.
    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection>
    /// The multi-select crosswalk the column reads, if any: ``DerivedColumnSet`` then parses each
    /// of its fields once per record for every column reading it, and calls ``evaluate(masks:)``.
    var multiSelect: MultiSelectCrosswalk? { get }
    /// The value, with `mask(f)` giving the parsed codes of the crosswalk's field slot `f`.
    func evaluate(masks: (Int) -> Result<UInt64?, DerivedColumnRejection>) -> Result<String, DerivedColumnRejection>
}

extension DerivedEvaluator {
    var multiSelect: MultiSelectCrosswalk? { nil }
    func evaluate(masks: (Int) -> Result<UInt64?, DerivedColumnRejection>) -> Result<String, DerivedColumnRejection> {
        preconditionFailure("only multi-select kinds read parsed codes")
    }
}

final class YearEvaluator: DerivedEvaluator {
    let column: String
    let field: String

    init(column: String, field: String) {
        self.column = column
        self.field = field
    }

    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        let text = value(0)
        if text.isEmpty { return .success("") }
        guard let date = ISODate(text) else {
            return .failure(DerivedColumnRejection(column: column, field: field, reason: "not a date yyyy-MM-dd",
                                                   fix: "give \(field) a format in the partner profile, or correct the record"))
        }
        return .success(String(date.year))
    }
}

final class AgeEvaluator: DerivedEvaluator {
    enum Output: Sendable {
        case band(AgeBand)
        case majority(ageOfMajority: Int, unknown: String)
    }

    let column: String
    let rule: AgeAtRegistration
    let output: Output
    /// Source positions of the birth date, registration date and reported age; -1 when not read.
    let birth: Int, registered: Int, reported: Int

    init(column: String, rule: AgeAtRegistration, output: Output) {
        self.column = column
        self.rule = rule
        self.output = output
        var next = 0
        func position(_ field: String?) -> Int {
            guard field != nil else { return -1 }
            defer { next += 1 }
            return next
        }
        birth = position(rule.birthDate)
        registered = position(rule.registrationDate)
        reported = position(rule.reportedAge)
    }

    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        let age = rule.age(birthDate: birth < 0 ? "" : value(birth), registrationDate: registered < 0 ? "" : value(registered),
                           reportedAge: reported < 0 ? "" : value(reported))
        switch age {
        case .failure(let problem):
            let (field, reason, fix) = rule.explain(problem)
            return .failure(DerivedColumnRejection(column: column, field: field, reason: reason, fix: fix))
        case .success(let years):
            switch output {
            case .band(let bands): return .success(bands.label(forAge: years))
            case .majority(_, let unknown) where years == nil: return .success(unknown)
            case .majority(let ageOfMajority, _): return .success(MajorityStatus(age: years, ageOfMajority: ageOfMajority).rawValue)
            }
        }
    }
}

final class CategoryEvaluator: DerivedEvaluator {
    let column: String
    let crosswalk: Crosswalk

    init(column: String, crosswalk: Crosswalk) {
        self.column = column
        self.crosswalk = crosswalk
    }

    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        switch crosswalk.value(of: value(0)) {
        case .success(let word):
            return .success(word)
        case .failure(var rejection):
            rejection.column = column
            return .failure(rejection)
        }
    }
}

final class CountryEvaluator: DerivedEvaluator {
    let column: String
    let field: String
    let form: CountryForm

    init(column: String, field: String, form: CountryForm) {
        self.column = column
        self.field = field
        self.form = form
    }

    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        switch form.publish(value(0)) {
        case .success(let code):
            return .success(code)
        case .failure(let miss):
            return .failure(DerivedColumnRejection(
                column: column, field: field, reason: "not in the alpha-3 table", code: miss.code,
                fix: "add \(miss.code) to the alpha-2 → alpha-3 table the policy loader builds"))
        }
    }
}

final class IndicatorEvaluator: DerivedEvaluator {
    let column: String
    let crosswalk: MultiSelectCrosswalk
    /// The column's position in the crosswalk.
    let index: Int
    /// Crosswalk field slot → source position (-1 when the column does not read it).
    let slotOfField: [Int]

    init(column: String, crosswalk: MultiSelectCrosswalk, index: Int, slotOfField: [Int]) {
        self.column = column
        self.crosswalk = crosswalk
        self.index = index
        self.slotOfField = slotOfField
    }

    var multiSelect: MultiSelectCrosswalk? { crosswalk }

    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        evaluate(masks: { f in crosswalk.mask(f, value(slotOfField[f]), column: column) })
    }

    func evaluate(masks: (Int) -> Result<UInt64?, DerivedColumnRejection>) -> Result<String, DerivedColumnRejection> {
        switch crosswalk.indicator(index, derivedColumn: column, mask: masks) {
        case .success(let indicator): return .success(indicator.rawValue)
        case .failure(let rejection): return .failure(rejection)
        }
    }
}

final class ConcatenationEvaluator: DerivedEvaluator {
    let column: String
    let crosswalk: MultiSelectCrosswalk
    let separator: String

    init(column: String, crosswalk: MultiSelectCrosswalk, separator: String) {
        self.column = column
        self.crosswalk = crosswalk
        self.separator = separator
    }

    var multiSelect: MultiSelectCrosswalk? { crosswalk }

    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> {
        crosswalk.concatenated(separator: separator, derivedColumn: column, value: value)
    }

    func evaluate(masks: (Int) -> Result<UInt64?, DerivedColumnRejection>) -> Result<String, DerivedColumnRejection> {
        crosswalk.concatenated(separator: separator, derivedColumn: column, mask: masks)
    }
}

final class UnsourcedEvaluator: DerivedEvaluator {
    func evaluate(_ value: (Int) -> String) -> Result<String, DerivedColumnRejection> { .success("") }
}
