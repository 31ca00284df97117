
/// The guard against formula injection ("CSV injection") in every CSV htdx publishes.
///
/// A spreadsheet that opens a CSV runs a cell starting with `=`, `+`, `-` or `@` as a formula (a
/// leading TAB or CR is trimmed first by some of them), and a partner's reference, a label or a
/// column name can start that way. Such a text cell is published with a leading `'`, which
/// spreadsheets read as "this is text"; a number such as `-3` or `+4.5` is left alone.
///
/// To keep the published form readable back without loss, a value that already starts with `'`
/// followed, after all its leading `'`s, by a dangerous cell gets one more `'`. So the rule is one
/// function both ways: a cell is in escaped form exactly when it starts with `'` and the rest,
/// stripped of its leading `'`s, is dangerous, and reading it back drops one `'`.
public enum CellEscaping {
    static let apostrophe = UInt8(ascii: "'")

    @inline(__always)
    static func isTrigger(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@") || b == 9 || b == 13
    }

    /// A cell a spreadsheet could run: it starts with a trigger and is not a decimal number
    /// (`[+-]digits[.digits][e[+-]digits]`, or `[+-].digits…`). `-`, `--`, `-x`, `=1+1`, `-1-1` and
    /// `@SUM(` are dangerous; `-3`, `+4.5`, `-.5` and `-0.5e3` are not.
    public static func isDangerous(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = cell.first, isTrigger(first) else { return false }
        return !isSignedNumber(cell)
    }

    public static func isDangerous(_ cell: String) -> Bool {
        var copy = cell
        return copy.withUTF8 { isDangerous($0) }
    }

    /// Whether `value` is published with a leading `'`: it is dangerous once its leading `'`s are
    /// set aside.
    public static func needsEscape(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < value.count, value[i] == apostrophe { i += 1 }
        guard i < value.count, isTrigger(value[i]) else { return false }
        return isDangerous(UnsafeBufferPointer(rebasing: value[i...]))
    }

    /// Whether a published cell is in escaped form (it was written as `'` + a value).
    public static func isEscaped(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = cell.first, first == apostrophe else { return false }
        return needsEscape(UnsafeBufferPointer(rebasing: cell.dropFirst()))
    }

    public static func isEscaped(_ cell: String) -> Bool {
        var copy = cell
        return copy.withUTF8 { isEscaped($0) }
    }

    /// The cell as htdx publishes it.
    public static func escape(_ value: String) -> String {
        var copy = value
        return copy.withUTF8 { needsEscape($0) } ? "'" + value : value
    }

    /// The value behind a published cell, or nil when the cell is dangerous and unescaped: htdx
    /// never writes one, so such a cell was put there by hand or by another tool.
    public static func unescape(_ cell: String) -> String? {
        if isDangerous(cell) { return nil }
        return isEscaped(cell) ? String(decoding: cell.utf8.dropFirst(), as: UTF8.self) : cell
    }

    /// The values behind a record's cells; check ``firstUnescaped(_:)`` first.
    public static func unescape(record cells: [String]) -> [String] {
        cells.map { unescape($0) ?? $0 }
    }

    /// The first cell of a record that is dangerous and unescaped.
    public static func firstUnescaped(_ cells: [String]) -> Int? {
        cells.firstIndex(where: isDangerous)
    }

    /// How many cells of a written CSV are in escaped form, for the report.
    public static func escapedCells(inFile path: String, delimiter: UInt8) throws(ExportError) -> Int {
        var count = 0
        do {
            var reader = try CSVReader(path: path, delimiter: delimiter)
            while try reader.next() {
                for c in 0..<reader.fieldCount where isEscaped(reader.field(c)) { count += 1 }
            }
        } catch {
            throw .io(path: path, message: "cannot be read back to count its escaped cells: \(error)")
        }
        return count
    }

    /// The message for a dangerous cell found unescaped in a published file (never the cell).
    public static func unescapedMessage(line: Int, column: String) -> String {
        "line \(line), column \(SafeText.name(column)): a cell starts with =, +, -, @, a tab or a carriage return and is not a number, "
            + "without the leading ' that keeps a spreadsheet from running it as a formula; htdx never writes such a cell, "
            + "so the file was changed after it was written: publish it again with htdx"
    }

    private static func isSignedNumber(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while i < s.count, isDigit(s[i]) { i += 1; digits += 1 }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            var exponent = 0
            while i < s.count, isDigit(s[i]) { i += 1; exponent += 1 }
            guard exponent > 0 else { return false }
        }
        return i == s.count
    }
}
