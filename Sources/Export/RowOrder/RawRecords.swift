#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// A CSV file's records as their raw bytes, each with its line feed: a record ends at a line feed
/// outside quotes. This is how htdx writes its files, so the bytes compare with rows it encodes.
enum RawRecords {
    /// Calls `body` with each record until it returns false.
    static func forEach(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) throws(ExportError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let capacity = 1 << 16
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { chunk.deallocate() }
        var record: [UInt8] = []
        var quoted = false
        while true {
            let n = read(fd, chunk, capacity)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            for i in 0..<n {
                let b = chunk[i]
                record.append(b)
                if b == UInt8(ascii: "\"") { quoted.toggle() }
                if b == 10 && !quoted {
                    let more = record.withUnsafeBufferPointer { body($0) }
                    if !more { return }
                    record.removeAll(keepingCapacity: true)
                }
            }
        }
        if !record.isEmpty { _ = record.withUnsafeBufferPointer { body($0) } }
    }
}
