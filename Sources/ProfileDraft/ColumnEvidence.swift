import Ingest
import Recode

/// What a column's values say, computed once per column: the missing words, dates, whole
/// numbers. Compared with each candidate field by ``fit(_:)``.
struct ColumnEvidence: Sendable {
    let column: ColumnSummary
    /// Distinct values that are not missing words → records.
    let values: [String: Int]
    /// The missing words seen, as written, most records first.
    let missing: [String]
    let dates: DateShape
    /// Share of records holding a whole number from 0 to 120.
    let ages: Double
    /// The most frequent values, which scoring reads: a code list has tens of words, so a column
    /// whose commonest values are not codes is not that list's; the chosen field reads them all.
    let sample: [String: Int]
    static let sampleSize = 100

    init(_ column: ColumnSummary) {
        self.column = column
        var values: [String: Int] = [:], missing: [(String, Int)] = []
        for (value, records) in column.values {
            if CodeVocabulary.isMissing(value) { missing.append((value, records)) } else { values[value] = records }
        }
        self.values = values
        sample = values.count <= Self.sampleSize ? values
            : Dictionary(uniqueKeysWithValues: values.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(Self.sampleSize).map { ($0.key, $0.value) })
        self.missing = missing.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map(\.0)
        dates = DateShapes.shape(of: values)
        let total = values.values.reduce(0, +)
        let ageRecords = values.filter { Int($0.key).map { (0...120).contains($0) } ?? false }.values.reduce(0, +)
        ages = total == 0 ? 0 : Double(ageRecords) / Double(total)
    }

    var isEmpty: Bool { values.isEmpty }
    var isDates: Bool { dates.coverage >= 0.9 }

    /// What kind of values a canonical field takes, for comparing with the evidence.
    enum Kind: Equatable {
        case date, coded(CodeMatcher, multiSelect: Bool), number, other

        static func == (a: Kind, b: Kind) -> Bool {
            switch (a, b) {
            case (.date, .date), (.number, .number), (.other, .other): return true
            case (.coded(let x, let m), .coded(let y, let n)): return x.target == y.target && m == n
            default: return false
            }
        }
    }

    static func kind(of field: String) -> Kind {
        kinds[field] ?? makeKind(field)
    }

    /// Built once: a matcher folds every word of its vocabulary.
    private static let kinds: [String: Kind] = Dictionary(uniqueKeysWithValues: FieldScore.candidates.map { ($0, makeKind($0)) })

    private static func makeKind(_ field: String) -> Kind {
        switch field {
        case ExtensionField.identificationDate.rawValue: return .date
        case ExtensionField.reportedAge.rawValue: return .number
        default: break
        }
        let htcds = HTCDS.field(named: field)
        if htcds?.kind == .date { return .date }
        if htcds?.kind == .number { return .number }
        if let matcher = CodeMatcher(field: field) { return .coded(matcher, multiSelect: htcds?.isMultiSelect ?? false) }
        return .other
    }

    /// How well the values suit `field`, 0 to 1, and the value choices when it is coded.
    /// With `nearMatches` (once the field is chosen) every value is read and misspellings are looked
    /// for; without, only ``sample``, exactly.
    func fit(_ field: String, nearMatches: Bool = false) -> (score: Double, code: CodeFit?) {
        guard !isEmpty else { return (0.5, nil) }
        switch Self.kind(of: field) {
        case .date: return (dates.coverage, nil)
        case .number: return (ages, nil)
        case .coded(let matcher, let multiSelect):
            let code = CodeFit.fit(nearMatches ? values : sample, matcher: matcher, multiSelect: multiSelect, nearMatches: nearMatches)
            return (code.coverage, code)
        case .other:
            // Text with no list: nothing in the values speaks for or against, unless they are dates.
            return (isDates ? 0.2 : 0.5, nil)
        }
    }
}
