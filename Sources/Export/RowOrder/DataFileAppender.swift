#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// Appends the sorted rows to the data file after its header rows, and syncs it, so that a rename
/// after it publishes complete contents even across a crash.
final class DataFileAppender {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws(ExportError) {
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(fd) }

    func append(_ row: UnsafeBufferPointer<UInt8>) throws(ExportError) {
        buffer.append(contentsOf: row)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func finish() throws(ExportError) {
        try flush()
        if fsync(fd) != 0 { throw .io(path: path, message: String(cString: strerror(errno))) }
    }

    private func flush() throws(ExportError) {
        try RawFile.writeAll(fd, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }
}
