/// The text form of an attribute combination, `attr:value;attr:value`, as Microsoft's Synthetic
/// Data Showcase writes its aggregates.
///
/// The separators `:` and `;` and the escape character `%` are percent-escaped inside names and
/// values (`%3A`, `%3B`, `%25`), so that any name or value, however hostile, joins and splits back
/// unambiguously. Nothing else is escaped: the CSV layer quotes commas, quotes and line breaks.
///
/// ```swift
/// CombinationLabel.join([("ratio", "1:2"), ("country", "GB")])   // "ratio:1%3A2;country:GB"
/// ```
public enum CombinationLabel {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case ":": out += "%3A"
            case ";": out += "%3B"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The text that ``escape(_:)`` made, or `nil` if `text` holds a bare separator or a `%` that
    /// does not start one of the three escapes (escapes are written in upper case only).
    public static func unescape(_ text: String) -> String? {
        var out = ""
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == ":" || c == ";" { return nil }
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            guard i + 2 < scalars.count else { return nil }
            switch String(String.UnicodeScalarView(scalars[(i + 1)...(i + 2)])) {
            case "25": out += "%"
            case "3A": out += ":"
            case "3B": out += ";"
            default: return nil
            }
            i += 3
        }
        return out
    }

    /// Joins attribute–value pairs, given in attribute order.
    public static func join(_ pairs: [(attribute: String, value: String)]) -> String {
        pairs.map { escape($0.attribute) + ":" + escape($0.value) }.joined(separator: ";")
    }

    /// Splits a label made by ``join(_:)``, or returns `nil` if it is not one: an empty label, an
    /// empty name or value, or a pair without exactly one separating `:`.
    public static func split(_ label: String) -> [(attribute: String, value: String)]? {
        guard !label.isEmpty else { return nil }
        var pairs: [(attribute: String, value: String)] = []
        for part in label.split(separator: ";", omittingEmptySubsequences: false) {
            let halves = part.split(separator: ":", omittingEmptySubsequences: false)
            guard halves.count == 2,
                  let name = unescape(String(halves[0])), let value = unescape(String(halves[1])),
                  !name.isEmpty, !value.isEmpty
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
