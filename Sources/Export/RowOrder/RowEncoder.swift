import Tabular

/// Encodes one published row into bytes, as ``CSVWriter`` would write it (the same quoting and
/// the same formula escaping, ``CellEscaping``), so that the row can be sorted before it is
/// written. The bytes end with the record's line feed.
public struct RowEncoder {
    public let delimiter: UInt8
    public private(set) var bytes: [UInt8] = []
    /// Fields encoded in escaped form, for the report.
    public private(set) var escapedCells = 0
    private var fields = 0

    public init(delimiter: UInt8) {
        self.delimiter = delimiter
        bytes.reserveCapacity(1024)
    }

    /// Starts the next row, keeping the buffer's storage.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fields = 0
    }

    public mutating func write(_ field: UnsafeBufferPointer<UInt8>) {
        // Most fields start with neither a trigger nor `'`: one byte tells.
        if let first = field.first, Self.mayNeedEscape(first), CellEscaping.needsEscape(field) {
            writeEncoded(CSVWriter.encode(field, delimiter: delimiter))
            return
        }
        separate()
        let delimiter = self.delimiter
        let needsQuotes = field.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else {
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for b in field {
            if b == UInt8(ascii: "\"") { bytes.append(b) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func write(_ field: String) {
        writeEncoded(CSVWriter.encode(field, delimiter: delimiter))
    }

    public mutating func writeEmpty() {
        separate()
    }

    /// Writes a field already encoded by ``CSVWriter/encode(_:delimiter:)``.
    public mutating func writeEncoded(_ encoded: [UInt8]) {
        if Self.isEscaped(encoded: encoded) { escapedCells += 1 }
        separate()
        bytes.append(contentsOf: encoded)
    }

    public mutating func endRecord() {
        bytes.append(10)
    }

    @inline(__always)
    private mutating func separate() {
        if fields > 0 { bytes.append(delimiter) }
        fields += 1
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
