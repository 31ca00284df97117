import Anonymize

/// How the input's columns meet the policy: each column's role, where each quasi-identifier sits,
/// and which columns are published. Built from the header; refuses any column the policy does not
/// name, since an unlisted column could hold names.
struct ColumnPlan {
    let header: [String]
    let roles: [AttributeRole]
    /// Quasi-identifiers in the policy's attribute order: the order of a transformation's levels.
    let quasiIdentifiers: [Policy.Attribute]
    /// `qiColumns[q]` is the input column of quasi-identifier `q`.
    let qiColumns: [Int]
    /// For each input column, its quasi-identifier index, or nil.
    let qiIndexOfColumn: [Int?]
    /// Input columns that are published, in input order.
    let published: [Int]

    init(header: [String], policy: Policy, policyPath: String, inputPath: String) throws(RunError) {
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw .inputData("\(inputPath):1: the header names column \"\(name)\" twice; column names must be unique")
        }
        var roles: [AttributeRole] = []
        for name in header {
            guard let attribute = policy.attribute(named: name) else {
                throw .configuration(
                    "\(inputPath):1: column \"\(name)\" is not listed in the policy \(policyPath). "
                        + "Every input column needs a role; add it under attributes, for example `\(name): identifying`.")
            }
            roles.append(attribute.role)
        }
        let missing = policy.attributes.map(\.name).filter { !seen.contains($0) }
        if !missing.isEmpty {
            throw .configuration(
                "\(inputPath):1: the policy \(policyPath) lists \(missing.map { "\"\($0)\"" }.joined(separator: ", ")), "
                    + "which the input does not have; is this the right policy for this file?")
        }
        self.header = header
        self.roles = roles
        quasiIdentifiers = policy.quasiIdentifiers
        qiColumns = quasiIdentifiers.map { qi in header.firstIndex(of: qi.name)! }
        var qiOf = [Int?](repeating: nil, count: header.count)
        for (q, c) in qiColumns.enumerated() { qiOf[c] = q }
        qiIndexOfColumn = qiOf
        published = header.indices.filter { roles[$0] != .identifying }
    }

    var publishedNames: [String] { published.map { header[$0] } }
    var droppedNames: [String] { header.indices.filter { roles[$0] == .identifying }.map { header[$0] } }
}
