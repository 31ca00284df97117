/// Finds where a key is given twice in a policy's YAML text, and its dotted path.
///
/// Yams refuses duplicate keys before any node tree exists, naming only the key and the start of
/// its mapping. A data officer needs the line to delete, so this scans block mappings by their
/// indentation (and flow mappings within a line) for the second occurrence of the same path.
enum DuplicateKeyLocator {
    struct Location: Equatable {
        var line: Int
        var path: String
    }

    static func locate(key duplicate: String, in text: String) -> Location? {
        var stack: [(indent: Int, key: String)] = []
        var seen: Set<String> = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(rawLine)
            guard let first = line.firstIndex(where: { $0 != " " }) else { continue }
            var indent = line.distance(from: line.startIndex, to: first)
            var rest = line[first...]
            if rest.hasPrefix("- ") {
                rest = rest.dropFirst(2)
                indent += 2
            }
            guard let (key, afterKey) = leadingKey(rest) else { continue }
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            let path = (stack.map(\.key) + [key]).joined(separator: ".")
            if key == duplicate && !seen.insert(path).inserted { return Location(line: index + 1, path: path) }
            stack.append((indent, key))
            // A flow mapping on the same line, such as `privacy: {k: 5, k: 6}`.
            if let open = afterKey.firstIndex(of: "{") {
                var inner: Set<String> = []
                for part in afterKey[afterKey.index(after: open)...].split(separator: ",") {
                    guard let (k, _) = leadingKey(part.drop(while: { $0 == " " || $0 == "{" })) else { continue }
                    if k == duplicate && !inner.insert(k).inserted { return Location(line: index + 1, path: path + "." + k) }
                }
            }
        }
        return nil
    }

    /// A mapping key at the start of `text`, plain or quoted, and what follows its colon.
    private static func leadingKey(_ text: Substring) -> (String, Substring)? {
        if let quote = text.first, quote == "\"" || quote == "'" {
            guard let close = text.dropFirst().firstIndex(of: quote) else { return nil }
            let after = text[text.index(after: close)...].drop(while: { $0 == " " })
            guard after.first == ":" else { return nil }
            return (String(text[text.index(after: text.startIndex)..<close]), after.dropFirst())
        }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let after = text[text.index(after: colon)...]
        guard after.isEmpty || after.first == " " else { return nil }
        let key = text[..<colon].trimmingTrailingSpaces()
        guard !key.isEmpty, !key.contains("{"), !key.contains("[") else { return nil }
        return (String(key), after)
    }

    private static func stripComment(_ line: Substring) -> Substring {
        if line.hasPrefix("#") { return "" }
        if let hash = line.range(of: " #") { return line[..<hash.lowerBound] }
        return line
    }
}

private extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
