/// Every derived column of a release, bound to the positions of its fields in the records: the
/// per-record path when a record gets all its columns at once.
///
/// The result is the one each column's ``DerivedColumn/evaluate(record:)`` gives, in column order,
/// and the same first rejection. The difference is work: a multi-select field is parsed once per
/// record for all the columns of its crosswalk (18 `meansOfControl…` columns read one field),
/// lazily, when the first of them needs it. Nothing is allocated per record but the `…Concatenated`
/// texts.
///
/// ```swift
/// let set = try DerivedColumnSet(try CTDCLayout.columns(crosswalks: crosswalks), fieldIndex: fieldIndex)
/// var values: [String] = []                      // reused from record to record
/// if let rejection = set.evaluate(record: record, into: &values) { reject(rejection) }
/// ```
public final class DerivedColumnSet: Sendable {
    public let columns: [DerivedColumn]
    private let evaluators: [any DerivedEvaluator]
    /// Per column: the record position of each source field.
    private let positions: [[Int]]
    /// Per column reading a multi-select crosswalk: crosswalk field slot → parse; empty otherwise.
    private let parseOfSlot: [[Int]]
    /// One per (crosswalk, field) read: what to parse, and where in the record.
    private let parses: [Parse]
    /// Per column, how it is evaluated: most columns are indicators set by codes of one field,
    /// computed here from the parsed field without a call per column.
    private let steps: [Step]

    private enum Step: Sendable {
        /// Through the column's evaluator.
        case general
        /// Always empty: a column without a source.
        case empty
        /// An indicator: 1 when parse `parse` holds any bit of `set`, else empty for `unknown`, else 0.
        case indicator(parse: Int, set: UInt64, unknown: UInt64)
    }

    private struct Parse: Sendable {
        let crosswalk: MultiSelectCrosswalk
        let slot: Int
        let position: Int
    }

    private enum Parsed {
        case notYet
        case done(UInt64?)
    }

    /// Binds every column to `fieldIndex` (field → position in the records).
    public init(_ columns: [DerivedColumn], fieldIndex: [String: Int]) throws(DerivedColumnError) {
        var positions: [[Int]] = []
        var parseOfSlot: [[Int]] = []
        var parses: [Parse] = []
        var steps: [Step] = []
        for column in columns {
            positions.append(try column.bind(to: fieldIndex).positions)
            guard let crosswalk = column.evaluator.multiSelect else {
                parseOfSlot.append([])
                steps.append(column.evaluator is UnsourcedEvaluator ? .empty : .general)
                continue
            }
            var slots: [Int] = []
            for (f, field) in crosswalk.fields.enumerated() {
                if let p = parses.firstIndex(where: { $0.crosswalk === crosswalk && $0.slot == f }) {
                    slots.append(p)
                } else if let position = fieldIndex[field] {
                    parses.append(Parse(crosswalk: crosswalk, slot: f, position: position))
                    slots.append(parses.count - 1)
                } else {
                    slots.append(-1)    // a field this column does not read (bind checked those it does)
                }
            }
            parseOfSlot.append(slots)
            if let indicator = column.evaluator as? IndicatorEvaluator {
                switch crosswalk.plans[indicator.index] {
                case .codes(let f, let set, let unknown): steps.append(.indicator(parse: slots[f], set: set, unknown: unknown))
                case .unsourced: steps.append(.empty)
                case .all: steps.append(.general)
                }
            } else {
                steps.append(.general)
            }
        }
        self.columns = columns
        evaluators = columns.map(\.evaluator)
        self.positions = positions
        self.parseOfSlot = parseOfSlot
        self.parses = parses
        self.steps = steps
    }

    /// Evaluates every column for `record` into `values` (made `columns.count` long, and reusable
    /// from record to record). Returns the first column's rejection, in column order, or nil; after
    /// a rejection `values` holds a partial row, to be discarded with the record.
    public func evaluate(record: [String], into values: inout [String]) -> DerivedColumnRejection? {
        if values.count != columns.count { values = [String](repeating: "", count: columns.count) }
        return withUnsafeTemporaryAllocation(of: Parsed.self, capacity: parses.count) { cache -> DerivedColumnRejection? in
            cache.initialize(repeating: .notYet)
            /// Parse `p`, from the cache or parsed now for column `i`.
            func parsed(_ p: Int, for i: Int) -> Result<UInt64?, DerivedColumnRejection> {
                if case .done(let m) = cache[p] { return .success(m) }
                let parse = parses[p]
                let result = parse.crosswalk.mask(parse.slot, record[parse.position], column: columns[i].name)
                if case .success(let m) = result { cache[p] = .done(m) }
                return result
            }
            for i in evaluators.indices {
                switch steps[i] {
                case .general:
                    break
                case .empty:
                    values[i] = ""
                    continue
                case .indicator(let p, let set, let unknown):
                    switch parsed(p, for: i) {
                    case .failure(let rejection): return rejection
                    case .success(nil): values[i] = ""
                    case .success(let m?): values[i] = MultiSelectCrosswalk.Indicator(codes: m, set: set, unknown: unknown).rawValue
                    }
                    continue
                }
                let result: Result<String, DerivedColumnRejection>
                if parseOfSlot[i].isEmpty {
                    result = evaluators[i].evaluate { record[positions[i][$0]] }
                } else {
                    result = evaluators[i].evaluate(masks: { parsed(parseOfSlot[i][$0], for: i) })
                }
                switch result {
                case .success(let value): values[i] = value
                case .failure(let rejection): return rejection
                }
            }
            return nil
        }
    }
}
