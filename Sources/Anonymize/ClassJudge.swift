/// Decides which classes of one grouping meet every privacy model that reads more than a class's
/// size. It gathers each class's sensitive values from the raw tuples in it, one pass over the
/// (tuple, value) pairs per grouping, with scratch counts reused across classes and nodes.
final class ClassJudge {
    private let models: [any PrivacyModel]
    /// The sensitive attribute each model reads, as an index into `sensitive`.
    private let attributeOf: [Int?]
    private let sensitive: [SensitiveHistogram]
    /// Position in the evaluator's sorted raw order → tuple index in the histogram.
    private let rawOrder: [Int]
    private var scratch: [[Int]]
    private var profiles: [ClassProfile]
    private var classStart: [Int] = []
    private var members: [Int] = []

    init(models: [any PrivacyModel], sensitive: [SensitiveHistogram], rawOrder: [Int]) {
        self.models = models
        self.sensitive = sensitive
        self.rawOrder = rawOrder
        attributeOf = models.map { m in m.sensitiveAttribute.flatMap { a in sensitive.firstIndex { $0.column.name == a } } }
        scratch = sensitive.map { [Int](repeating: 0, count: $0.column.values.count) }
        profiles = sensitive.map { ClassProfile(size: 0, column: $0.column) }
        precondition(zip(models, attributeOf).allSatisfy { $0.sensitiveAttribute == nil || $1 != nil },
                     "every sensitive attribute a model reads must be counted")
    }

    /// Sets `fails[c]` for each of `classCount` classes; `classOf[position]` is the class of the raw
    /// tuple at that position of the sorted raw order.
    func judge(classCount: Int, classSize: UnsafePointer<Int>, classOf: UnsafePointer<Int32>, into fails: UnsafeMutablePointer<Bool>) {
        let rows = rawOrder.count
        classStart = [Int](repeating: 0, count: classCount + 1)
        for p in 0..<rows { classStart[Int(classOf[p]) + 1] += 1 }
        for c in 0..<classCount { classStart[c + 1] += classStart[c] }
        var next = classStart
        if members.count != rows { members = [Int](repeating: 0, count: rows) }
        for p in 0..<rows {
            let c = Int(classOf[p])
            members[next[c]] = rawOrder[p]
            next[c] += 1
        }
        for c in 0..<classCount {
            for a in sensitive.indices { gather(attribute: a, of: c, size: classSize[c]) }
            var ok = true
            for (m, model) in models.enumerated() {
                let satisfied = attributeOf[m].map { model.isSatisfied(by: profiles[$0]) }
                    ?? model.isSatisfied(by: ClassProfile(size: classSize[c]))
                if !satisfied { ok = false; break }
            }
            fails[c] = !ok
        }
    }

    private func gather(attribute a: Int, of c: Int, size: Int) {
        let table = sensitive[a]
        profiles[a].size = size
        profiles[a].codes.removeAll(keepingCapacity: true)
        profiles[a].counts.removeAll(keepingCapacity: true)
        scratch[a].withUnsafeMutableBufferPointer { acc in
            for i in classStart[c]..<classStart[c + 1] {
                let t = members[i]
                for j in table.start[t]..<table.start[t + 1] {
                    let code = Int(table.codes[j])
                    if acc[code] == 0 { profiles[a].codes.append(UInt32(code)) }
                    acc[code] += table.counts[j]
                }
            }
            for code in profiles[a].codes {
                profiles[a].counts.append(acc[Int(code)])
                acc[Int(code)] = 0
            }
        }
    }
}
