#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ingest

/// Tells a CSV export's encoding from its bytes, reading the whole file once in fixed chunks.
///
/// Valid UTF-8 throughout is UTF-8 (a legacy file with accents is almost never valid UTF-8).
/// Otherwise bytes 0x80–0x9F are control characters in Latin-1 but letters and quotes in
/// Windows-1252, which is what Excel writes; so their presence, all defined in Windows-1252, names it.
enum EncodingSniffer {
    struct Finding {
        var encoding: TextEncoding
        var hasBOM: Bool
        var note: String?
    }

    static func sniff(path: String) throws(DraftError) -> Finding {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DraftError("\(path): cannot be opened (\(String(cString: strerror(errno))))", isData: true) }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        var validator = UTF8Stream()
        var high = 0, undefinedIn1252 = 0
        var first = true, hasBOM = false
        while true {
            let n = read(fd, buffer, size)
            guard n >= 0 else { throw DraftError("\(path): cannot be read (\(String(cString: strerror(errno))))", isData: true) }
            if n == 0 { break }
            var start = 0
            if first {
                first = false
                if n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { hasBOM = true; start = 3 }
            }
            for i in start..<n {
                let b = buffer[i]
                if b == 0 { throw DraftError("\(path): holds NUL bytes; it is not a text export (UTF-16 files must be re-saved as UTF-8)", isData: true) }
                validator.feed(b)
                if (0x80...0x9F).contains(b) {
                    high += 1
                    if [0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b) { undefinedIn1252 += 1 }
                }
            }
        }
        if validator.isValid && validator.isComplete { return Finding(encoding: .utf8, hasBOM: hasBOM, note: nil) }
        if high > 0 && undefinedIn1252 == 0 {
            return Finding(encoding: .windows1252, hasBOM: hasBOM,
                           note: "not UTF-8; bytes 0x80-0x9F occur, which only Windows-1252 gives letters and punctuation, so windows-1252")
        }
        return Finding(encoding: .latin1, hasBOM: hasBOM,
                       note: "not UTF-8; read as latin-1 (windows-1252 differs only in bytes 0x80-0x9F\(high > 0 ? ", some of which it leaves undefined here" : ", none of which occur"))")
    }
}

/// An RFC 3629 UTF-8 validator fed one byte at a time, so that a file is checked across chunk ends.
struct UTF8Stream {
    private(set) var isValid = true
    private var pending = 0
    private var low: UInt8 = 0x80, high: UInt8 = 0xBF
    var isComplete: Bool { pending == 0 }

    mutating func feed(_ b: UInt8) {
        guard isValid else { return }
        if pending > 0 {
            guard b >= low && b <= high else { isValid = false; return }
            low = 0x80; high = 0xBF
            pending -= 1
            return
        }
        switch b {
        case 0x00...0x7F: return
        case 0xC2...0xDF: pending = 1
        case 0xE0: pending = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: pending = 2
        case 0xED: pending = 2; high = 0x9F
        case 0xF0: pending = 3; low = 0x90
        case 0xF1...0xF3: pending = 3
        case 0xF4: pending = 3; high = 0x8F
        default: isValid = false
        }
    }
}
