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
///
/// Distance is optimal string alignment, in which two swapped neighbours cost one edit, as they
/// are one slip of the fingers: `fromat` is one edit from `format` and two from `from`. On a tie
/// the candidate of the word's own length wins, then the one sharing the longest prefix with it,
/// then the first listed.
func suggestion(for word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (name: String, distance: Int, lengthGap: Int, prefix: Int)?
    for candidate in candidates {
        let c = Array(candidate.lowercased())
        let d = editDistance(w, c)
        let gap = abs(c.count - w.count)
        let prefix = zip(w, c).prefix { $0 == $1 }.count
        if let b = best, (b.distance, b.lengthGap, -b.prefix) <= (d, gap, -prefix) { continue }
        best = (candidate, d, gap, prefix)
    }
    guard let best, best.distance <= max(2, w.count / 3) else { return nil }
    return best.name
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
/// adjacent characters, each costing one.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = min(current[j], before[j - 2] + 1)
            }
        }
        before = previous
        previous = current
    }
    return previous[b.count]
}
