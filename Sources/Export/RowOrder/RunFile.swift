#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// A sorted run spilled to disk: per row, its class key's and row's lengths (4 bytes each), its
/// hash and tag (8 bytes each), then the key's and the row's bytes, in this machine's byte order
/// (the file never leaves the run that wrote it).
final class RunFileWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws(ExportError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(fd) }

    func append(_ row: SortedRow) throws(ExportError) {
        withUnsafeBytes(of: UInt32(row.classKey.count)) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(row.row.count)) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: row.hash) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(row.tag)) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: row.classKey)
        buffer.append(contentsOf: row.row)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func finish() throws(ExportError) {
        try flush()
    }

    private func flush() throws(ExportError) {
        try RawFile.writeAll(fd, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads a run back one row at a time.
final class RunFileReader {
    let path: String
    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 16
    private var start = 0
    private var end = 0
    private var classKey: [UInt8] = []
    private var row: [UInt8] = []
    private var hash: UInt64 = 0
    private var tag = -1

    init(path: String) throws(ExportError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        self.path = path
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Reads the next row; false at the end of the run.
    func next() throws(ExportError) -> Bool {
        var header = [UInt8](repeating: 0, count: 24)
        guard try read(into: &header, count: 24, endAllowed: true) else { return false }
        let (classCount, rowCount, hash, tag) = header.withUnsafeBytes {
            ($0.loadUnaligned(fromByteOffset: 0, as: UInt32.self), $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
             $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 16, as: Int64.self))
        }
        _ = try read(into: &classKey, count: Int(classCount), endAllowed: false)
        _ = try read(into: &row, count: Int(rowCount), endAllowed: false)
        self.hash = hash
        self.tag = Int(tag)
        return true
    }

    /// The current row, for the duration of `body`.
    func withRow<R>(_ body: (SortedRow) throws(ExportError) -> R) throws(ExportError) -> R {
        try classKey.withUnsafeBufferPointer { (k) throws(ExportError) in
            try row.withUnsafeBufferPointer { (r) throws(ExportError) in
                try body(SortedRow(classKey: k, row: r, hash: hash, tag: tag))
            }
        }
    }

    private func read(into out: inout [UInt8], count: Int, endAllowed: Bool) throws(ExportError) -> Bool {
        out.removeAll(keepingCapacity: true)
        while out.count < count {
            if start == end {
                let n = systemRead(fd, buffer, capacity)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .io(path: path, message: String(cString: strerror(errno)))
                }
                if n == 0 {
                    if endAllowed && out.isEmpty { return false }
                    throw .io(path: path, message: "the sort's run file ended inside a row")
                }
                start = 0
                end = n
            }
            let take = min(count - out.count, end - start)
            out.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: take))
            start += take
        }
        return true
    }
}

/// Plain writes of whole buffers, retried when interrupted.
enum RawFile {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(ExportError) {
        try bytes.withUnsafeBufferPointer { (b) throws(ExportError) in
            guard let base = b.baseAddress else { return }
            var done = 0
            while done < b.count {
                let n = write(fd, base + done, b.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ExportError.io(path: path, message: String(cString: strerror(errno)))
                }
                done += n
            }
        }
    }
}

@inline(__always)
private func systemRead(_ fd: Int32, _ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int {
    read(fd, p, n)
}
