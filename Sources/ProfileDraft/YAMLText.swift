/// How the draft writes text that came from an export: always double-quoted, with every character
/// that YAML would read differently escaped, so that no column name or value (`no`, `~`, `#`,
/// `: `, a leading space, a quote) changes the profile's meaning.
enum YAMLText {
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Control characters, line and paragraph separators and the byte-order mark are escaped.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, 2) : "\\u" + hex(scalar.value, 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A name the project defines (a canonical field, an HTCDS code, a date pattern): plain when
    /// YAML reads it back unchanged, quoted otherwise.
    static func plain(_ text: String) -> String {
        let keywords: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"]
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-/.".unicodeScalars.contains($0)) }
            && !keywords.contains(text.lowercased()) && Double(text) == nil && Int(text) == nil && text.first != "-" && text.first != "."
        return safe ? text : quoted(text)
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
