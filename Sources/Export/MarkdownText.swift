/// Text made safe for `codebook.md`. Labels, column names, titles and sentences come from
/// policies, hierarchies and partner files: a backtick, `<script>` or `|` in one is data, and must
/// neither end a code span, reach a renderer as raw HTML, nor split a table row.
enum MarkdownText {
    /// Inline text, safe in a paragraph, a heading or a table cell, and left readable as plain
    /// text: a character is escaped only where it would format. `\\`, `` ` ``, `*`, `~`, `#` and
    /// `|` always are; `_` unless inside a word (where CommonMark never reads it as emphasis); `]`
    /// where a link could follow; `<` where a tag or an autolink could start and `&` where an
    /// entity could, as entities; line breaks become spaces.
    static func text(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        func isWordy(_ i: Int) -> Bool {
            i >= 0 && i < scalars.count && (scalars[i].properties.isAlphabetic || scalars[i].properties.numericType != nil)
        }
        func startsMarkup(_ i: Int) -> Bool {
            guard i < scalars.count else { return false }
            let c = scalars[i]
            return c.isASCII && (c.properties.isAlphabetic || "/!?#".unicodeScalars.contains(c))
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for (i, c) in scalars.enumerated() {
            switch c {
            case "\\", "`", "*", "~", "#", "|": out += "\\" + String(c)
            case "_" where !(isWordy(i - 1) && isWordy(i + 1)): out += "\\_"
            case "]" where i + 1 == scalars.count || scalars[i + 1] == "(" || scalars[i + 1] == "[": out += "\\]"
            case "<" where startsMarkup(i + 1): out += "&lt;"
            case "&" where startsMarkup(i + 1): out += "&amp;"
            default: appendPlain(c, to: &out)
            }
        }
        return out
    }

    /// A code span showing `s` as it is. The fence is one backtick longer than the longest run
    /// of backticks in `s`, and padded with a space where `s` starts or ends with a backtick or
    /// a space (CommonMark strips one space from each side). In a table, `|` is escaped: GFM
    /// splits cells before it reads code spans, and shows `\|` there as `|`.
    static func code(_ s: String, inTable: Bool = false) -> String {
        var content = ""
        var run = 0, longest = 0
        for c in s.unicodeScalars {
            if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
            if inTable && c == "|" { content += "\\|"; continue }
            appendPlain(c, to: &content)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let allSpaces = content.allSatisfy { $0 == " " }
        let pad = content.first == "`" || content.last == "`"
            || (!allSpaces && content.first == " " && content.last == " ")
        return pad ? fence + " " + content + " " + fence : fence + content + fence
    }

    /// A character as it may stand in one line of Markdown: line breaks (which would end a table
    /// row or a heading) become spaces, other control characters U+FFFD.
    private static func appendPlain(_ c: Unicode.Scalar, to out: inout String) {
        switch c.value {
        case 0x0A, 0x0D, 0x09, 0x0B, 0x0C, 0x85, 0x2028, 0x2029: out += " "
        case 0x00..<0x20, 0x7F: out += "\u{FFFD}"
        default: out.unicodeScalars.append(c)
        }
    }
}
