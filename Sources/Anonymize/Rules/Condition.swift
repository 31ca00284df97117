/// A condition on one record's values, as ingested: comparisons joined by `and`, `or` and `not`.
///
/// A missing value (an empty cell) is its own case: `field is missing` holds for it, and every
/// comparison with it is false, so `con_Consent != TRUE` does not hold for a record without
/// consent recorded; write `con_Consent != TRUE or con_Consent is missing` to exclude both.
public indirect enum Condition: Sendable, Equatable {
    case equals(field: String, value: String)
    case notEquals(field: String, value: String)
    case isIn(field: String, values: [String])
    case less(field: String, value: String)
    case greater(field: String, value: String)
    case missing(field: String)
    case not(Condition)
    case and(Condition, Condition)
    case or(Condition, Condition)

    /// The fields the condition reads.
    public var fields: [String] {
        switch self {
        case .equals(let f, _), .notEquals(let f, _), .isIn(let f, _), .less(let f, _), .greater(let f, _), .missing(let f):
            return [f]
        case .not(let c): return c.fields
        case .and(let a, let b), .or(let a, let b): return a.fields + b.fields
        }
    }

    /// Every (field, value) the condition compares, so that values can be checked against code lists.
    public var comparedValues: [(field: String, value: String)] {
        switch self {
        case .equals(let f, let v), .notEquals(let f, let v): return [(f, v)]
        case .isIn(let f, let vs): return vs.map { (f, $0) }
        case .less, .greater, .missing: return []
        case .not(let c): return c.comparedValues
        case .and(let a, let b), .or(let a, let b): return a.comparedValues + b.comparedValues
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
        case .and(let a, let b): return a.holds(value) && b.holds(value)
        case .or(let a, let b): return a.holds(value) || b.holds(value)
        }
    }

    /// The condition in the policy's own syntax, fully parenthesised where it nests, for codebooks
    /// and reports.
    public var text: String {
        func v(_ s: String) -> String { s.contains(where: { $0 == " " || $0 == "," || $0 == "\"" }) ? "\"\(s)\"" : s }
        switch self {
        case .equals(let f, let x): return "\(f) = \(v(x))"
        case .notEquals(let f, let x): return "\(f) != \(v(x))"
        case .isIn(let f, let xs): return "\(f) in [\(xs.map(v).joined(separator: ", "))]"
        case .less(let f, let x): return "\(f) < \(v(x))"
        case .greater(let f, let x): return "\(f) > \(v(x))"
        case .missing(let f): return "\(f) is missing"
        case .not(let c): return "not (\(c.text))"
        case .and(let a, let b): return "(\(a.text)) and (\(b.text))"
        case .or(let a, let b): return "(\(a.text)) or (\(b.text))"
        }
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
