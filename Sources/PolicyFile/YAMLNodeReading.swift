import Ingest
import Tabular
import Yams

/// Typed access to a YAML node tree that keeps positions, shared by the policy and profile
/// parsers: every value read names its file, line and dotted key when it is wrong.
protocol YAMLNodeReading {
    var path: String { get }
}

extension YAMLNodeReading {

    /// The keys of a mapping. An unknown key is handed to `unknown` with its error (by default,
    /// thrown), and left out if `unknown` returns.
    func mapping(_ node: Node, key: String, allowed: [String],
                 unknown: (PolicyError, _ name: String) throws(PolicyError) -> Void = { (error: PolicyError, _: String) throws(PolicyError) in throw error }) throws(PolicyError) -> [String: Node] {
        guard case .mapping(let map) = node else {
            throw error(node, key: key.isEmpty ? "" : key, key.isEmpty ? "the policy must be a mapping of keys such as version, attributes and privacy" : "must be a mapping with keys \(allowed.joined(separator: ", "))")
        }
        var result: [String: Node] = [:]
        // A key the mapping already has is not what a misspelt one meant: beside `from:`,
        // `fomr:` is some other key, not a second `from`.
        let given = Set(map.compactMap { k, _ -> String? in
            if case .scalar(let s) = k, allowed.contains(s.string) { return s.string } else { return nil }
        })
        let absent = allowed.filter { !given.contains($0) }
        for (k, v) in map {
            let name = try string(k, key: key)
            let full = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                // Named only when plain: an unknown key may be a line of some other file.
                let unknownError = SafeText.isPlainKey(name)
                    ? error(k, key: full, "is not a known key; allowed here: \(allowed.joined(separator: ", "))\(hint(name, absent))")
                    : error(k, key: key, "has a key that is not a known key (not shown: it is not plain letters, digits, _, - and .); "
                                + "allowed here: \(allowed.joined(separator: ", "))")
                try unknown(unknownError, name)
                continue
            }
            guard result[name] == nil else { throw error(k, key: full, "is given twice") }
            result[name] = v
        }
        return result
    }

    func required(_ fields: [String: Node], _ name: String, in node: Node, key: String) throws(PolicyError) -> Node {
        guard let v = fields[name] else { throw error(node, key: "\(key).\(name)", "is missing") }
        return v
    }

    func string(_ node: Node, key: String) throws(PolicyError) -> String {
        guard case .scalar(let s) = node else { throw error(node, key: key, "must be a single value, not a list or mapping") }
        return s.string
    }

    func boolean(_ node: Node, key: String) throws(PolicyError) -> Bool {
        switch try string(node, key: key) {
        case "true": return true
        case "false": return false
        default: throw error(node, key: key, "must be true or false")
        }
    }

    func integer(_ node: Node, key: String) throws(PolicyError) -> Int {
        let text = try string(node, key: key)
        guard let v = Int(text) else { throw error(node, key: key, "must be a whole number, not \"\(SafeText.name(text))\"") }
        return v
    }

    func number(_ node: Node, key: String) throws(PolicyError) -> Double {
        let text = try string(node, key: key)
        guard let v = Double(text), v.isFinite else { throw error(node, key: key, "must be a number, not \"\(SafeText.name(text))\"") }
        return v
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func error(_ node: Node, key: String, _ message: String) -> PolicyError {
        PolicyError(file: path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, key: key, message: message)
    }

    func hint(_ word: String, _ candidates: [String]) -> String {
        suggestion(for: word, among: candidates).map { "; did you mean \"\(SafeText.name($0))\"?" } ?? ""
    }
}
