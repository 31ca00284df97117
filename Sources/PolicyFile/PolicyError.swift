import Ingest
import Tabular

/// A mistake in a policy file or a hierarchy it names: where it is, which key, and how to fix it.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem belongs to the file as a whole.
    public var line: Int
    public var column: Int
    /// The dotted path of the key, such as `privacy.k`; empty for the whole file.
    public var key: String
    public var message: String
    /// Further mistakes found in the same file or its hierarchies, for `htdx check` to list; a run
    /// reports the first.
    public var more: [PolicyError] = []

    public init(file: String, line: Int, column: Int = 0, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = Self.place(file: file, line: line, column: column)
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(SafeText.path(key)): \(message)"
    }

    /// `file:line:col` as compilers write it; the line and column left out when unknown (0).
    public static func place(file: String, line: Int, column: Int) -> String {
        var place = SafeText.path(file)
        if line > 0 { place += ":\(line)" }
        if line > 0 && column > 0 { place += ":\(column)" }
        return place
    }
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough to be a likely typo.
func suggestion(for word: String, among candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let w = Array(word.lowercased())
    let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
    guard let (best, d) = scored, d <= max(2, w.count / 3) else { return nil }
    return best
}
