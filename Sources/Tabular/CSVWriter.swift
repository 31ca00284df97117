#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes RFC 4180 records through one reused buffer with `write(2)`.
///
/// Fields are quoted only when they must be: when they hold the delimiter, a quote, CR or LF.
/// A text field a spreadsheet would run as a formula is written with a leading `'` first
/// (``CellEscaping``), in every path, so that no caller can forget it; ``escapedCells`` counts them.
/// Values that repeat on every record (generalised labels) can be encoded once with ``encode(_:)``
/// and written with ``writeEncoded(_:)``.
public struct CSVWriter: ~Copyable {
    public let path: String
    public let delimiter: UInt8
    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var used = 0
    private var fieldsInRecord = 0
    /// Fields written in escaped form (``CellEscaping``), for the report.
    public private(set) var escapedCells = 0

    public init(path: String, delimiter: UInt8, bufferSize: Int = 1 << 20) throws(ExportError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExportError.io(path: path, message: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        self.delimiter = delimiter
        capacity = max(bufferSize, 4096)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// The bytes of `field` as it must appear in a file with `delimiter`: escaped if a spreadsheet
    /// could run it, then quoted if needed.
    public static func encode(_ field: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> [UInt8] {
        let escape = CellEscaping.needsEscape(field)
        let needsQuotes = field.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes || escape else { return Array(field) }
        var out: [UInt8] = needsQuotes ? [UInt8(ascii: "\"")] : []
        if escape { out.append(CellEscaping.apostrophe) }
        for b in field {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        if needsQuotes { out.append(UInt8(ascii: "\"")) }
        return out
    }

    public static func encode(_ field: String, delimiter: UInt8) -> [UInt8] {
        var copy = field
        return copy.withUTF8 { encode($0, delimiter: delimiter) }
    }

    /// One record's fields, encoded and joined by `delimiter`, ending in a line feed, as
    /// ``writeRecord(_:)`` writes it.
    public static func encode(record fields: [String], delimiter: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(delimiter) }
            out += encode(f, delimiter: delimiter)
        }
        out.append(10)
        return out
    }

    /// Writes one field, escaping and quoting it if needed.
    public mutating func write(_ field: UnsafeBufferPointer<UInt8>) throws(ExportError) {
        // Most fields start with neither a trigger nor `'`: one byte tells.
        if let first = field.first, CellEscaping.isTrigger(first) || first == CellEscaping.apostrophe,
           CellEscaping.needsEscape(field) {
            try writeEncoded(CSVWriter.encode(field, delimiter: delimiter))
            return
        }
        try separate()
        let needsQuotes = field.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if !needsQuotes {
            try append(field)
            return
        }
        try append(UInt8(ascii: "\""))
        for b in field {
            if b == UInt8(ascii: "\"") { try append(b) }
            try append(b)
        }
        try append(UInt8(ascii: "\""))
    }

    public mutating func write(_ field: String) throws(ExportError) {
        var copy = field
        let encoded = copy.withUTF8 { CSVWriter.encode($0, delimiter: delimiter) }
        try writeEncoded(encoded)
    }

    /// Writes a field already encoded by ``encode(_:delimiter:)``.
    public mutating func writeEncoded(_ bytes: [UInt8]) throws(ExportError) {
        if CSVWriter.isEscaped(encoded: bytes) { escapedCells += 1 }
        try separate()
        try bytes.withUnsafeBufferPointer { (b) throws(ExportError) in try append(b) }
    }

    /// Whether encoded bytes hold a field in escaped form: `'…` or `"'…"`.
    @inline(__always)
    static func isEscaped(encoded bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        if first == CellEscaping.apostrophe { return bytes.withUnsafeBufferPointer { CellEscaping.isEscaped($0) } }
        guard first == UInt8(ascii: "\""), bytes.count >= 3, bytes[1] == CellEscaping.apostrophe else { return false }
        var field: [UInt8] = []
        var i = 1
        while i < bytes.count - 1 {
            field.append(bytes[i])
            i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return field.withUnsafeBufferPointer { CellEscaping.isEscaped($0) }
    }

    public mutating func endRecord() throws(ExportError) {
        try append(10)
        fieldsInRecord = 0
    }

    public mutating func writeRecord(_ fields: [String]) throws(ExportError) {
        for f in fields { try write(f) }
        try endRecord()
    }

    /// Writes out what is buffered and syncs the file to disk, so that a rename after it publishes
    /// complete contents even across a crash.
    public mutating func finish() throws(ExportError) {
        try flush()
        if fsync(fd) != 0 { throw ExportError.io(path: path, message: String(cString: strerror(errno))) }
    }

    @inline(__always)
    private mutating func separate() throws(ExportError) {
        if fieldsInRecord > 0 { try append(delimiter) }
        fieldsInRecord += 1
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) throws(ExportError) {
        if used == capacity { try flush() }
        buffer[used] = byte
        used += 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExportError) {
        if used + bytes.count > capacity { try flush() }
        if bytes.count > capacity {
            try writeAll(bytes.baseAddress!, bytes.count)
            return
        }
        if let base = bytes.baseAddress { (buffer + used).update(from: base, count: bytes.count) }
        used += bytes.count
    }

    private mutating func flush() throws(ExportError) {
        try writeAll(buffer, used)
        used = 0
    }

    private func writeAll(_ p: UnsafePointer<UInt8>, _ count: Int) throws(ExportError) {
        var done = 0
        while done < count {
            let n = systemWrite(fd, p + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ExportError.io(path: path, message: String(cString: strerror(errno)))
            }
            done += n
        }
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    write(fd, p, n)
}

public enum ExportError: Error, Sendable, CustomStringConvertible {
    case io(path: String, message: String)
    case verification(path: String, message: String)

    public var description: String {
        switch self {
        case .io(let path, let message): return "\(path): cannot write: \(message)"
        case .verification(let path, let message): return "\(path): verification failed, nothing was published: \(message)"
        }
    }
}
