import Anonymize
import Recode

/// Parses a condition written as text, such as
/// `con_Consent != TRUE or con_Consent is missing` or `ext_AgeAtIdentification < 18 and not (prs_Gender in [Feminine, Masculine])`.
///
/// Grammar: `or` binds loosest, then `and`, then `not`; parentheses group. A comparison is
/// `FIELD = V`, `FIELD != V`, `FIELD < V`, `FIELD > V`, `FIELD in [V, V, …]` or `FIELD is missing`.
/// Values are bare words or quoted with `"`.
///
/// A policy is untrusted input, and the parser and the evaluator recurse once per level of
/// nesting, so a condition is limited in length, nesting and comparisons (``Limits``): without
/// them 200,000 nested `not`s overflowed the stack. A chain of `and` or `or` is read into one flat
/// list, so its length costs no depth in parsing, evaluating or freeing it.
public struct ConditionParser {
    public struct Failure: Error {
        public var message: String
    }

    public enum Limits {
        /// The longest condition, in UTF-8 bytes.
        public static let bytes = 65_536
        /// The deepest nesting of parentheses and `not` (`not (…)` is one level).
        public static let depth = 64
        /// The most comparisons in one condition.
        public static let comparisons = 1_000
    }

    /// A word, an operator or punctuation, or a quoted value (never an operator).
    private struct Token {
        var text: String
        var quoted = false
    }

    private var tokens: [Token]
    private var position = 0
    private var depth = 0
    private var comparisons = 0

    init(_ text: String) throws(Failure) {
        tokens = try Self.tokenize(text)
    }

    public static func parse(_ text: String) throws(Failure) -> Condition {
        let bytes = text.utf8.count
        guard bytes <= Limits.bytes else {
            throw Failure(message: "the condition is \(bytes) bytes long, more than the limit of \(Limits.bytes); split it into several rules")
        }
        var parser = try ConditionParser(text)
        let condition = try parser.or()
        guard parser.position == parser.tokens.count else {
            throw Failure(message: "unexpected \(shown(parser.tokens[parser.position].text)) after a complete condition")
        }
        return condition
    }

    /// Works on Unicode scalars, not Characters: a combining mark after `(` would otherwise join it
    /// into one Character that is no longer a parenthesis.
    private static func tokenize(_ text: String) throws(Failure) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func word(_ range: Range<Int>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[range])
            return String(s)
        }
        while i < scalars.count {
            let c = scalars[i]
            if c.properties.isWhitespace { i += 1; continue }
            if "()[],=<>".unicodeScalars.contains(c) { tokens.append(Token(text: String(Character(c)))); i += 1; continue }
            if c == "!" {
                guard i + 1 < scalars.count, scalars[i + 1] == "=" else { throw Failure(message: "\"!\" must be followed by \"=\"") }
                tokens.append(Token(text: "!=")); i += 2; continue
            }
            if c == "\"" {
                var j = i + 1
                while j < scalars.count && scalars[j] != "\"" { j += 1 }
                guard j < scalars.count else { throw Failure(message: "a quoted value is never closed") }
                tokens.append(Token(text: word(i + 1..<j), quoted: true))
                i = j + 1
                continue
            }
            var j = i
            while j < scalars.count && !Condition.breaksWord(scalars[j]) { j += 1 }
            tokens.append(Token(text: word(i..<j)))
            i = j
        }
        return tokens
    }

    /// A token for a message, quoted and cut short: a policy's text may be long.
    private static func shown(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? "\"\(text)\"" : "\"\(String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))))…\""
    }

    /// The next token when it is not quoted, to be matched against operators and punctuation.
    private var peek: String? { position < tokens.count && !tokens[position].quoted ? tokens[position].text : nil }

    private mutating func take() throws(Failure) -> Token {
        guard position < tokens.count else { throw Failure(message: "the condition ends too soon") }
        position += 1
        return tokens[position - 1]
    }

    private mutating func expect(_ token: String) throws(Failure) {
        let t = try take()
        guard !t.quoted && t.text == token else { throw Failure(message: "expected \"\(token)\", found \(Self.shown(t.text))") }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Limits.depth else {
            throw Failure(message: "the condition nests parentheses and \"not\" more than \(Limits.depth) deep; write it flatter or split it into several rules")
        }
    }

    private mutating func or() throws(Failure) -> Condition {
        var terms = [try and()]
        while peek == "or" { position += 1; terms.append(try and()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func and() throws(Failure) -> Condition {
        var terms = [try unary()]
        while peek == "and" { position += 1; terms.append(try unary()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func unary() throws(Failure) -> Condition {
        if peek == "not" {
            position += 1
            // `not (…)`, as Condition.text prints it, is one level; the parenthesis counts it.
            if peek == "(" { return .not(try unary()) }
            try enter()
            let operand = try unary()
            depth -= 1
            return .not(operand)
        }
        if peek == "(" {
            position += 1
            try enter()
            let inner = try or()
            try expect(")")
            depth -= 1
            return inner
        }
        return try comparison()
    }

    private mutating func value() throws(Failure) -> String {
        let t = try take()
        if t.quoted { return t.text }
        guard !["(", ")", "[", "]", ",", "=", "!=", "<", ">", "and", "or", "not"].contains(t.text) else {
            throw Failure(message: "expected a value, found \(Self.shown(t.text))")
        }
        return t.text
    }

    private mutating func comparison() throws(Failure) -> Condition {
        comparisons += 1
        guard comparisons <= Limits.comparisons else {
            throw Failure(message: "the condition has more than \(Limits.comparisons) comparisons; split it into several rules, or list values with `in [...]`")
        }
        let token = try take()
        let field = token.text
        guard !token.quoted, let first = field.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else {
            throw Failure(message: "expected a field name, found \(Self.shown(field))")
        }
        let op = try take()
        switch op.quoted ? "" : op.text {
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
            throw Failure(message: "expected =, !=, <, >, in or is missing after the field \(Self.shown(field)), found \(Self.shown(op.text))")
        }
    }
}
