#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level scan of the raw input, run on every chunk before libxml2 sees it, for the few
/// things libxml2 does badly before any SAX callback could refuse them:
///
/// - A start tag with very many attributes. libxml2 2.9 checks each attribute against all earlier
///   ones, so 200,000 attributes in one 2 MB tag took 8.5 s, and a 10 MB tag would take minutes;
///   the attribute-count check in the SAX callback comes only after that work.
/// - A huge CDATA section. libxml2 holds one back until it has seen the end (up to 10 MB), so the
///   text limit could only act after 10 MB had been buffered.
/// - Any `<!` other than a comment or CDATA section: a DOCTYPE or a markup declaration. These are
///   refused here, before libxml2 parses a byte of them, and again in the SAX `internalSubset`
///   callback, should this scan ever miss one.
///
/// It only has to tell markup from text: between tags it jumps to the next `<` with `memchr`, and
/// it never validates (libxml2 does). Its state carries over between chunks, so any construct may
/// be split anywhere. The input is UTF-8 or a single-byte ASCII-compatible encoding (UTF-16 is
/// refused before parsing), so the ASCII bytes it looks for mean what they seem.
struct XMLMarkupGuard {
    enum Violation: Equatable {
        case tooManyAttributes
        case cdataTooLong
        case declaration
        /// `<!-` not followed by `-`, or `<![` not followed by `CDATA[`.
        case malformed
    }

    private enum State: Equatable {
        case text
        case open          // after '<'
        case bang          // after '<!'
        case commentOpen   // after '<!-'
        case cdataOpen     // inside '<![CDATA[', `matched` bytes of "CDATA[" seen
        case comment       // `matched` = trailing '-' seen
        case processingInstruction  // `matched` = 1 after '?'
        case cdata         // `matched` = trailing ']' seen
        case startTag
        case quoted        // inside an attribute value delimited by `quote`
        case endTag
    }

    private var state = State.text
    private var matched = 0
    private var attributes = 0
    private var cdataBytes = 0
    private var quote: UInt8 = 0
    /// The absolute file offset of the '<' that opened the current construct.
    private(set) var constructStart = 0

    let maximumAttributes: Int
    let maximumCDATABytes: Int

    init(maximumAttributes: Int, maximumCDATABytes: Int) {
        self.maximumAttributes = maximumAttributes
        self.maximumCDATABytes = maximumCDATABytes
    }

    private static let cdataKeyword: [UInt8] = Array("CDATA[".utf8)

    /// Scans `count` bytes at `bytes`, which sit at absolute offset `base` in the file. Returns the
    /// offset within the chunk at which a violation was found, or nil. After a violation the guard
    /// must not be used again.
    mutating func scan(_ bytes: UnsafePointer<UInt8>, count: Int, base: Int) -> (offset: Int, violation: Violation)? {
        var i = 0
        let gt = UInt8(ascii: ">")
        while i < count {
            if state == .text {
                // The common constructs (text, start tags, end tags) in straight-line code: going
                // through the state switch for each of them cost more in mispredicted indirect
                // jumps than the scanning itself.
                text: while true {
                    i = Self.find(bytes, from: i, to: count, Self.ltMask, Self.ltMask, Self.ltMask, Self.ltMask)
                    guard i < count else { return nil }
                    constructStart = base + i
                    i += 1
                    guard i < count else { state = .open; return nil }
                    let first = bytes[i]
                    if first == UInt8(ascii: "/") {
                        i = Self.find(bytes, from: i, to: count, Self.gtMask, Self.gtMask, Self.gtMask, Self.gtMask)
                        guard i < count else { state = .endTag; return nil }
                        i += 1
                        continue text
                    }
                    if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") {
                        state = .open
                        break text
                    }
                    attributes = 0
                    while true {
                        i = Self.find(bytes, from: i, to: count, Self.equalsMask, Self.doubleQuoteMask, Self.singleQuoteMask, Self.gtMask)
                        guard i < count else { state = .startTag; return nil }
                        let b = bytes[i]
                        i += 1
                        if b == gt { continue text }
                        if b == UInt8(ascii: "=") {
                            attributes += 1
                            if attributes > maximumAttributes { state = .startTag; return (i - 1, .tooManyAttributes) }
                            continue
                        }
                        let mask = UInt64(b) &* Self.ones
                        i = Self.find(bytes, from: i, to: count, mask, mask, mask, mask)
                        guard i < count else { quote = b; state = .quoted; return nil }
                        i += 1
                    }
                }
                continue
            }
            switch state {
            case .text:
                preconditionFailure("handled above")
            case .open:
                switch bytes[i] {
                case UInt8(ascii: "/"): state = .endTag; i += 1
                case UInt8(ascii: "?"): state = .processingInstruction; matched = 0; i += 1
                case UInt8(ascii: "!"): state = .bang; i += 1
                default: state = .startTag; attributes = 0  // the byte is the name's first; rescan it
                }
            case .bang:
                switch bytes[i] {
                case UInt8(ascii: "-"): state = .commentOpen; i += 1
                case UInt8(ascii: "["): state = .cdataOpen; matched = 0; i += 1
                default: return (i, .declaration)
                }
            case .commentOpen:
                guard bytes[i] == UInt8(ascii: "-") else { return (i, .malformed) }
                state = .comment
                matched = 0
                i += 1
            case .cdataOpen:
                guard bytes[i] == Self.cdataKeyword[matched] else { return (i, .malformed) }
                matched += 1
                i += 1
                if matched == Self.cdataKeyword.count { state = .cdata; matched = 0; cdataBytes = 0 }
            case .comment:
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "-") { matched += 1 } else if b == gt && matched >= 2 { state = .text } else { matched = 0 }
            case .processingInstruction:
                let b = bytes[i]
                i += 1
                if b == gt && matched == 1 { state = .text } else { matched = b == UInt8(ascii: "?") ? 1 : 0 }
            case .cdata:
                // Content bytes are counted exactly: trailing ']' are content unless "]]>" follows.
                let b = bytes[i]
                if b == UInt8(ascii: "]") {
                    matched += 1
                    if matched > 2 { cdataBytes += 1; matched = 2 }
                    i += 1
                } else if b == gt && matched >= 2 {
                    state = .text
                    i += 1
                } else {
                    cdataBytes += matched
                    matched = 0
                    let run: Int
                    if let hit = memchr(bytes + i, Int32(UInt8(ascii: "]")), count - i) {
                        run = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - (bytes + i)
                    } else {
                        run = count - i
                    }
                    cdataBytes += run
                    i += run
                }
                if cdataBytes > maximumCDATABytes { return (i, .cdataTooLong) }
            case .startTag:
                // Names and spaces until '=', a quote or '>'.
                while i < count {
                    let b = bytes[i]
                    i += 1
                    if b == UInt8(ascii: "=") {
                        attributes += 1
                        if attributes > maximumAttributes { return (i - 1, .tooManyAttributes) }
                    } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                        quote = b
                        state = .quoted
                        break
                    } else if b == gt {
                        state = .text
                        break
                    }
                }
            case .quoted:
                let mask = UInt64(quote) &* Self.ones
                i = Self.find(bytes, from: i, to: count, mask, mask, mask, mask)
                guard i < count else { return nil }
                i += 1
                state = .startTag
            case .endTag:
                i = Self.find(bytes, from: i, to: count, Self.gtMask, Self.gtMask, Self.gtMask, Self.gtMask)
                guard i < count else { return nil }
                i += 1
                state = .text
            }
        }
        return nil
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let ltMask = UInt64(UInt8(ascii: "<")) &* ones
    private static let gtMask = UInt64(UInt8(ascii: ">")) &* ones
    private static let equalsMask = UInt64(UInt8(ascii: "=")) &* ones
    private static let doubleQuoteMask = UInt64(UInt8(ascii: "\"")) &* ones
    private static let singleQuoteMask = UInt64(UInt8(ascii: "'")) &* ones

    /// The offset of the first byte in `start..<end` equal to a byte of one of the four masks (each
    /// a byte repeated eight times), or `end`. Eight bytes at a time: a zero-byte test on the word
    /// XORed with each mask; its lowest set bit marks the first match exactly (the borrow can only
    /// flag bytes after a true match). Most runs between markup bytes are short, so this beats a
    /// `memchr` call per run, as ``CSVReader`` found for its fields.
    @inline(__always)
    private static func find(
        _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64
    ) -> Int {
        var i = start
        let raw = UnsafeRawPointer(bytes)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let x = w ^ a, y = w ^ b, z = w ^ c, v = w ^ d
            let found = (((x &- ones) & ~x) | ((y &- ones) & ~y) | ((z &- ones) & ~z) | ((v &- ones) & ~v))
                & 0x8080_8080_8080_8080
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        let a8 = UInt8(truncatingIfNeeded: a), b8 = UInt8(truncatingIfNeeded: b)
        let c8 = UInt8(truncatingIfNeeded: c), d8 = UInt8(truncatingIfNeeded: d)
        while i < end {
            let byte = bytes[i]
            if byte == a8 || byte == b8 || byte == c8 || byte == d8 { return i }
            i += 1
        }
        return end
    }
}
