import Foundation
import Ingest
import Tabular
import Yams

/// Reads a YAML configuration file into a node tree that keeps line numbers.
enum YAMLFile {
    /// The deepest `[` / `{` nesting a configuration file may use. The YAML composer recurses once
    /// per level, so without a limit a file of brackets overflows the stack.
    static let flowDepthLimit = 64
    /// The most columns of indentation (block nesting) a line may have, for the same reason.
    static let indentLimit = 256

    /// The root node and the file's bytes; `what` names the file in messages ("policy", "profile").
    static func compose(path: String, what: String) throws(PolicyError) -> (Node, Data) {
        let data = try ConfigFile.read(path: path, what: what, limit: ConfigFile.yamlLimit)
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: path, line: 0, key: "", message: "the \(what) file is not UTF-8 text; check that the right file was given")
        }
        if let line = tooDeep(Array(data)) {
            throw PolicyError(file: path, line: line, key: "", message:
                "the \(what) file nests more than \(flowDepthLimit) levels of [ and { or indents more than \(indentLimit) columns; "
                + "no \(what) needs that much, so it is not read")
        }
        if let line = aliasLine(Array(data)) {
            throw PolicyError(file: path, line: line, key: "", message:
                "the \(what) file uses a YAML anchor or alias (& or * before a name); write the value out in full, "
                + "as htdx reads no anchors or aliases")
        }
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw PolicyError(file: path, line: 0, key: "", message: "the \(what) file is empty")
            }
            return (composed, data)
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, text: text, path: path)
        } catch {
            throw PolicyError(file: path, line: 0, key: "", message: "the \(what) file is not valid YAML")
        }
    }

    /// The line at which the file first nests too deeply, if it does. Brackets are counted wherever
    /// they are, quoted or not: a real file stays far below the limit either way, and counting too
    /// many only refuses a file that could not be a configuration.
    static func tooDeep(_ bytes: [UInt8]) -> Int? {
        var depth = 0
        var line = 1
        var indent = 0
        var atStart = true
        for b in bytes {
            switch b {
            case 10:
                line += 1
                indent = 0
                atStart = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if atStart { indent += 1 }
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                // `- - - x` nests block sequences on one line; count each indicator as indentation.
                if atStart { indent += 1 }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                atStart = false
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                atStart = false
            default:
                atStart = false
            }
            if depth > flowDepthLimit || indent > indentLimit { return line }
        }
        return nil
    }

    /// The line of the first anchor (`&name`) or alias (`*name`), if any. The composer expands an
    /// alias wherever it is used, and hashing one used as a mapping key walks its whole
    /// expansion: a few hundred bytes of nested aliases take minutes. No htdx file needs them, so
    /// they are refused before composing. A node starts at the beginning of a line, after `- `,
    /// `: `, `? `, `[`, `{` or `,`; quoted text and comments are skipped. Inside a block scalar an
    /// `*` or `&` glued to a word at a line's start is also taken for one, which only refuses a
    /// file that a reader could mistake too.
    static func aliasLine(_ bytes: [UInt8]) -> Int? {
        var line = 1
        var i = 0
        var nodeStart = true
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(10), cr = UInt8(13)
        func isBlank(_ j: Int) -> Bool { j >= bytes.count || bytes[j] == space || bytes[j] == tab || bytes[j] == newline || bytes[j] == cr }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case newline:
                line += 1
                nodeStart = true
            case space, tab, cr:
                break
            case UInt8(ascii: "#") where i == 0 || isBlank(i - 1):
                while i < bytes.count && bytes[i] != newline { i += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard nodeStart else { nodeStart = false; break }
                // A quoted scalar, skipped to its closing quote but never past the end of its
                // line: a quote inside a block scalar or a plain scalar's next line would
                // otherwise hide everything after it. `\"` escapes in double quotes, `''` in single.
                let quote = b
                i += 1
                while i < bytes.count && bytes[i] != newline {
                    if quote == UInt8(ascii: "\"") && bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count && bytes[i + 1] != newline { i += 2; continue }
                    if bytes[i] == quote {
                        if quote == UInt8(ascii: "'") && i + 1 < bytes.count && bytes[i + 1] == quote { i += 2; continue }
                        break
                    }
                    i += 1
                }
                nodeStart = false
                if i >= bytes.count || bytes[i] == newline { continue }
            case UInt8(ascii: "&"), UInt8(ascii: "*"):
                if nodeStart && !isBlank(i + 1) { return line }
                nodeStart = false
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","):
                nodeStart = true
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                // An indicator only when a blank follows; otherwise part of a plain scalar.
                nodeStart = isBlank(i + 1) ? true : false
            default:
                nodeStart = false
            }
            i += 1
        }
        return nil
    }

    /// Refuses a file whose top level is not a mapping with mostly `known` keys: that is some other
    /// file given by mistake (a password file, a CSV), and reporting it key by key would print it.
    static func expectKind(_ root: Node, path: String, what: String, known: [String]) throws(PolicyError) {
        let expected = "its top level must be a mapping of keys such as \(known.prefix(4).joined(separator: ", "))"
        guard case .mapping(let map) = root else {
            throw PolicyError(file: path, line: 0, key: "", message: "not an htdx \(what): \(expected); check that the right file was given")
        }
        var matching = 0
        for (k, _) in map {
            if case .scalar(let s) = k, known.contains(s.string) { matching += 1 }
        }
        let unknown = map.count - matching
        guard matching == 0 || unknown > matching else { return }
        throw PolicyError(file: path, line: 0, key: "", message:
            "not an htdx \(what): \(unknown) of its \(map.count) top-level keys are not \(what) keys (\(expected)); "
            + "check that the right file was given")
    }

    /// The top-level keys of policies, jobs and profiles.
    static let ownKeys: Set<String> = [
        "version", "input", "attributes", "privacy", "metric", "overrides", "rules", "derive", "release",
        "policy", "inputs", "output", "rejects", "aggregates",
        "partner", "format", "standard", "csv", "xml", "reference", "ignore", "fields",
    ]

    static func syntaxError(_ error: YamlError, text: String, path: String) -> PolicyError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let found = DuplicateKeyLocator.locate(key: key, in: text)
            // The file could not be composed, so its kind is unknown: the key is named only under
            // a top-level key of htdx's own files, and only when plain.
            let shown = found?.path ?? key
            let top = String(shown.prefix { $0 != "." && $0 != "[" })
            let plain = SafeText.isPlainKey(shown.filter { $0 != "[" && $0 != "]" }) && ownKeys.contains(top)
            return PolicyError(file: path, line: found?.line ?? context.mark.line, key: plain ? shown : "",
                               message: (plain ? "is" : "a key is") + " given twice in the same mapping; give each key once")
        case .reader(_, let offset, _, _):
            // libyaml's reader problems can name the offending byte; the line is enough.
            let line = offset.map { o in text.utf8.prefix(o).filter { $0 == 10 }.count + 1 } ?? 0
            return PolicyError(file: path, line: line, key: "", message: "cannot read the YAML text (a control character or invalid byte); check that the right file was given")
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            // libyaml's problem sentences are its own fixed texts, never the file's.
            return PolicyError(file: path, line: mark.line, column: mark.column, key: "",
                               message: "YAML syntax error: \(problem)")
        default:
            return PolicyError(file: path, line: 0, key: "", message: "not valid YAML; check that the right file was given")
        }
    }
}
