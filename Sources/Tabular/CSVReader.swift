#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader that hands out fields as byte ranges of its own buffer.
///
/// It reads through one buffer of a fixed size with `read(2)`, whatever the size of the file, and
/// keeps each field as bytes until the caller asks for a value: the measured cost of building a
/// `String` per field is more than half the throughput. The buffer only grows for a single record
/// longer than it, up to `maximumRecordBytes`.
///
/// Rules, beyond RFC 4180:
/// - Lines end in LF or CRLF, and may change from line to line. A CR that is not followed by LF
///   outside quotes is an error naming its line.
/// - A UTF-8 byte-order mark at the start is skipped.
/// - Every record is validated as UTF-8 and checked for NUL bytes; either problem stops the read.
/// - A quote inside an unquoted field is kept as a literal quote, as most exporters write them.
///   Text after a closing quote (`"ab"c`) makes the record malformed: ``rejectReason`` says why,
///   and the reader goes on with the next record.
///
/// Lines are numbered from 1, and a record's ``line`` is the line it starts on.
///
/// ```swift
/// var reader = try CSVReader(path: "cases.csv", delimiter: UInt8(ascii: ";"))
/// while try reader.next() {
///     let first = reader.string(0)
/// }
/// ```
public struct CSVReader: ~Copyable {
    public static let defaultBufferSize = 1 << 20
    public static let defaultMaximumRecordBytes = 64 << 20

    public let path: String
    public let delimiter: UInt8
    private let fd: Int32
    private let maximumRecordBytes: Int

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var position = 0
    private var atEOF = false
    private var startOfFile = true

    private var starts: UnsafeMutablePointer<Int>
    private var ends: UnsafeMutablePointer<Int>
    private var quoted: UnsafeMutablePointer<Bool>
    private var fieldCapacity = 64

    /// The number of fields in the current record.
    public private(set) var fieldCount = 0
    /// The line on which the current record starts.
    public private(set) var line = 0
    /// Why the current record cannot be used, when its shape is broken but its end is certain.
    public private(set) var rejectReason: String?
    /// When the file is in a single-byte legacy encoding (Windows-1252, Latin-1), every byte is a
    /// character, so UTF-8 validation is off and only NUL bytes stop the read; the caller converts.
    public var singleByteEncoding = false
    /// What the file is read as, for the fix an invalid-UTF-8 error names.
    public var source: CSVError.Source = .file
    /// Bytes consumed so far, for progress reporting.
    public private(set) var bytesRead = 0
    private var nextLine = 1

    public init(
        path: String, delimiter: UInt8 = UInt8(ascii: ","),
        bufferSize: Int = CSVReader.defaultBufferSize,
        maximumRecordBytes: Int = CSVReader.defaultMaximumRecordBytes
    ) throws(CSVError) {
        precondition(delimiter != UInt8(ascii: "\"") && delimiter != 10 && delimiter != 13 && delimiter < 0x80,
                     "the delimiter must be an ASCII byte other than quote, CR and LF")
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CSVError(file: path, line: 0, problem: .io(String(cString: strerror(errno)))) }
        self.path = path
        self.fd = fd
        self.delimiter = delimiter
        self.capacity = max(bufferSize, 16)
        self.maximumRecordBytes = max(maximumRecordBytes, self.capacity)
        buffer = .allocate(capacity: capacity)
        starts = .allocate(capacity: fieldCapacity)
        ends = .allocate(capacity: fieldCapacity)
        quoted = .allocate(capacity: fieldCapacity)
    }

    deinit {
        close(fd)
        buffer.deallocate()
        starts.deallocate()
        ends.deallocate()
        quoted.deallocate()
    }

    // MARK: Field access (valid until the next call to `next()`)

    /// The bytes of field `index` of the current record, unquoted and unescaped.
    @inline(__always)
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < fieldCount)
        return UnsafeBufferPointer(start: buffer + starts[index], count: ends[index] - starts[index])
    }

    /// Field `index` as a `String`. The record was validated as UTF-8, so this never repairs bytes.
    public func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    /// All fields of the current record as strings: convenient off the hot path.
    public func strings() -> [String] {
        (0..<fieldCount).map { string($0) }
    }

    // MARK: Reading

    /// Advances to the next record. Returns `false` at the end of the file.
    public mutating func next() throws(CSVError) -> Bool {
        while true {
            if startOfFile {
                try fill(keepingFrom: 0)
                startOfFile = false
                if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
            }
            switch try parseRecord() {
            case .record: return true
            case .endOfFile: return false
            case .needMore:
                if atEOF { preconditionFailure("the parser asked for more input after the end of the file") }
                try fill(keepingFrom: position)
            }
        }
    }

    private enum ParseResult { case record, endOfFile, needMore }

    /// Parses one record starting at `position`. On `.needMore` nothing is consumed, so the record
    /// is parsed again from its start once the buffer holds more; the bytes are only rewritten
    /// (unescaped) after the record is known to be complete.
    private mutating func parseRecord() throws(CSVError) -> ParseResult {
        let start = position
        let end = filled
        let buf = buffer
        let delim = delimiter
        let quote = UInt8(ascii: "\"")
        var i = start
        var count = 0
        var newlines = 0
        var reason: String?

        if i == end && atEOF { return .endOfFile }

        fields: while true {
            if count == fieldCapacity { growFields() }
            var fieldStart = i
            var fieldEnd: Int
            // Only a quoted field holding `""` needs rewriting; most quoted fields hold none.
            var hasEscapes = false
            if i < end && buf[i] == quote {
                i += 1
                fieldStart = i
                while true {
                    while i < end && buf[i] != quote {
                        if buf[i] == 10 { newlines += 1 }
                        i += 1
                        i = skipPlain(buf, from: i, to: end, Self.quoteMask, Self.lineFeedMask, Self.lineFeedMask)
                    }
                    if i == end {
                        if atEOF {
                            throw CSVError(file: path, line: nextLine, problem: .unterminatedQuote(field: count + 1))
                        }
                        return .needMore
                    }
                    // i is at a quote: either an escaped quote or the closing one.
                    if i + 1 == end && !atEOF { return .needMore }
                    if i + 1 < end && buf[i + 1] == quote { i += 2; hasEscapes = true; continue }
                    break
                }
                fieldEnd = i
                i += 1
                if i < end && buf[i] != delim && buf[i] != 10 && buf[i] != 13 {
                    reason = reason ?? "field \(count + 1) has text after its closing quote"
                    while i < end && buf[i] != delim && buf[i] != 10 && buf[i] != 13 { i += 1 }
                    if i == end && !atEOF { return .needMore }
                }
            } else {
                let delimiterMask = UInt64(delim) &* Self.ones
                while i < end {
                    i = skipPlain(buf, from: i, to: end, delimiterMask, Self.lineFeedMask, Self.carriageReturnMask)
                    guard i < end else { break }
                    let b = buf[i]
                    if b == delim || b == 10 || b == 13 { break }
                    i += 1
                }
                fieldEnd = i
            }
            starts[count] = fieldStart
            ends[count] = fieldEnd
            quoted[count] = hasEscapes
            count += 1

            if i == end {
                if !atEOF { return .needMore }
                break fields
            }
            switch buf[i] {
            case delim:
                i += 1
                if i == end && !atEOF { return .needMore }
                continue fields
            case 10:
                i += 1
                newlines += 1
                break fields
            default: // CR
                if i + 1 == end {
                    if !atEOF { return .needMore }
                    throw CSVError(file: path, line: nextLine + newlines, problem: .loneCarriageReturn)
                }
                if buf[i + 1] != 10 {
                    throw CSVError(file: path, line: nextLine + newlines, problem: .loneCarriageReturn)
                }
                i += 2
                newlines += 1
                break fields
            }
        }

        fieldCount = count
        line = nextLine
        try validate(from: start, to: i)
        nextLine += newlines
        bytesRead += i - start
        position = i
        rejectReason = reason
        for f in 0..<count where quoted[f] { unescape(f) }
        return .record
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let quoteMask = UInt64(UInt8(ascii: "\"")) &* ones
    private static let lineFeedMask = UInt64(10) &* ones
    private static let carriageReturnMask = UInt64(13) &* ones

    /// Skips eight bytes at a time while none of them equals a byte of the three masks; returns
    /// the offset at or before the first such byte. Long fields (notes, narratives) are where a
    /// reader spends its time, and one word test per eight bytes beats three compares per byte.
    @inline(__always)
    private func skipPlain(
        _ buf: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, _ a: UInt64, _ b: UInt64, _ c: UInt64
    ) -> Int {
        var i = start
        let raw = UnsafeRawPointer(buf)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let x = w ^ a, y = w ^ b, z = w ^ c
            let found = ((x &- Self.ones) & ~x) | ((y &- Self.ones) & ~y) | ((z &- Self.ones) & ~z)
            if found & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        return i
    }

    /// Collapses `""` to `"` in place. The result is never longer than the source.
    private func unescape(_ f: Int) {
        var read = starts[f]
        var write = read
        let end = ends[f]
        while read < end {
            let b = buffer[read]
            buffer[write] = b
            write += 1
            read += (b == UInt8(ascii: "\"")) ? 2 : 1
        }
        ends[f] = write
    }

    /// Checks a complete record for NUL bytes and invalid UTF-8, eight bytes at a time where it can.
    private func validate(from start: Int, to end: Int) throws(CSVError) {
        if singleByteEncoding {
            if let nul = (start..<end).first(where: { buffer[$0] == 0 }) {
                let fieldNumber = (0..<fieldCount).last { starts[$0] <= nul + 1 } ?? 0
                throw CSVError(file: path, line: nextLine + countNewlines(from: start, to: nul),
                               problem: .nulByte(field: fieldNumber + 1))
            }
            return
        }
        var i = start
        let raw = UnsafeRawPointer(buffer)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let highBits = w & 0x8080_8080_8080_8080
            let zeroBytes = (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
            if highBits | zeroBytes != 0 { break }
            i += 8
        }
        guard i < end else { return }
        if let bad = UTF8Validation.firstInvalidOrNUL(buffer, from: i, to: end) {
            let lineOfBad = nextLine + countNewlines(from: start, to: bad.offset)
            // The field is the last one starting at or before the byte (a quoted field's range
            // starts after its opening quote, and text after its closing quote still belongs to it).
            let fieldNumber = (0..<fieldCount).last { starts[$0] <= bad.offset + 1 } ?? 0
            var error = CSVError(
                file: path, line: lineOfBad,
                problem: bad.isNUL ? .nulByte(field: fieldNumber + 1) : .invalidUTF8(field: fieldNumber + 1))
            if !bad.isNUL {
                error.likelyEncoding = UTF8Validation.likelySingleByteEncoding(buffer, from: bad.offset, to: end)
                error.source = source
            }
            throw error
        }
    }

    private func countNewlines(from start: Int, to end: Int) -> Int {
        var n = 0
        for j in start..<end where buffer[j] == 10 { n += 1 }
        return n
    }

    private mutating func growFields() {
        let newCapacity = fieldCapacity * 2
        func grow<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            q.moveInitialize(from: p, count: fieldCapacity)
            p.deallocate()
            return q
        }
        starts = grow(starts)
        ends = grow(ends)
        quoted = grow(quoted)
        fieldCapacity = newCapacity
    }

    /// Moves the unfinished record to the front of the buffer and reads more after it.
    private mutating func fill(keepingFrom keep: Int) throws(CSVError) {
        let pending = filled - keep
        if keep > 0 && pending > 0 { buffer.update(from: buffer + keep, count: pending) }
        filled = pending
        position = 0
        if filled == capacity {
            guard capacity < maximumRecordBytes else {
                throw CSVError(file: path, line: nextLine, problem: .recordTooLong(limit: maximumRecordBytes))
            }
            let newCapacity = min(capacity * 2, maximumRecordBytes)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = bigger
            capacity = newCapacity
        }
        while true {
            let n = read(fd, buffer + filled, capacity - filled)
            if n > 0 { filled += n; return }
            if n == 0 { atEOF = true; return }
            if errno == EINTR { continue }
            // Line 0 when nothing could be read at all: the file, not a line, is the problem.
            let failing = bytesRead == 0 && filled == 0 ? 0 : nextLine
            throw CSVError(file: path, line: failing, problem: .io(String(cString: strerror(errno))))
        }
    }
}
