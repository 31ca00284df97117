/// The paths a reader has seen, by node number, with an open-addressing index on each path's
/// precomputed hash. A `Dictionary` would run the standard hasher's seeding and finalisation on
/// every lookup, which profiling showed at several percent of the reading time. Records share the
/// reader's table copy-on-write, so a record costs no copy of it.
struct XMLPathTable: Sendable {
    private(set) var paths: [XMLPath] = []
    private var slots = [Int32](repeating: -1, count: 64)

    var count: Int { paths.count }

    subscript(node: Int32) -> XMLPath { paths[Int(node)] }

    @inline(__always)
    func find(_ path: XMLPath) -> Int32? {
        let mask = slots.count - 1
        var i = path.hashCode & mask
        while true {
            let node = slots[i]
            if node < 0 { return nil }
            if paths[Int(node)] == path { return node }
            i = (i + 1) & mask
        }
    }

    /// Adds a path that is not in the table yet and returns its node number.
    mutating func append(_ path: XMLPath) -> Int32 {
        let node = Int32(paths.count)
        paths.append(path)
        if paths.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for (n, p) in paths.enumerated() { place(p, Int32(n)) }
        } else {
            place(path, node)
        }
        return node
    }

    private mutating func place(_ path: XMLPath, _ node: Int32) {
        let mask = slots.count - 1
        var i = path.hashCode & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = node
    }
}

/// One value's place in a record's text: which path it belongs to and its byte range.
struct XMLValueSpan: Sendable {
    var node: Int32
    var start: UInt32
    var end: UInt32
}

/// One record read from an XML file: every element and attribute value inside the record element,
/// by path.
///
/// The values are kept as one UTF-8 byte array plus spans, and become `String`s only when asked for:
/// building a `String` per value up front costs a fifth of the throughput (engineering notes, 236–251
/// against 176–216 MB/s). Every occurrence of an element is a value, so `<middle/>` has the value ""
/// and a repeated element has several. An element's value is the character data and CDATA directly
/// inside it, concatenated, with entities and character references decoded; nothing is trimmed, and
/// the text of child elements is not included (so a container's value is usually just its
/// indentation).
public struct XMLRecord: Sendable {
    /// The 1-based record number in the file.
    public var number: Int
    /// The line on which the record element's start tag begins.
    public var line: Int

    let text: [UInt8]
    let spans: [XMLValueSpan]
    /// The reader's path table when the record completed, shared copy-on-write between records.
    let table: XMLPathTable

    /// Every value at `path`, in document order; [] if the path does not occur in this record.
    public func values(_ path: XMLPath) -> [String] {
        guard let node = table.find(path) else { return [] }
        return text.withUnsafeBufferPointer { bytes in
            spans.withUnsafeBufferPointer { spans in
                var first = -1
                var n = 0
                for i in spans.indices where spans[i].node == node {
                    if n == 0 { first = i }
                    n += 1
                }
                if n == 0 { return [] }
                if n == 1 { return [Self.string(bytes, spans[first])] }
                var result: [String] = []
                result.reserveCapacity(n)
                for span in spans[first...] where span.node == node { result.append(Self.string(bytes, span)) }
                return result
            }
        }
    }

    /// The first value at `path`, or nil if the path does not occur in this record.
    public func value(_ path: XMLPath) -> String? {
        guard let node = table.find(path) else { return nil }
        return text.withUnsafeBufferPointer { bytes in
            for span in spans where span.node == node { return Self.string(bytes, span) }
            return nil
        }
    }

    /// How many values occur at `path`, without building them.
    public func count(_ path: XMLPath) -> Int {
        guard let node = table.find(path) else { return 0 }
        var n = 0
        for span in spans where span.node == node { n += 1 }
        return n
    }

    /// Every path that occurs in this record, each once, in the order their first value completed
    /// (attributes at their start tag, elements at their end tag). Container elements are included:
    /// a profile that refuses unmapped paths should accept the ancestors of the paths it maps.
    public var paths: [XMLPath] {
        var seen = [Bool](repeating: false, count: table.count)
        var result: [XMLPath] = []
        for span in spans where !seen[Int(span.node)] {
            seen[Int(span.node)] = true
            result.append(table[span.node])
        }
        return result
    }

    /// The number of values (element and attribute occurrences) in the record.
    public var valueCount: Int { spans.count }

    @inline(__always)
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ span: XMLValueSpan) -> String {
        // libxml2 has already checked (or converted to) UTF-8, so decoding never repairs anything.
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.end)]), as: UTF8.self)
    }
}
