/// UTF-8 validation to the letter of RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
enum UTF8Validation {
    struct Problem {
        var offset: Int
        var isNUL: Bool
    }

    /// The offset of the first NUL byte or invalid sequence in `bytes[start..<end]`, if any.
    static func firstInvalidOrNUL(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Problem? {
        var i = start
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 {
                if b0 == 0 { return Problem(offset: i, isNUL: true) }
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return Problem(offset: i, isNUL: false)
            }
            guard i + length <= end else { return Problem(offset: i, isNUL: false) }
            let b1 = bytes[i + 1]
            guard b1 >= low && b1 <= high else { return Problem(offset: i, isNUL: false) }
            for j in 2..<max(length, 2) where bytes[i + j] & 0xC0 != 0x80 {
                return Problem(offset: i, isNUL: false)
            }
            i += length
        }
        return nil
    }

    /// The single-byte encoding that bytes which are not UTF-8 most likely are, for the message that
    /// names the fix: `windows-1252` when a byte outside any UTF-8 sequence is 0x80–0x9F (Excel's
    /// curly quotes, dashes and euro; control characters in Latin-1), else `latin-1`.
    static func likelySingleByteEncoding(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> String {
        var i = start
        while i < end, let bad = firstInvalidOrNUL(bytes, from: i, to: end) {
            if (0x80...0x9F).contains(bytes[bad.offset]) { return "windows-1252" }
            i = bad.offset + 1
        }
        return "latin-1"
    }
}
