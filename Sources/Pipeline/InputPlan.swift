import Ingest
import Anonymize
import PolicyFile
import Tabular

/// How one input's columns meet the policy: where each quasi-identifier sits, and what each column
/// is. Refuses any column the policy does not name, since an unlisted column could hold names.
struct InputPlan {
    let columns: [String]
    /// `qiColumns[q]` is the column of the policy's quasi-identifier `q`, or nil when this input
    /// does not have it (its value is then empty).
    let qiColumns: [Int?]
    /// Every column by name, for the fields record filters read.
    let columnOf: [String: Int]

    init(columns: [String], policy: Policy, input: RunInput, policyPath: String) throws(RunError) {
        let unknown = columns.filter { policy.attribute(named: $0) == nil }
        // One column holding another separator throughout: the policy's delimiter is the mistake.
        if case .csv = input.kind, columns.count == 1, !unknown.isEmpty, let guess = DelimiterGuess.better(than: 0, header: columns) {
            throw .configuration(
                "\(input.path):1: the header reads as 1 column, but it holds \(DelimiterGuess.quoted(guess.delimiter)) separators: "
                    + "set `input: {delimiter: \(DelimiterGuess.quoted(guess.delimiter))}` in the policy \(policyPath) "
                    + "(the header then reads as \(guess.columns) columns; it is not quoted, in case it is data).")
        }
        if unknown.count * 2 > columns.count {
            throw .configuration(
                "\(input.path):1: \(unknown.count) of the \(columns.count) columns are not listed in the policy \(policyPath). "
                    + "Is this the right file for this policy, with its header? (The header is not quoted, in case it is data.)")
        }
        for name in unknown {
            switch input.kind {
            case .csv:
                // The position, not the name: a file without a header has data on its first line.
                let position = (columns.firstIndex(of: name) ?? 0) + 1
                throw .configuration(
                    "\(input.path):1: column \(position) of the header is not listed in the policy \(policyPath) (its name is not shown, "
                        + "in case the first line is data; htdx check \(policyPath) --sample \(input.path) --show-values shows it). "
                        + "Every input column needs a role; add it under attributes, for example `NAME: identifying`.")
            case .profiled(let profile):
                throw .configuration(
                    "profile \(profile.name) fills canonical field \(SafeText.name(name)), which the policy \(policyPath) does not list. "
                        + "Every field needs a role; add it under attributes, for example `\(SafeText.name(name)): identifying`.")
            }
        }
        self.columns = columns
        qiColumns = policy.quasiIdentifiers.map { qi in columns.firstIndex(of: qi.name) }
        var columnOf: [String: Int] = [:]
        for (i, name) in columns.enumerated() { columnOf[name] = i }
        self.columnOf = columnOf
    }
}

/// The columns of the whole run, once every input has been opened.
struct RunPlan {
    /// Published columns: the policy's non-identifying attributes that some input has, in the
    /// order the inputs first name them.
    let published: [String]
    let dropped: [String]
    /// `sources[input][j]`: the column of input `input` that fills published column `j`, or nil.
    let sources: [[Int?]]

    /// `columns`, from the policy's `release` section, fixes the published columns and their order;
    /// the other columns are dropped. A listed column that no input has is published empty.
    init(inputs: [RunInput], plans: [InputPlan], policy: Policy, policyPath: String, columns: [String]? = nil) throws(RunError) {
        var order: [String] = []
        for plan in plans { for c in plan.columns where !order.contains(c) { order.append(c) } }
        let missing = policy.attributes.map(\.name).filter { !order.contains($0) }
        // A policy may serve partners that send more than these inputs; a plain CSV run must match.
        if !missing.isEmpty && !inputs.contains(where: \.isProfiled) {
            throw .configuration(
                "\(inputs.map(\.path).joined(separator: ", ")):1: the policy \(policyPath) lists "
                    + "\(SafeText.capped(missing.map(SafeText.name)).joined(separator: ", ")), which the input does not have; "
                    + "is this the right policy for this file?")
        }
        let published = columns ?? order.filter { policy.attribute(named: $0)?.role != .identifying }
        self.published = published
        dropped = order.filter { !published.contains($0) }
        sources = plans.map { plan in published.map { plan.columns.firstIndex(of: $0) } }
    }
}
