/// How a name from a file (a column name, a key, a tag) is shown in a message.
///
/// Messages end up in terminals, logs and tickets, so a name is printed so that it cannot pass for
/// another: every character outside printable ASCII is written as its code point (`U+0435` for a
/// Cyrillic е, `U+200B` for a zero-width space), and a long name is clipped. A data value is never
/// passed through here to be shown: messages give its line and column instead.
public enum SafeText {
    /// The longest name shown, in characters, before it is clipped.
    public static let longestName = 64

    /// `name` with every character outside printable ASCII (0x20–0x7E) escaped as `U+XXXX`, and
    /// clipped after ``longestName`` characters.
    public static func name(_ name: String) -> String {
        escaped(name, clippedAt: longestName)
    }

    /// `text` escaped as ``name(_:)`` escapes, but not clipped: for paths the user gave.
    public static func path(_ text: String) -> String {
        escaped(text, clippedAt: 4096)
    }

    private static func escaped(_ name: String, clippedAt longestName: Int) -> String {
        var out = ""
        var shown = 0
        for scalar in name.unicodeScalars {
            if shown == longestName {
                out += "… (\(name.unicodeScalars.count) characters)"
                break
            }
            if (0x20...0x7E).contains(scalar.value) {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
            shown += 1
        }
        return out
    }

    /// Whether `name` is plain enough to be shown when nothing vouches for it: letters, digits, `_`,
    /// `-` and `.` only, at most ``longestName`` long. A key that is unknown in a configuration file
    /// is named only when it passes, so that a line of some other file given by mistake (a password
    /// file line, a sentence) is never echoed.
    public static func isPlainKey(_ name: String) -> Bool {
        guard !name.isEmpty, name.unicodeScalars.count <= longestName else { return false }
        return name.unicodeScalars.allSatisfy { s in
            (0x30...0x39).contains(s.value) || (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value)
                || s == "_" || s == "-" || s == "."
        }
    }

    /// An error listing's lines, at most `limit` of them, then `… and N more`.
    public static func capped(_ lines: [String], limit: Int = 20) -> [String] {
        guard lines.count > limit else { return lines }
        return Array(lines.prefix(limit)) + ["… and \(lines.count - limit) more"]
    }
}
