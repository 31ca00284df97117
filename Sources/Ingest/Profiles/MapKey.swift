/// How a value map's keys are matched when a value is not a key as written: case, `_`, `-` and
/// runs of white space are not told apart, so that `Domestic_Work`, `domestic-work` and
/// `domestic  work` all find `domestic work`.
///
/// Folding loses nothing as long as no two keys of one map fold alike with different targets;
/// the profile parser refuses such a map, and ``folded(_:)`` leaves those keys out.
public enum MapKey {
    /// `text` lower-cased, with `_`, `-` and white space runs made one space, trimmed.
    public static func fold(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for c in text.lowercased() {
            if c == "_" || c == "-" || c.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(c)
        }
        return out
    }

    /// The map by folded key, without the folded keys whose originals disagree.
    public static func folded(_ map: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        var clashing = Set<String>()
        for (key, target) in map {
            let f = fold(key)
            if let other = out[f], other != target { clashing.insert(f) } else { out[f] = target }
        }
        for f in clashing { out[f] = nil }
        return out
    }

    /// Pairs of keys that fold alike but map to different targets, each pair sorted.
    public static func clashes(_ map: [String: String]) -> [(String, String)] {
        var byFold: [String: String] = [:]
        var found: [(String, String)] = []
        for key in map.keys.sorted() {
            let f = fold(key)
            if let other = byFold[f] {
                if map[other] != map[key] { found.append((other, key)) }
            } else {
                byFold[f] = key
            }
        }
        return found
    }
}
