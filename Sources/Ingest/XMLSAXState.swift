import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer that is freed by hand. The SAX state lives behind a raw pointer, so its
/// buffers do too: Swift arrays there would cost a uniqueness check on every append.
struct XMLByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func release() { base.deallocate() }

    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        if count + n > capacity { grow(to: count + n) }
        (base + count).update(from: bytes, count: n)
        count += n
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }
}

/// Maps (parent path, libxml2 name pointer, namespace pointer) to a path, by pointer identity.
///
/// libxml2 interns element and attribute names and namespace URIs in the parser's dictionary, so
/// one name is always the same pointer for the life of the parser. Only pointers the dictionary
/// owns (`xmlDictOwns`) are ever cached; any other pointer could be reused for another name.
/// A hit costs a few compares instead of building strings and hashing them.
struct XMLPathCache {
    private struct Slot {
        var local: UnsafeRawPointer?
        var uri: UnsafeRawPointer?
        var key: Int32
        var node: Int32  // -1: empty
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private var count = 0

    init() {
        mask = 255
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(local: nil, uri: nil, key: 0, node: -1), count: mask + 1)
    }

    func release() { slots.deallocate() }

    @inline(__always)
    private static func hash(_ key: Int32, _ local: UnsafeRawPointer, _ uri: UnsafeRawPointer?) -> Int {
        var h = UInt(bitPattern: Int(bitPattern: local)) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt(bitPattern: Int(bitPattern: uri)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt(UInt32(bitPattern: key)) &* 0x1656_67B1_9E37_79F9
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    func find(_ key: Int32, _ local: UnsafeRawPointer, _ uri: UnsafeRawPointer?) -> Int32? {
        var i = Self.hash(key, local, uri) & mask
        while true {
            let slot = slots[i]
            if slot.node < 0 { return nil }
            if slot.local == local && slot.uri == uri && slot.key == key { return slot.node }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ key: Int32, _ local: UnsafeRawPointer, _ uri: UnsafeRawPointer?, node: Int32) {
        if (count + 1) * 2 > mask + 1 { grow() }
        var i = Self.hash(key, local, uri) & mask
        while slots[i].node >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(local: local, uri: uri, key: key, node: node)
        count += 1
    }

    private mutating func grow() {
        let old = slots
        let oldCapacity = mask + 1
        mask = oldCapacity * 2 - 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(local: nil, uri: nil, key: 0, node: -1), count: mask + 1)
        count = 0
        for j in 0..<oldCapacity where old[j].node >= 0 {
            insert(old[j].key, old[j].local!, old[j].uri, node: old[j].node)
        }
        old.deallocate()
    }
}

/// Everything the SAX callbacks read and write, in one struct behind an `UnsafeMutablePointer`
/// reached through the parser context's `_private`. Not a class: class state cost 27 % of the
/// instructions in exclusivity checks (engineering notes: 108–140 against 176–216 MB/s).
///
/// Inside a record, values are appended to one byte arena and described by spans. An element's
/// text goes straight to the arena while the element has no children (the common, leaf case). When
/// its first child starts, the text so far moves to a side buffer for its level, and so does any
/// later text of it; at its end tag the side buffer is copied to the arena, so every value is one
/// contiguous range.
struct XMLSAXState {
    struct Frame {
        var node: Int32
        /// Where the element's text starts in the arena (while it is not mixed).
        var start: Int
        var textBytes: Int
        /// True once a child element has started: the element's text is in its side buffer.
        var mixed: Bool
    }

    struct NodeKey: Hashable {
        var key: Int32
        var name: XMLName
    }

    let limits: XMLLimits
    let recordName: XMLName
    private let recordLocal: [UInt8]
    private let recordURI: [UInt8]
    /// Whether this libxml2 hands attribute values over with '&' written as "&#38;" (2.9 does, when
    /// entities are not substituted). Learnt once per process by parsing a probe document.
    private let decodesAmpersands: Bool
    private let dictionary: xmlDictPtr?

    // The document.
    var depth = 0
    var sawRoot = false
    /// Set by the reader around the final, terminating `xmlParseChunk`: an error raised then, with
    /// elements still open, means the file was cut short.
    var terminating = false

    // The record being read.
    private var recordDepth = 0
    private(set) var recordCount = 0
    private var recordLine = 0
    private var recordTextBytes = 0
    private var arena = XMLByteBuffer(capacity: 64 << 10)
    private var spans: UnsafeMutablePointer<XMLValueSpan>
    private var spanCount = 0
    private var spanCapacity = 256
    private let frames: UnsafeMutablePointer<Frame>
    private let side: UnsafeMutablePointer<XMLByteBuffer>

    // Paths seen so far: node i is path i. Node 0 is the record element itself (".").
    private var nodeElements: [[XMLName]] = [[]]
    private var nodeIsRecordName: [Bool] = [false]
    private var table: XMLPathTable = {
        var table = XMLPathTable()
        _ = table.append(XMLPath(elements: []))
        return table
    }()
    private var byName: [NodeKey: Int32] = [:]
    private var cache = XMLPathCache()

    // Output.
    /// Completed records, taken out (moved, not copied) by `dequeue`.
    private var queue: [XMLRecord?] = []
    private var queueHead = 0
    private(set) var failed = false
    private(set) var problem: XMLError.Problem?
    private(set) var problemLine = 0

    init(limits: XMLLimits, record: XMLName, decodesAmpersands: Bool, dictionary: xmlDictPtr?) {
        self.limits = limits
        self.recordName = record
        self.recordLocal = Array(record.local.utf8)
        self.recordURI = Array(record.namespace.utf8)
        self.decodesAmpersands = decodesAmpersands
        self.dictionary = dictionary
        spans = .allocate(capacity: spanCapacity)
        frames = .allocate(capacity: limits.depth + 1)
        side = .allocate(capacity: limits.depth + 1)
        for level in 0...limits.depth { (side + level).initialize(to: XMLByteBuffer(capacity: 16)) }
    }

    func release() {
        arena.release()
        spans.deallocate()
        frames.deallocate()
        for level in 0...limits.depth { side[level].release() }
        side.deallocate()
        cache.release()
    }

    /// Records handed out but not yet taken, for tests of bounded memory.
    var queuedRecords: Int { queue.count - queueHead }

    mutating func dequeue() -> XMLRecord? {
        guard queueHead < queue.count else { return nil }
        let record = queue[queueHead].take()
        queueHead += 1
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return record
    }

    // MARK: Failing

    /// Records the first problem and stops the parser. Called from SAX callbacks, where
    /// `xmlStopParser` is safe.
    mutating func fail(_ problem: XMLError.Problem, _ ctxt: xmlParserCtxtPtr, line: Int? = nil) {
        if !failed {
            failed = true
            self.problem = problem
            problemLine = line ?? Self.currentLine(ctxt)
        }
        xmlStopParser(ctxt)
    }

    /// Records a problem found outside libxml2's callbacks (by the reader).
    mutating func fail(_ problem: XMLError.Problem, line: Int) {
        guard !failed else { return }
        failed = true
        self.problem = problem
        problemLine = line
    }

    static func currentLine(_ ctxt: xmlParserCtxtPtr) -> Int {
        guard let input = ctxt.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    /// An error or fatal error from libxml2 (warnings are ignored: a relative namespace URI is one).
    /// Not called from a SAX callback, so the parser is not stopped here: libxml2 stops by itself
    /// after a fatal error, and the next SAX callback stops it after a plain error (an undeclared
    /// prefix); the reader also stops feeding it.
    mutating func libxml2Error(_ error: UnsafePointer<xmlError>) {
        let e = error.pointee
        let code = Int(e.code)
        // An undeclared entity is only a warning when a DTD might declare it; its text would then be
        // dropped silently, so it is an error here (it cannot arise without a DTD, which is refused).
        guard e.level.rawValue >= XML_ERR_ERROR.rawValue || code == Int(XML_WAR_UNDECLARED_ENTITY.rawValue), !failed
        else { return }
        if code == Int(XML_ERR_USER_STOP.rawValue) { return }
        func text(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
        let mapped: XMLError.Problem
        if terminating && depth > 0 {
            mapped = .truncated
        } else if terminating && !sawRoot {
            mapped = code == Int(XML_ERR_DOCUMENT_EMPTY.rawValue) || code == Int(XML_ERR_DOCUMENT_END.rawValue)
                ? .noRootElement : .truncated
        } else {
            switch code {
            case Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_INVALID_ENCODING.rawValue):
                mapped = .invalidCharacter
            case Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
                mapped = .unsupportedEncoding(nil)
            case Int(XML_ERR_UNDECLARED_ENTITY.rawValue), Int(XML_WAR_UNDECLARED_ENTITY.rawValue):
                mapped = .undefinedEntity(text(e.str1))
            case Int(XML_NS_ERR_UNDEFINED_NAMESPACE.rawValue):
                mapped = .undefinedPrefix(text(e.str1))
            case Int(XML_ERR_TAG_NAME_MISMATCH.rawValue):
                mapped = .tagMismatch(open: text(e.str1), close: text(e.str2))
            case Int(XML_ERR_DOCUMENT_EMPTY.rawValue):
                mapped = .noRootElement
            case Int(XML_ERR_DOCUMENT_END.rawValue):
                mapped = depth > 0 ? .truncated : sawRoot ? .contentAfterRoot : .noRootElement
            case Int(XML_ERR_INTERNAL_ERROR.rawValue)
                where e.message.map({ strstr($0, "Huge input lookup") != nil }) ?? false:
                mapped = .markupTooLong
            default:
                mapped = .malformed(code: code)
            }
        }
        fail(mapped, line: Int(e.line))
    }

    // MARK: SAX events

    mutating func startElement(
        _ ctxt: xmlParserCtxtPtr, _ local: UnsafePointer<UInt8>, _ prefix: UnsafePointer<UInt8>?,
        _ uri: UnsafePointer<UInt8>?, _ attributeCount: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    ) {
        if failed { xmlStopParser(ctxt); return }
        depth += 1
        sawRoot = true
        if depth > limits.depth {
            return fail(.tooDeep(element: String(cString: local), limit: limits.depth), ctxt)
        }
        if let prefix, strlen(prefix) > limits.nameBytes {
            return fail(.nameTooLong(limit: limits.nameBytes), ctxt)
        }
        if attributeCount > limits.attributesPerElement {
            return fail(.tooManyAttributes(element: String(cString: local), limit: limits.attributesPerElement), ctxt)
        }
        let node: Int32
        let level: Int
        if recordDepth == 0 {
            if strlen(local) > limits.nameBytes || (uri.map { strlen($0) } ?? 0) > limits.nameBytes {
                return fail(.nameTooLong(limit: limits.nameBytes), ctxt)
            }
            guard Self.equals(local, recordLocal) && Self.equals(uri, recordURI) else { return }
            recordDepth = depth
            recordCount += 1
            recordLine = Self.startLine(ctxt)
            recordTextBytes = 0
            arena.count = 0
            spanCount = 0
            node = 0
            level = 0
        } else {
            let parent = depth - 1 - recordDepth
            guard let child = child(of: frames[parent].node, isAttribute: false, local, uri, ctxt) else { return }
            if nodeIsRecordName[Int(child)] {
                return fail(.nestedRecord(element: recordName.local), ctxt)
            }
            if !frames[parent].mixed {
                // The parent's text so far is the arena's tail; move it aside.
                let start = frames[parent].start
                side[parent].count = 0
                side[parent].append(arena.base + start, count: arena.count - start)
                arena.count = start
                frames[parent].mixed = true
            }
            node = child
            level = depth - recordDepth
        }
        if let attributes {
            for a in 0..<attributeCount {
                let fields = attributes + 5 * a
                guard let name = fields[0], let begin = fields[3], let end = fields[4] else { continue }
                guard let attribute = child(of: node, isAttribute: true, name, fields[2], ctxt) else { return }
                let start = arena.count
                appendAttributeValue(begin, count: end - begin)
                let length = arena.count - start
                if length > limits.textBytes {
                    return fail(.textTooLong(path: table[attribute].description, limit: limits.textBytes), ctxt)
                }
                recordTextBytes += length
                if recordTextBytes > limits.recordBytes {
                    return fail(.recordTooLarge(record: recordCount, limit: limits.recordBytes), ctxt)
                }
                guard addSpan(attribute, start, arena.count, ctxt) else { return }
            }
        }
        frames[level] = Frame(node: node, start: arena.count, textBytes: 0, mixed: false)
    }

    mutating func endElement(_ ctxt: xmlParserCtxtPtr) {
        if failed { return }
        if recordDepth != 0 {
            let level = depth - recordDepth
            let frame = frames[level]
            let start: Int
            if frame.mixed {
                start = arena.count
                arena.append(side[level].base, count: side[level].count)
                side[level].count = 0
            } else {
                start = frame.start
            }
            guard addSpan(frame.node, start, arena.count, ctxt) else { return }
            if level == 0 {
                queue.append(XMLRecord(
                    number: recordCount, line: recordLine,
                    text: Array(UnsafeBufferPointer(start: arena.base, count: arena.count)),
                    spans: Array(UnsafeBufferPointer(start: spans, count: spanCount)),
                    table: table))
                recordDepth = 0
            }
        }
        depth -= 1
    }

    mutating func characters(_ ctxt: xmlParserCtxtPtr, _ bytes: UnsafePointer<UInt8>, _ count: Int) {
        guard recordDepth != 0, !failed else { return }
        let level = depth - recordDepth
        frames[level].textBytes += count
        if frames[level].textBytes > limits.textBytes {
            return fail(.textTooLong(path: table[frames[level].node].description, limit: limits.textBytes), ctxt)
        }
        recordTextBytes += count
        if recordTextBytes > limits.recordBytes {
            return fail(.recordTooLarge(record: recordCount, limit: limits.recordBytes), ctxt)
        }
        if frames[level].mixed {
            side[level].append(bytes, count: count)
        } else {
            arena.append(bytes, count: count)
        }
    }

    // MARK: Helpers

    @inline(__always)
    private mutating func addSpan(_ node: Int32, _ start: Int, _ end: Int, _ ctxt: xmlParserCtxtPtr) -> Bool {
        if spanCount >= limits.valuesPerRecord {
            fail(.tooManyValues(record: recordCount, limit: limits.valuesPerRecord), ctxt)
            return false
        }
        if spanCount == spanCapacity {
            let bigger = UnsafeMutablePointer<XMLValueSpan>.allocate(capacity: spanCapacity * 2)
            bigger.moveInitialize(from: spans, count: spanCount)
            spans.deallocate()
            spans = bigger
            spanCapacity *= 2
        }
        spans[spanCount] = XMLValueSpan(node: node, start: UInt32(start), end: UInt32(end))
        spanCount += 1
        return true
    }

    /// Copies an attribute value, turning libxml2 2.9's "&#38;" back into "&" (see `decodesAmpersands`).
    /// A literal '&' cannot occur in a parsed value otherwise: the document has to write it as
    /// `&amp;` or `&#38;`, and both arrive as "&#38;".
    @inline(__always)
    private mutating func appendAttributeValue(_ bytes: UnsafePointer<UInt8>, count: Int) {
        guard decodesAmpersands, memchr(bytes, Int32(UInt8(ascii: "&")), count) != nil else {
            arena.append(bytes, count: count)
            return
        }
        var i = 0
        while i < count {
            if bytes[i] == UInt8(ascii: "&") && i + 5 <= count && bytes[i + 1] == UInt8(ascii: "#")
                && bytes[i + 2] == UInt8(ascii: "3") && bytes[i + 3] == UInt8(ascii: "8") && bytes[i + 4] == UInt8(ascii: ";") {
                arena.append(UInt8(ascii: "&"))
                i += 5
            } else {
                arena.append(bytes[i])
                i += 1
            }
        }
    }

    /// The path node for an element or attribute named (`local`, `uri`) under `parent`, created on
    /// first sight. Nil after a failure (a limit was exceeded).
    @inline(__always)
    private mutating func child(
        of parent: Int32, isAttribute: Bool, _ local: UnsafePointer<UInt8>, _ uri: UnsafePointer<UInt8>?,
        _ ctxt: xmlParserCtxtPtr
    ) -> Int32? {
        let key = parent << 1 | (isAttribute ? 1 : 0)
        if let hit = cache.find(key, UnsafeRawPointer(local), uri.map { UnsafeRawPointer($0) }) { return hit }
        return newChild(of: parent, key: key, isAttribute: isAttribute, local, uri, ctxt)
    }

    private mutating func newChild(
        of parent: Int32, key: Int32, isAttribute: Bool, _ local: UnsafePointer<UInt8>, _ uri: UnsafePointer<UInt8>?,
        _ ctxt: xmlParserCtxtPtr
    ) -> Int32? {
        if strlen(local) > limits.nameBytes || (uri.map { strlen($0) } ?? 0) > limits.nameBytes {
            fail(.nameTooLong(limit: limits.nameBytes), ctxt)
            return nil
        }
        let name = XMLName(namespace: uri.map { String(cString: $0) } ?? "", local: String(cString: local))
        let nodeKey = NodeKey(key: key, name: name)
        let node: Int32
        if let existing = byName[nodeKey] {
            node = existing
        } else {
            guard table.count < limits.distinctPaths else {
                fail(.tooManyPaths(limit: limits.distinctPaths), ctxt)
                return nil
            }
            let parentElements = nodeElements[Int(parent)]
            let path = isAttribute
                ? XMLPath(elements: parentElements, attribute: name)
                : XMLPath(elements: parentElements + [name])
            nodeElements.append(isAttribute ? [] : path.elements)
            // By bytes, as records are recognised outside records.
            nodeIsRecordName.append(!isAttribute && Array(name.local.utf8) == recordLocal && Array(name.namespace.utf8) == recordURI)
            node = table.append(path)
            byName[nodeKey] = node
        }
        if let dictionary, xmlDictOwns(dictionary, local) == 1, uri.map({ xmlDictOwns(dictionary, $0) == 1 }) ?? true {
            cache.insert(key, UnsafeRawPointer(local), uri.map { UnsafeRawPointer($0) }, node: node)
        }
        return node
    }

    /// Compares a NUL-terminated libxml2 string (nil meaning "") with bytes.
    private static func equals(_ p: UnsafePointer<UInt8>?, _ bytes: [UInt8]) -> Bool {
        guard let p else { return bytes.isEmpty }
        for (i, b) in bytes.enumerated() where p[i] != b { return false }
        return p[bytes.count] == 0
    }

    /// The line of the '<' of the start tag being reported. libxml2's current line is that of the
    /// tag's end (its `>`), so count the newlines back to the `<`, which is still in the input
    /// buffer; '<' cannot occur inside a start tag.
    private static func startLine(_ ctxt: xmlParserCtxtPtr) -> Int {
        guard let input = ctxt.pointee.input else { return 0 }
        let line = Int(input.pointee.line)
        guard var p = input.pointee.cur, let base = input.pointee.base else { return line }
        var newlines = 0
        while p > base {
            p -= 1
            if p.pointee == UInt8(ascii: "<") { return line - newlines }
            if p.pointee == 10 { newlines += 1 }
        }
        return line
    }
}
