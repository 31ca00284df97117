import Anonymize

/// Parses a condition written as text, such as
/// `con_Consent != TRUE or con_Consent is missing` or `ext_AgeAtIdentification < 18 and not (prs_Gender in [Feminine, Masculine])`.
///
/// Grammar: `or` binds loosest, then `and`, then `not`; parentheses group. A comparison is
/// `FIELD = V`, `FIELD != V`, `FIELD < V`, `FIELD > V`, `FIELD in [V, V, …]` or `FIELD is missing`.
/// Values are bare words or quoted with `"`.
struct ConditionParser {
    struct Failure: Error {
        var message: String
    }

    private var tokens: [String]
    private var position = 0

    init(_ text: String) throws(Failure) {
        tokens = try Self.tokenize(text)
    }

    static func parse(_ text: String) throws(Failure) -> Condition {
        var parser = try ConditionParser(text)
        let condition = try parser.or()
        guard parser.position == parser.tokens.count else {
            throw Failure(message: "unexpected \"\(parser.tokens[parser.position])\" after a complete condition")
        }
        return condition
    }

    private static func tokenize(_ text: String) throws(Failure) -> [String] {
        var tokens: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c.isWhitespace { i = text.index(after: i); continue }
            if "()[],".contains(c) { tokens.append(String(c)); i = text.index(after: i); continue }
            if c == "!" || c == "=" || c == "<" || c == ">" {
                let next = text.index(after: i)
                if c == "!" {
                    guard next < text.endIndex, text[next] == "=" else { throw Failure(message: "\"!\" must be followed by \"=\"") }
                    tokens.append("!="); i = text.index(after: next); continue
                }
                tokens.append(String(c)); i = next; continue
            }
            if c == "\"" {
                var j = text.index(after: i)
                var value = ""
                while j < text.endIndex && text[j] != "\"" { value.append(text[j]); j = text.index(after: j) }
                guard j < text.endIndex else { throw Failure(message: "a quoted value is never closed") }
                tokens.append("\"" + value)
                i = text.index(after: j)
                continue
            }
            var j = i
            while j < text.endIndex && !text[j].isWhitespace && !"()[],!=<>\"".contains(text[j]) { j = text.index(after: j) }
            tokens.append(String(text[i..<j]))
            i = j
        }
        return tokens
    }

    private var peek: String? { position < tokens.count ? tokens[position] : nil }

    private mutating func take() throws(Failure) -> String {
        guard let t = peek else { throw Failure(message: "the condition ends too soon") }
        position += 1
        return t
    }

    private mutating func expect(_ token: String) throws(Failure) {
        let t = try take()
        guard t == token else { throw Failure(message: "expected \"\(token)\", found \"\(t)\"") }
    }

    private mutating func or() throws(Failure) -> Condition {
        var left = try and()
        while peek == "or" { position += 1; left = .or(left, try and()) }
        return left
    }

    private mutating func and() throws(Failure) -> Condition {
        var left = try unary()
        while peek == "and" { position += 1; left = .and(left, try unary()) }
        return left
    }

    private mutating func unary() throws(Failure) -> Condition {
        if peek == "not" { position += 1; return .not(try unary()) }
        if peek == "(" {
            position += 1
            let inner = try or()
            try expect(")")
            return inner
        }
        return try comparison()
    }

    private mutating func value() throws(Failure) -> String {
        let t = try take()
        if t.hasPrefix("\"") { return String(t.dropFirst()) }
        guard !["(", ")", "[", "]", ",", "=", "!=", "<", ">", "and", "or", "not"].contains(t) else {
            throw Failure(message: "expected a value, found \"\(t)\"")
        }
        return t
    }

    private mutating func comparison() throws(Failure) -> Condition {
        let field = try take()
        guard field.first.map({ $0.isLetter || $0 == "_" }) == true else {
            throw Failure(message: "expected a field name, found \"\(field)\"")
        }
        let op = try take()
        switch op {
        case "=": return .equals(field: field, value: try value())
        case "!=": return .notEquals(field: field, value: try value())
        case "<": return .less(field: field, value: try value())
        case ">": return .greater(field: field, value: try value())
        case "is":
            try expect("missing")
            return .missing(field: field)
        case "in":
            try expect("[")
            var values = [try value()]
            while peek == "," { position += 1; values.append(try value()) }
            try expect("]")
            return .isIn(field: field, values: values)
        default:
            throw Failure(message: "expected =, !=, <, >, in or is missing after \(field), found \"\(op)\"")
        }
    }
}
