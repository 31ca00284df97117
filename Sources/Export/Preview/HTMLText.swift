import Foundation

/// Text made safe for HTML, and tables of it.
enum HTMLText {
    /// Escapes the five characters that can end a text node or an attribute value. Every string
    /// from a policy, a hierarchy or a report goes through here: a label such as `<15` is data.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A table with a header row; cells are escaped here. `numeric` columns align right.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], caption: String? = nil) -> String {
        var html = "<table>"
        if let caption { html += "<caption>\(escape(caption))</caption>" }
        html += "<thead><tr>" + header.enumerated().map { i, h in
            "<th\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(h))</th>"
        }.joined() + "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>" + row.enumerated().map { i, cell in
                "<td\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(cell))</td>"
            }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }
}
