import Tabular

/// Encodes one published row into bytes, as ``CSVWriter`` would write it (the same quoting and
/// the same formula escaping, ``CellEscaping``), so that the row can be sorted before it is
/// written. The bytes end with the record's line feed.
///
/// A class over a raw buffer, like ``CSVWriter``'s, rather than a struct over an array: it is
/// called for every field of every record, and an array's uniqueness checks there cost more than
/// the sort they feed.
public final class RowEncoder {
    public let delimiter: UInt8
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    private var used = 0
    /// Fields encoded in escaped form, for the report.
    public private(set) var escapedCells = 0
    private var fields = 0

    public init(delimiter: UInt8) {
        self.delimiter = delimiter
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The row so far; valid until the next call that writes.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer, count: used) }

    /// Starts the next row, keeping the buffer.
    public func reset() {
        used = 0
        fields = 0
    }

    public func write(_ field: UnsafeBufferPointer<UInt8>) {
        // Most fields start with neither a trigger nor `'`: one byte tells.
        if let first = field.first, Self.mayNeedEscape(first), CellEscaping.needsEscape(field) {
            writeEncoded(CSVWriter.encode(field, delimiter: delimiter))
            return
        }
        separate()
        let delimiter = self.delimiter
        let needsQuotes = field.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else {
            append(field)
            return
        }
        append(UInt8(ascii: "\""))
        for b in field {
            if b == UInt8(ascii: "\"") { append(b) }
            append(b)
        }
        append(UInt8(ascii: "\""))
    }

    public func write(_ field: String) {
        writeEncoded(CSVWriter.encode(field, delimiter: delimiter))
    }

    public func writeEmpty() {
        separate()
    }

    /// Writes a field already encoded by ``CSVWriter/encode(_:delimiter:)``.
    public func writeEncoded(_ encoded: [UInt8]) {
        if Self.isEscaped(encoded: encoded) { escapedCells += 1 }
        separate()
        encoded.withUnsafeBufferPointer { append($0) }
    }

    public func endRecord() {
        append(10)
    }

    @inline(__always)
    private func separate() {
        if fields > 0 { append(delimiter) }
        fields += 1
    }

    @inline(__always)
    private func append(_ byte: UInt8) {
        if used == capacity { grow(used + 1) }
        buffer[used] = byte
        used += 1
    }

    @inline(__always)
    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        if used + bytes.count > capacity { grow(used + bytes.count) }
        (buffer + used).update(from: base, count: bytes.count)
        used += bytes.count
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.update(from: buffer, count: used)
        buffer.deallocate()
        buffer = larger
        capacity = newCapacity
    }

    @inline(__always)
    private static func mayNeedEscape(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@") || b == 9 || b == 13
            || b == UInt8(ascii: "'")
    }

    /// Whether encoded bytes hold a field in escaped form: `'…` or `"'…"`.
    static func isEscaped(encoded bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "'") { return bytes.withUnsafeBufferPointer { CellEscaping.isEscaped($0) } }
        guard first == UInt8(ascii: "\""), bytes.count >= 3, bytes[1] == UInt8(ascii: "'") else { return false }
        var field: [UInt8] = []
        var i = 1
        while i < bytes.count - 1 {
            field.append(bytes[i])
            i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return field.withUnsafeBufferPointer { CellEscaping.isEscaped($0) }
    }
}
