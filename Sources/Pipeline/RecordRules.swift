import Ingest
import PolicyFile

/// What the policy's per-record rules decide for the current record: the first filter that
/// excludes it, or what blanking and top and bottom coding rewrite (blanked fields become "",
/// coded ones their label). Conditions and thresholds see the values as ingested, each field
/// read once. Both passes decide here, so that they agree on every record; pass 2 decides again
/// rather than keeping pass 1's decisions, which would grow with the number of records.
struct RecordRules {
    var excludedBy: Int?
    var values: [String: String] = [:]
    var firedBlanks: [(Int, [String])] = []
    var firedCodings: [Int] = []

    /// The fields the rules read, each once: worked out once per pass, not per record.
    static func fieldsRead(by policy: Policy) -> [String] {
        let read = policy.filters.flatMap { $0.when.fields } + policy.blanks.flatMap { $0.when.fields } + policy.codings.map(\.field)
        return Array(Set(read)).sorted()
    }

    init<S: RecordStream & ~Copyable>(_ policy: Policy, reading fields: [String], _ stream: borrowing S, _ plan: InputPlan) {
        guard !policy.filters.isEmpty || !policy.blanks.isEmpty || !policy.codings.isEmpty else { return }
        var ingested: [String: String] = [:]
        for field in fields {
            ingested[field] = plan.columnOf[field].map { stream.string($0) } ?? ""
        }
        let value = { (field: String) in ingested[field] ?? "" }
        if let filter = policy.filters.firstIndex(where: { $0.when.holds(value) }) {
            excludedBy = filter
            return
        }
        for (i, rule) in policy.blanks.enumerated() where rule.when.holds(value) {
            firedBlanks.append((i, rule.fields))
            for f in rule.fields { values[f] = "" }
        }
        for (i, rule) in policy.codings.enumerated() where values[rule.field] == nil {
            if let label = rule.recode(value(rule.field)) {
                values[rule.field] = label
                firedCodings.append(i)
            }
        }
    }
}
