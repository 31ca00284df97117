import Anonymize
import Ingest
import Recode

/// The derived release columns a policy declares, ready to be appended to every input's records.
final class DerivedColumns: Sendable {
    let set: DerivedColumnSet
    /// The canonical fields the columns read, in the order of the records `set` is bound to.
    let sourceFields: [String]
    var names: [String] { self.set.columns.map(\.name) }

    init(_ columns: [DerivedColumn]) throws(RunError) {
        var fields: [String] = []
        for column in columns { for f in column.sourceFields where !fields.contains(f) { fields.append(f) } }
        var index: [String: Int] = [:]
        for (i, f) in fields.enumerated() { index[f] = i }
        do { set = try DerivedColumnSet(columns, fieldIndex: index) } catch { throw .configuration(error.description) }
        sourceFields = fields
    }
}

/// An input's records with the policy's derived columns appended, computed from each record's
/// canonical fields before any rule or the search sees it. Both passes read the same columns, so
/// a derived column is a column like any other to the rules, the search and the writer.
///
/// A source field the input does not have is missing (empty), as in a partner that sends no birth
/// dates. A value a derived column cannot turn into a release value (a code its crosswalk does
/// not cover, an impossible age) rejects the record, naming the column and the field, never the
/// value: nothing is published empty in its place.
struct DerivedStream<Base: RecordStream & ~Copyable>: ~Copyable, RecordStream {
    private var base: Base
    private let derived: DerivedColumns
    private let baseCount: Int
    /// For each source field, its column in the base stream, or nil.
    private let sourceColumns: [Int?]
    private var record: [String]
    private var values: [String] = []
    private var derivedRejection: Rejection?
    let columns: [String]

    init(_ base: consuming Base, derived: DerivedColumns) throws(RunError) {
        let baseColumns = base.columns
        if let clash = derived.names.first(where: { baseColumns.contains($0) }) {
            throw .configuration("the policy derives \(clash), but an input already has a column of that name; rename the derived column")
        }
        sourceColumns = derived.sourceFields.map { baseColumns.firstIndex(of: $0) }
        record = Array(repeating: "", count: derived.sourceFields.count)
        baseCount = baseColumns.count
        columns = baseColumns + derived.names
        self.derived = derived
        self.base = base
    }

    var line: Int { base.line }
    var file: String { base.file }
    var reference: String { base.reference }
    var rejection: Rejection? { base.rejection ?? derivedRejection }

    mutating func next() throws(RunError) -> Bool {
        guard try base.next() else { return false }
        derivedRejection = nil
        guard base.rejection == nil else { return true }
        for (i, column) in sourceColumns.enumerated() {
            record[i] = column.map { base.string($0) } ?? ""
        }
        if let problem = derived.set.evaluate(record: record, into: &values) {
            derivedRejection = Rejection(field: problem.field.isEmpty ? problem.column : problem.field,
                                         reason: problem.category, category: problem.category)
        }
        return true
    }

    func withValue<R, E: Error>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if column < baseCount { return try base.withValue(column, body) }
        return try withUTF8(of: values[column - baseCount], body)
    }

    func string(_ column: Int) -> String {
        column < baseCount ? base.string(column) : values[column - baseCount]
    }
}
