/// An exact rational number for the audit's simplex: `numerator / denominator` in lowest terms,
/// the denominator positive.
///
/// The audit's tableaux start as small integers (coefficients ±1, counts), and their entries stay
/// small rationals, so 64-bit parts are plenty; an overflow is reported by throwing, never wrapped
/// or rounded, and the audit then counts the cell as unproven. Exactness is the point: in floating
/// point the degenerate pivots of a 3-D table's programme accumulated error until phase 1
/// declared a table that exists infeasible.
struct Fraction: Hashable, Comparable, Sendable, CustomStringConvertible {
    struct Overflow: Error {}

    private(set) var numerator: Int
    private(set) var denominator: Int

    static let zero = Fraction(0)
    static let one = Fraction(1)

    init(_ integer: Int) {
        numerator = integer
        denominator = 1
    }

    /// `n / d` reduced; `d` must not be zero.
    init(_ n: Int, _ d: Int) throws(Overflow) {
        precondition(d != 0)
        let common = max(1, Fraction.gcd(n.magnitude, d.magnitude))
        guard common <= UInt(Int.max) else { throw Overflow() }
        let g = Int(common)
        var top = n / g, bottom = d / g
        if bottom < 0 {
            guard top != .min, bottom != .min else { throw Overflow() }
            top = -top
            bottom = -bottom
        }
        numerator = top
        denominator = bottom
    }

    var isZero: Bool { numerator == 0 }
    var isInteger: Bool { denominator == 1 }
    var signum: Int { numerator.signum() }
    var double: Double { Double(numerator) / Double(denominator) }
    var floor: Int { numerator >= 0 || isInteger ? numerator / denominator : numerator / denominator - 1 }
    var ceiling: Int { isInteger ? numerator : floor + 1 }
    var description: String { isInteger ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func gcd(_ a: UInt, _ b: UInt) -> UInt {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    private static func product(_ a: Int, _ b: Int) throws(Overflow) -> Int {
        let (p, o) = a.multipliedReportingOverflow(by: b)
        if o { throw Overflow() }
        return p
    }

    private static func sum(_ a: Int, _ b: Int) throws(Overflow) -> Int {
        let (s, o) = a.addingReportingOverflow(b)
        if o { throw Overflow() }
        return s
    }

    func adding(_ other: Fraction) throws(Overflow) -> Fraction {
        if isInteger && other.isInteger { return Fraction(try Self.sum(numerator, other.numerator)) }
        let g = Int(Self.gcd(denominator.magnitude, other.denominator.magnitude))
        let left = try Self.product(numerator, other.denominator / g)
        let right = try Self.product(other.numerator, denominator / g)
        return try Fraction(try Self.sum(left, right), try Self.product(denominator, other.denominator / g))
    }

    func negated() throws(Overflow) -> Fraction {
        guard numerator != .min else { throw Overflow() }
        var f = self
        f.numerator = -numerator
        return f
    }

    func subtracting(_ other: Fraction) throws(Overflow) -> Fraction { try adding(try other.negated()) }

    func multiplied(by other: Fraction) throws(Overflow) -> Fraction {
        if isInteger && other.isInteger { return Fraction(try Self.product(numerator, other.numerator)) }
        // Cross-reduce first so that the products stay as small as the result.
        let g1 = Int(max(1, Self.gcd(numerator.magnitude, other.denominator.magnitude)))
        let g2 = Int(max(1, Self.gcd(other.numerator.magnitude, denominator.magnitude)))
        return try Fraction(try Self.product(numerator / g1, other.numerator / g2),
                            try Self.product(denominator / g2, other.denominator / g1))
    }

    func divided(by other: Fraction) throws(Overflow) -> Fraction {
        precondition(!other.isZero)
        return try multiplied(by: try Fraction(other.denominator, other.numerator))
    }

    /// Exact comparison by full-width cross products: never overflows.
    static func < (a: Fraction, b: Fraction) -> Bool {
        if a.denominator == b.denominator { return a.numerator < b.numerator }
        let l = a.numerator.multipliedFullWidth(by: b.denominator)
        let r = b.numerator.multipliedFullWidth(by: a.denominator)
        return l.high < r.high || (l.high == r.high && l.low < r.low)
    }
}
