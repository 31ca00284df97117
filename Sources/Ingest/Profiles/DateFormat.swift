/// A date layout a partner writes, by pattern: `yyyy-MM-dd`, `dd/MM/yyyy`, `MM/dd/yyyy`,
/// `dd.MM.yyyy`, or `iso-datetime` (an ISO 8601 date-time, whose time is dropped).
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    private let order: [Component]
    private let separator: Character?

    private enum Component { case year, month, day }

    public init?(_ pattern: String) {
        self.pattern = pattern
        if pattern == "iso-datetime" {
            order = [.year, .month, .day]
            separator = "-"
            return
        }
        let seps = pattern.filter { !"yMd".contains($0) }
        guard let sep = seps.first, seps.allSatisfy({ $0 == sep }) else { return nil }
        var parts: [Component] = []
        for piece in pattern.split(separator: sep) {
            switch piece {
            case "yyyy": parts.append(.year)
            case "MM": parts.append(.month)
            case "dd": parts.append(.day)
            default: return nil
            }
        }
        guard Set(parts.map { "\($0)" }).count == 3, parts.count == 3 else { return nil }
        order = parts
        separator = sep
    }

    public var description: String { pattern }

    /// The same layout with day and month in each other's places (`MM/dd/yyyy` for `dd/MM/yyyy`);
    /// nil for `iso-datetime`, whose order is fixed by the standard.
    public var swapped: DateFormat? {
        guard pattern != "iso-datetime" else { return nil }
        guard let separator else { return nil }
        let pieces = pattern.split(separator: separator).map { $0 == "MM" ? "dd" : $0 == "dd" ? "MM" : String($0) }
        return DateFormat(pieces.joined(separator: String(separator)))
    }

    /// The date as yyyy-MM-dd, or nil when `text` is not a real date in this format.
    public func parse(_ text: String) -> String? {
        // ISO dates, the common case, are checked on their bytes without splitting.
        if separator == "-", order == [.year, .month, .day], let fast = Self.isoFast(text, allowTime: pattern == "iso-datetime") {
            return fast
        }
        var body = Substring(text)
        if pattern == "iso-datetime" {
            guard let t = body.firstIndex(where: { $0 == "T" || $0 == " " }) else { return nil }
            body = body[..<t]
        }
        guard let separator else { return nil }
        let pieces = body.split(separator: separator, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        var year = 0, month = 0, day = 0
        for (component, piece) in zip(order, pieces) {
            guard piece.allSatisfy(\.isASCII), let n = Int(piece), piece.allSatisfy(\.isNumber) else { return nil }
            switch component {
            case .year: guard piece.count == 4 else { return nil }; year = n
            case .month: guard (1...2).contains(piece.count) else { return nil }; month = n
            case .day: guard (1...2).contains(piece.count) else { return nil }; day = n
            }
        }
        guard (1...12).contains(month), day >= 1, day <= Self.days(month: month, year: year) else { return nil }
        return Self.iso(year: year, month: month, day: day)
    }

    /// `yyyy-MM-dd` (followed by `T…` or ` …` when `allowTime`), or nil to take the general path.
    private static func isoFast(_ text: String, allowTime: Bool) -> String? {
        text.utf8.withContiguousStorageIfAvailable { u -> String? in
            guard u.count == 10 || (allowTime && u.count > 10 && (u[10] == UInt8(ascii: "T") || u[10] == 32)) else { return nil }
            func digit(_ i: Int) -> Int? { (48...57).contains(u[i]) ? Int(u[i] - 48) : nil }
            guard u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
                  let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
                  let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
            let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = m0 * 10 + m1, day = d0 * 10 + d1
            guard (1...12).contains(month), day >= 1, day <= days(month: month, year: year) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: u[0..<10]), as: UTF8.self)
        } ?? nil
    }

    static func iso(year: Int, month: Int, day: Int) -> String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func days(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whole years from `birth` to `at`, both yyyy-MM-dd; nil if either is malformed.
    public static func years(from birth: String, to at: String) -> Int? {
        // Both are canonical dates, so fixed positions do; this runs once per record.
        func parts(_ date: String) -> (Int, Int, Int)? {
            date.utf8.withContiguousStorageIfAvailable { u -> (Int, Int, Int)? in
                guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
                var n = [0, 0, 0]
                for (k, range) in [0..<4, 5..<7, 8..<10].enumerated() {
                    for i in range {
                        guard (48...57).contains(u[i]) else { return nil }
                        n[k] = n[k] * 10 + Int(u[i] - 48)
                    }
                }
                return (n[0], n[1], n[2])
            } ?? {
                // A string without contiguous UTF-8 (bridged): the slow way.
                let p = date.split(separator: "-").compactMap { Int($0) }
                return p.count == 3 ? (p[0], p[1], p[2]) : nil
            }()
        }
        guard let b = parts(birth), let a = parts(at) else { return nil }
        var years = a.0 - b.0
        if (a.1, a.2) < (b.1, b.2) { years -= 1 }
        return years
    }
}
