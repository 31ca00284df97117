import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The version of libxml2 this build links, for reports and bug hunts.
public var libxml2Version: String { LIBXML_DOTTED_VERSION }

/// A streaming reader of the records in an XML file: every element named `record`, at any depth
/// (`<case>` elements under a bulk export's root, or the root `<data>` of an ODK submission).
///
/// It reads the file with `read(2)` in chunks and pushes them into libxml2's SAX2 parser, hands out
/// records as they complete, and never builds a tree, so memory depends on the chunk size and the
/// largest record, not on the file. Text and attributes outside records are parsed (the whole file
/// must be well-formed) but ignored.
///
/// Security is by construction, because a SAX parser alone is not safe (engineering notes):
/// - Any DOCTYPE is refused, so no entity can be declared: libxml2 2.9 replays internal entity text
///   to SAX callbacks even without `XML_PARSE_NOENT` (a 200 KB file became 2.5 GB of text). Only the
///   predefined entities and character references are read; any other reference is an error.
///   The refusal happens twice: in a scan of the raw bytes before libxml2 sees them, and in the
///   SAX `internalSubset`/`externalSubset` and declaration callbacks.
/// - The parser never loads anything: `XML_PARSE_NONET`, none of `NOENT`, `DTDLOAD`, `DTDATTR` or
///   `HUGE`, no resolver, and a process-wide external entity loader that returns nothing.
/// - Depth, name length, attribute count, value size, record size, values per record and distinct
///   paths are limited here (``XMLLimits``): libxml2's own limits apply only to trees.
/// - Gzip input is refused before parsing (`xmlReaderForFile` would have inflated it silently), as
///   is UTF-16 or UTF-32. A document may declare ISO-8859-1 or windows-1252; libxml2 then converts
///   it to UTF-8, which is what such a declaration means. Any other declared encoding is refused.
/// - libxml2 prints nothing: errors on this thread go to this reader while it parses, and its
///   messages are never passed on, since some quote document bytes (see ``XMLError``).
///
/// The reader is a `~Copyable` struct, like ``CSVReader``: it alone owns the file descriptor, the
/// libxml2 context and the SAX state, and frees them in `deinit`. A copy would free them twice,
/// and a class would add reference counting and exclusivity checks for no benefit.
///
/// After an error, the records that completed before the point of the error are still handed
/// out, then `next()` throws, and it throws the same error on every later call.
///
/// ```swift
/// var reader = try XMLRecordReader(path: "export.xml", record: XMLName(namespace: "urn:x", local: "case"))
/// let age = try XMLPath("h:victim/h:age", namespaces: ["h": "urn:x"])
/// while let record = try reader.next() {
///     let ages = record.values(age)
/// }
/// ```
public struct XMLRecordReader: ~Copyable {
    public static let defaultChunkSize = 256 << 10

    public let path: String
    public let record: XMLName
    public let limits: XMLLimits

    private let fd: Int32
    private let chunkSize: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var filled: Int
    private var fed = 0
    /// The file offset of `buffer[0]`.
    private var offset = 0
    private var atEOF: Bool
    private var finished = false
    private var failure: XMLError?
    private var markup: XMLMarkupGuard?
    private let context: xmlParserCtxtPtr
    private let state: UnsafeMutablePointer<XMLSAXState>

    /// Opens `path` and checks its first bytes (gzip, UTF-16, declared encoding) before any parsing.
    /// `chunkSize` is how much is read and parsed at a time; records may span chunks.
    public init(path: String, record: XMLName, limits: XMLLimits = .init(), chunkSize: Int = defaultChunkSize) throws(XMLError) {
        try self.init(path: path, record: record, limits: limits, chunkSize: chunkSize, checksMarkup: true)
    }

    /// `checksMarkup: false` turns off the raw-byte scan, so that tests can reach the SAX-level
    /// defences behind it.
    init(path: String, record: XMLName, limits: XMLLimits, chunkSize: Int, checksMarkup: Bool) throws(XMLError) {
        precondition(limits.depth > 0 && limits.nameBytes > 0 && limits.attributesPerElement >= 0 && limits.textBytes >= 0
                     && limits.recordBytes >= 0 && limits.valuesPerRecord > 0 && limits.distinctPaths > 0,
                     "XMLLimits must be positive")
        precondition(limits.recordBytes < Int(UInt32.max) && limits.depth <= 1 << 16, "XMLLimits are too large")
        let ampersands = XMLLibrary.attributesEscapeAmpersands
        if htdx_xml_deny_loader_installed() == 0 { _ = htdx_xml_install_deny_loader() }

        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw XMLError(file: path, line: 0, problem: .io(String(cString: strerror(errno)))) }
        let chunkSize = min(max(chunkSize, 1), 1 << 30)
        let capacity = max(chunkSize, 4096)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        func abandon(_ problem: XMLError.Problem) -> XMLError {
            buffer.deallocate()
            close(fd)
            return XMLError(file: path, line: 0, problem: problem)
        }

        // The first bytes, for the checks; parsing starts with them later.
        var filled = 0
        var atEOF = false
        while filled < 4096 {
            let n = read(fd, buffer + filled, capacity - filled)
            if n > 0 { filled += n; continue }
            if n == 0 { atEOF = true; break }
            if errno == EINTR { continue }
            throw abandon(.io(String(cString: strerror(errno))))
        }
        if let problem = Self.checkHead(UnsafeBufferPointer(start: buffer, count: filled)) { throw abandon(problem) }

        var handler = XMLSAX.handler()
        // Even an out-of-memory report while creating the parser must not reach stderr.
        let saved = htdx_xml_route_errors(nil, XMLSAX.ignoreError)
        let created = xmlCreatePushParserCtxt(&handler, nil, nil, 0, nil)
        if let created {
            xmlCtxtUseOptions(created, Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
        }
        htdx_xml_restore_errors(saved)
        guard let context = created else { throw abandon(.io("libxml2 could not create a parser (out of memory)")) }
        // The options above must leave entity substitution, DTD loading and validation off.
        precondition(context.pointee.replaceEntities == 0 && context.pointee.loadsubset == 0
                     && context.pointee.validate == 0 && context.pointee.sax.pointee.resolveEntity == nil)
        let state = UnsafeMutablePointer<XMLSAXState>.allocate(capacity: 1)
        state.initialize(to: XMLSAXState(
            limits: limits, record: record, decodesAmpersands: ampersands, dictionary: context.pointee.dict))
        context.pointee._private = UnsafeMutableRawPointer(state)

        self.path = path
        self.record = record
        self.limits = limits
        self.fd = fd
        self.chunkSize = chunkSize
        self.buffer = buffer
        self.filled = filled
        self.atEOF = atEOF
        self.context = context
        self.state = state
        self.markup = checksMarkup
            ? XMLMarkupGuard(maximumAttributes: limits.attributesPerElement, maximumCDATABytes: limits.textBytes) : nil
    }

    deinit {
        xmlFreeParserCtxt(context)
        state.pointee.release()
        state.deinitialize(count: 1)
        state.deallocate()
        buffer.deallocate()
        close(fd)
    }

    /// The next record, or nil at the end of the file.
    public mutating func next() throws(XMLError) -> XMLRecord? {
        while true {
            if let record = state.pointee.dequeue() { return record }
            if let failure { throw failure }
            if finished { return nil }
            advance()
        }
    }

    /// Records parsed but not yet handed out; they are what the reader holds beyond its buffers.
    var queuedRecords: Int { state.pointee.queuedRecords }

    // MARK: Feeding libxml2

    /// Parses one more chunk, reading the file when the buffer is used up, or ends the document.
    private mutating func advance() {
        if fed == filled {
            if atEOF {
                parse(nil, count: 0, terminate: true)
                finished = true
                if failure == nil {
                    if state.pointee.depth > 0 { fail(.truncated, line: XMLSAXState.currentLine(context)) }
                    else if !state.pointee.sawRoot { fail(.noRootElement, line: 0) }
                }
                return
            }
            offset += filled
            filled = 0
            fed = 0
            while true {
                let n = read(fd, buffer, chunkSize)
                if n > 0 { filled = n; break }
                if n == 0 { atEOF = true; return }
                if errno == EINTR { continue }
                fail(.io(String(cString: strerror(errno))), line: 0)
                return
            }
        }
        let count = min(chunkSize, filled - fed)
        var violation: (offset: Int, violation: XMLMarkupGuard.Violation)?
        if markup != nil { violation = markup!.scan(buffer + fed, count: count, base: offset + fed) }
        let parsed = violation?.offset ?? count
        // Everything before a violation is parsed, so that the records before it are handed out
        // and an earlier error in libxml2's eyes is reported first.
        if parsed > 0 { parse(buffer + fed, count: parsed, terminate: false) }
        fed += count
        if failure == nil, let violation, let markup {
            let line = line(atOffset: markup.constructStart)
            switch violation.violation {
            case .tooManyAttributes: fail(.tooManyAttributes(element: nil, limit: limits.attributesPerElement), line: line)
            case .cdataTooLong: fail(.textTooLong(path: nil, limit: limits.textBytes), line: line)
            case .declaration: fail(.doctype, line: line)
            case .malformed: fail(.malformed(code: 0), line: line)
            }
        }
    }

    private mutating func parse(_ bytes: UnsafePointer<UInt8>?, count: Int, terminate: Bool) {
        state.pointee.terminating = terminate
        let saved = htdx_xml_route_errors(UnsafeMutableRawPointer(state), XMLSAX.threadError)
        let chunk = bytes.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
        let code = xmlParseChunk(context, chunk, Int32(count), terminate ? 1 : 0)
        htdx_xml_restore_errors(saved)
        if let problem = state.pointee.problem {
            failure = XMLError(file: path, line: state.pointee.problemLine, problem: problem)
        } else if code != 0 {
            // An error libxml2 did not report through a handler: still an error.
            fail(.malformed(code: Int(code)), line: XMLSAXState.currentLine(context))
        }
    }

    private mutating func fail(_ problem: XMLError.Problem, line: Int) {
        state.pointee.fail(problem, line: line)
        if failure == nil { failure = XMLError(file: path, line: line, problem: problem) }
    }

    /// The 1-based line of a file offset, by counting newlines from the start of the file. Only
    /// used for errors found in the raw bytes, where libxml2 has not counted lines yet.
    private func line(atOffset target: Int) -> Int {
        let block = 64 << 10
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: block)
        defer { scratch.deallocate() }
        var line = 1
        var position = 0
        while position < target {
            let n = pread(fd, scratch, min(block, target - position), off_t(position))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            for i in 0..<n where scratch[i] == 10 { line += 1 }
            position += n
        }
        return line
    }

    // MARK: The first bytes

    /// Refuses what must not reach libxml2: gzip (1F 8B), UTF-16 and UTF-32 (by byte-order mark or
    /// by the zero bytes around the first '<'), EBCDIC, and a declared encoding other than UTF-8,
    /// US-ASCII, ISO-8859-1 or windows-1252.
    static func checkHead(_ b: UnsafeBufferPointer<UInt8>) -> XMLError.Problem? {
        func starts(_ prefix: [UInt8], at start: Int = 0) -> Bool {
            b.count >= start + prefix.count && prefix.indices.allSatisfy { b[start + $0] == prefix[$0] }
        }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0x00, 0x00, 0xFE, 0xFF]) || starts([0xFF, 0xFE, 0x00, 0x00])
            || starts([0x00, 0x00, 0x00, 0x3C]) || starts([0x3C, 0x00, 0x00, 0x00]) {
            return .unsupportedEncoding("UTF-32")
        }
        if starts([0xFE, 0xFF]) || starts([0xFF, 0xFE]) || starts([0x00, 0x3C]) || starts([0x3C, 0x00]) { return .utf16 }
        if starts([0x4C, 0x6F, 0xA7, 0x94]) { return .unsupportedEncoding("EBCDIC") }

        let start = starts([0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard starts(Array("<?xml".utf8), at: start), b.count > start + 5,
              [0x20, 0x09, 0x0A, 0x0D].contains(b[start + 5]) else { return nil }
        // The declaration ends at the first "?>" (nothing in it may contain one).
        var end = start + 5
        while end + 1 < b.count && !(b[end] == UInt8(ascii: "?") && b[end + 1] == UInt8(ascii: ">")) { end += 1 }
        // A declaration that does not end within the first 4 KiB could hide its encoding from this
        // check; no real one is that long.
        if end + 1 >= b.count && b.count >= 4096 { return .malformed(code: Int(XML_ERR_XMLDECL_NOT_FINISHED.rawValue)) }
        let declaration = Array(b[start..<end])
        guard let encoding = Self.pseudoAttribute("encoding", in: declaration) else { return nil }
        let name = String(decoding: encoding, as: UTF8.self).uppercased()
        if ["UTF-16", "UTF16", "UTF-16LE", "UTF-16BE", "UCS-2", "UCS2", "ISO-10646-UCS-2"].contains(name) { return .utf16 }
        let accepted = ["UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "ISO_8859-1", "ISO8859-1", "LATIN1",
                        "LATIN-1", "ISO-LATIN-1", "WINDOWS-1252", "CP1252"]
        return accepted.contains(name) ? nil : .unsupportedEncoding(nil)
    }

    /// The value of `name="…"` or `name='…'` in an XML declaration.
    private static func pseudoAttribute(_ name: String, in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let key = Array(name.utf8)
        var i = 0
        while i + key.count <= bytes.count {
            if Array(bytes[i..<i + key.count]) == key {
                var j = i + key.count
                while j < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[j]) { j += 1 }
                if j < bytes.count && bytes[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[j]) { j += 1 }
                    guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else { return nil }
                    let quote = bytes[j]
                    guard let close = bytes[(j + 1)...].firstIndex(of: quote) else { return nil }
                    return bytes[(j + 1)..<close]
                }
            }
            i += 1
        }
        return nil
    }
}

// MARK: - libxml2 set-up and callbacks

enum XMLLibrary {
    /// Initialises libxml2 once, installs the deny-all entity loader, and learns whether this
    /// libxml2 writes '&' in attribute values as "&#38;" (2.9 does when entities are not
    /// substituted, leaving the decoding to its tree builder, which a SAX reader does not use).
    static let attributesEscapeAmpersands: Bool = {
        xmlInitParser()
        _ = htdx_xml_install_deny_loader()
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { ctx, _, _, _, _, _, count, _, attributes in
            guard let ctx, count == 1, let attributes, let begin = attributes[3], let end = attributes[4] else { return }
            let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
            ctxt.pointee._private.assumingMemoryBound(to: Bool.self).pointee = end - begin == 5
        }
        handler.serror = { _, _ in }
        let saved = htdx_xml_route_errors(nil, XMLSAX.ignoreError)
        defer { htdx_xml_restore_errors(saved) }
        guard let ctxt = xmlCreatePushParserCtxt(&handler, nil, nil, 0, nil) else { return true }
        defer { xmlFreeParserCtxt(ctxt) }
        xmlCtxtUseOptions(ctxt, Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
        var escapes = false
        let probe = Array("<a b=\"&amp;\"/>".utf8)
        withUnsafeMutablePointer(to: &escapes) { flag in
            ctxt.pointee._private = UnsafeMutableRawPointer(flag)
            probe.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { _ = xmlParseChunk(ctxt, $0.baseAddress, Int32($0.count), 1) }
            }
            ctxt.pointee._private = nil
        }
        return escapes
    }()
}

/// The SAX2 callbacks. Each one finds the reader's state through the context's `_private`.
enum XMLSAX {
    @inline(__always)
    static func context(_ ctx: UnsafeMutableRawPointer) -> xmlParserCtxtPtr { ctx.assumingMemoryBound(to: xmlParserCtxt.self) }

    @inline(__always)
    static func state(_ ctxt: xmlParserCtxtPtr) -> UnsafeMutablePointer<XMLSAXState> {
        ctxt.pointee._private.assumingMemoryBound(to: XMLSAXState.self)
    }

    static let ignoreError: xmlStructuredErrorFunc = { _, _ in }

    /// Errors raised on this thread without a parser context (while the reader parses).
    static let threadError: xmlStructuredErrorFunc = { data, error in
        guard let data, let error else { return }
        data.assumingMemoryBound(to: XMLSAXState.self).pointee.libxml2Error(error)
    }

    static func refuseDoctype(_ ctx: UnsafeMutableRawPointer?) {
        guard let ctx else { return }
        let ctxt = context(ctx)
        state(ctxt).pointee.fail(.doctype, ctxt)
    }

    static func handler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        h.initialized = UInt32(XML_SAX2_MAGIC)
        h.startElementNs = { ctx, local, prefix, uri, _, _, attributeCount, _, attributes in
            guard let ctx, let local else { return }
            let ctxt = XMLSAX.context(ctx)
            XMLSAX.state(ctxt).pointee.startElement(ctxt, local, prefix, uri, Int(attributeCount), attributes)
        }
        h.endElementNs = { ctx, _, _, _ in
            guard let ctx else { return }
            let ctxt = XMLSAX.context(ctx)
            XMLSAX.state(ctxt).pointee.endElement(ctxt)
        }
        h.characters = { ctx, bytes, count in
            guard let ctx, let bytes else { return }
            let ctxt = XMLSAX.context(ctx)
            XMLSAX.state(ctxt).pointee.characters(ctxt, bytes, Int(count))
        }
        h.cdataBlock = h.characters
        h.ignorableWhitespace = h.characters
        h.serror = { data, error in
            // `data` is the context's userData, which is the context itself.
            guard let data, let error else { return }
            XMLSAX.state(XMLSAX.context(data)).pointee.libxml2Error(error)
        }
        // A DTD is refused wherever libxml2 could report one.
        h.internalSubset = { ctx, _, _, _ in XMLSAX.refuseDoctype(ctx) }
        h.externalSubset = { ctx, _, _, _ in XMLSAX.refuseDoctype(ctx) }
        h.entityDecl = { ctx, _, _, _, _, _ in XMLSAX.refuseDoctype(ctx) }
        h.unparsedEntityDecl = { ctx, _, _, _, _ in XMLSAX.refuseDoctype(ctx) }
        h.notationDecl = { ctx, _, _, _ in XMLSAX.refuseDoctype(ctx) }
        h.attributeDecl = { ctx, _, _, _, _, _, tree in
            if let tree { xmlFreeEnumeration(tree) }
            XMLSAX.refuseDoctype(ctx)
        }
        h.elementDecl = { ctx, _, _, _ in XMLSAX.refuseDoctype(ctx) }
        // No entity exists beyond the predefined ones, which libxml2 resolves before asking.
        h.getEntity = { _, _ in nil }
        h.getParameterEntity = { _, _ in nil }
        h.resolveEntity = nil
        h.reference = { ctx, name in
            guard let ctx else { return }
            let ctxt = XMLSAX.context(ctx)
            XMLSAX.state(ctxt).pointee.fail(.undefinedEntity(name.map { String(cString: $0) } ?? ""), ctxt)
        }
        return h
    }
}
