/// A condition on one record's values, as ingested: comparisons joined by `and`, `or` and `not`.
///
/// A missing value (an empty cell) is its own case: `field is missing` holds for it, and every
/// comparison with it is false, so `con_Consent != TRUE` does not hold for a record without
/// consent recorded; write `con_Consent != TRUE or con_Consent is missing` to exclude both.
///
/// `and` and `or` hold their terms in one flat list, so that a long chain costs no depth: every
/// walk over a condition (evaluating, printing, freeing) recurses once per level of nesting.
public indirect enum Condition: Sendable, Equatable {
    case equals(field: String, value: String)
    case notEquals(field: String, value: String)
    case isIn(field: String, values: [String])
    case less(field: String, value: String)
    case greater(field: String, value: String)
    case missing(field: String)
    case not(Condition)
    /// Every term holds (two or more terms).
    case and([Condition])
    /// At least one term holds (two or more terms).
    case or([Condition])

    /// The fields the condition reads.
    public var fields: [String] {
        var fields: [String] = []
        visit { condition in
            switch condition {
            case .equals(let f, _), .notEquals(let f, _), .isIn(let f, _), .less(let f, _), .greater(let f, _), .missing(let f):
                fields.append(f)
            case .not, .and, .or: break
            }
        }
        return fields
    }

    /// Every (field, value) the condition compares, so that values can be checked against code lists.
    public var comparedValues: [(field: String, value: String)] {
        var pairs: [(field: String, value: String)] = []
        visit { condition in
            switch condition {
            case .equals(let f, let v), .notEquals(let f, let v): pairs.append((f, v))
            case .isIn(let f, let vs): pairs += vs.map { (f, $0) }
            case .less, .greater, .missing, .not, .and, .or: break
            }
        }
        return pairs
    }

    /// Calls `body` on this condition and every condition inside it, in the order written.
    private func visit(_ body: (Condition) -> Void) {
        body(self)
        switch self {
        case .not(let c): c.visit(body)
        case .and(let terms), .or(let terms): for t in terms { t.visit(body) }
        default: break
        }
    }

    /// Evaluates the condition; `value(field)` gives the record's value, "" when missing.
    public func holds(_ value: (String) -> String) -> Bool {
        switch self {
        case .equals(let f, let v): let x = value(f); return !x.isEmpty && x == v
        case .notEquals(let f, let v): let x = value(f); return !x.isEmpty && x != v
        case .isIn(let f, let vs): let x = value(f); return !x.isEmpty && vs.contains(x)
        case .less(let f, let v): let x = value(f); return !x.isEmpty && Self.compare(x, v) < 0
        case .greater(let f, let v): let x = value(f); return !x.isEmpty && Self.compare(x, v) > 0
        case .missing(let f): return value(f).isEmpty
        case .not(let c): return !c.holds(value)
        case .and(let terms): return terms.allSatisfy { $0.holds(value) }
        case .or(let terms): return terms.contains { $0.holds(value) }
        }
    }

    /// The condition in the policy's own syntax, for codebooks and reports. It parses back to the
    /// same condition, no deeper than the text it was read from: parentheses only where precedence
    /// needs them, and around the operand of `not`.
    public var text: String {
        func v(_ s: String) -> String {
            let bare = !s.isEmpty && !["and", "or", "not"].contains(s) && !s.unicodeScalars.contains(where: Self.breaksWord)
            return bare ? s : "\"\(s)\""
        }
        switch self {
        case .equals(let f, let x): return "\(f) = \(v(x))"
        case .notEquals(let f, let x): return "\(f) != \(v(x))"
        case .isIn(let f, let xs): return "\(f) in [\(xs.map(v).joined(separator: ", "))]"
        case .less(let f, let x): return "\(f) < \(v(x))"
        case .greater(let f, let x): return "\(f) > \(v(x))"
        case .missing(let f): return "\(f) is missing"
        case .not(let c): return "not (\(c.text))"
        case .and(let terms):
            return terms.map { t in
                switch t { case .and, .or: return "(\(t.text))"; default: return t.text }
            }.joined(separator: " and ")
        case .or(let terms):
            return terms.map { t in
                if case .or = t { return "(\(t.text))" } else { return t.text }
            }.joined(separator: " or ")
        }
    }

    /// Whether a bare word of the condition syntax ends at `c`: whitespace, punctuation or a quote.
    public static func breaksWord(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || "()[],!=<>\"".unicodeScalars.contains(c)
    }

    /// Numbers compare as numbers; anything else, ISO dates included, as text.
    static func compare(_ a: String, _ b: String) -> Int {
        if let x = Double(a), let y = Double(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        return a < b ? -1 : (a > b ? 1 : 0)
    }
}

/// A record filter: records for which `when` holds are excluded from every output.
public struct RecordFilter: Sendable, Equatable {
    public var name: String
    public var when: Condition

    public init(name: String, when: Condition) {
        self.name = name
        self.when = when
    }
}

/// Conditional blanking: when `when` holds, `fields` of that record are published empty, as
/// unknown. The condition sees the values as ingested.
public struct BlankRule: Sendable, Equatable {
    public var name: String
    public var fields: [String]
    public var when: Condition

    public init(name: String, fields: [String], when: Condition) {
        self.name = name
        self.fields = fields
        self.when = when
    }
}

/// Top or bottom coding: a number or date at or above a threshold (top), or below one (bottom),
/// is published as one label, such as `60+` or `<2005`.
public struct CodingRule: Sendable, Equatable {
    public enum Side: String, Sendable { case top, bottom }
    public var name: String
    public var field: String
    public var side: Side
    public var threshold: String
    public var label: String

    public init(name: String, field: String, side: Side, threshold: String, label: String) {
        self.name = name
        self.field = field
        self.side = side
        self.threshold = threshold
        self.label = label
    }

    /// The label, when `value` lies beyond the threshold; nil otherwise, and for a missing value.
    public func recode(_ value: String) -> String? {
        guard !value.isEmpty else { return nil }
        let c = Condition.compare(value, threshold)
        switch side {
        case .top: return c >= 0 ? label : nil
        case .bottom: return c < 0 ? label : nil
        }
    }
}

/// Rare-value folding: values of `field` held by fewer than `below` records (of those that survive
/// the filters) are published as `replacement`, a catch-all such as `Other`, or empty.
public struct FoldRule: Sendable, Equatable {
    public var name: String
    public var field: String
    public var below: Int
    public var replacement: String

    public init(name: String, field: String, below: Int, replacement: String) {
        self.name = name
        self.field = field
        self.below = below
        self.replacement = replacement
    }
}
