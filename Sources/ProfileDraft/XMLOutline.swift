import Foundation

/// The names an XML document's first bytes use: its root, the elements directly under the root
/// that hold child elements, and the namespace declarations. Only tag names are looked at, never
/// text; the values are read afterwards by the project's safe reader (no DTD, no entities, limits).
struct XMLOutline {
    var root: String?
    /// Qualified names (as written) of the root's children that have children of their own → occurrences.
    var recordCandidates: [String: Int] = [:]
    /// Prefix ("" for the default namespace) → URI, as declared.
    var namespaces: [String: String] = [:]

    static let scannedBytes = 1 << 20

    init(path: String) throws(DraftError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DraftError("\(path): cannot be opened", isData: true) }
        defer { try? handle.close() }
        let bytes = [UInt8](((try? handle.read(upToCount: Self.scannedBytes)) ?? nil) ?? Data())
        scan(bytes)
    }

    private mutating func scan(_ b: [UInt8]) {
        var i = 0
        var stack: [String] = []
        var withChildren = Set<Int>()   // depths whose open element has a child element
        func starts(_ s: String, at j: Int) -> Bool {
            let u = Array(s.utf8)
            return j + u.count <= b.count && Array(b[j..<j + u.count]) == u
        }
        func skip(past s: String, from j: Int) -> Int {
            var k = j
            while k < b.count && !starts(s, at: k) { k += 1 }
            return k + s.utf8.count
        }
        while i < b.count {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            if starts("<!--", at: i) { i = skip(past: "-->", from: i); continue }
            if starts("<![CDATA[", at: i) { i = skip(past: "]]>", from: i); continue }
            if starts("<?", at: i) { i = skip(past: "?>", from: i); continue }
            if starts("<!", at: i) { i = skip(past: ">", from: i); continue }
            // A tag: read to its `>` outside quotes.
            var j = i + 1
            var quote: UInt8 = 0
            while j < b.count {
                if quote != 0 { if b[j] == quote { quote = 0 } } else if b[j] == 34 || b[j] == 39 { quote = b[j] } else if b[j] == UInt8(ascii: ">") { break }
                j += 1
            }
            guard j < b.count else { return }
            let tag = String(decoding: b[(i + 1)..<j], as: UTF8.self)
            i = j + 1
            if tag.hasPrefix("/") {
                if let open = stack.popLast() {
                    if stack.count == 1 && withChildren.contains(1) { recordCandidates[open, default: 0] += 1 }
                    withChildren.remove(stack.count)
                }
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            let body = selfClosing ? String(tag.dropLast()) : tag
            let name = String(body.prefix { !" \t\r\n".contains($0) })
            readNamespaces(body)
            if stack.isEmpty && root == nil { root = name }
            if !stack.isEmpty { withChildren.insert(stack.count - 1) }
            if !selfClosing { stack.append(name) }
        }
    }

    /// `xmlns="…"` and `xmlns:p="…"` declarations in a start tag.
    private mutating func readNamespaces(_ tag: String) {
        var rest = Substring(tag)
        while let r = rest.range(of: "xmlns") {
            rest = rest[r.upperBound...]
            var prefix = ""
            if rest.first == ":" {
                prefix = String(rest.dropFirst().prefix { $0 != "=" && !$0.isWhitespace })
                rest = rest.dropFirst(prefix.count + 1)
            }
            rest = rest.drop { $0.isWhitespace }
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            guard let q = rest.first, q == "\"" || q == "'" else { continue }
            rest = rest.dropFirst()
            let uri = String(rest.prefix { $0 != q })
            rest = rest.dropFirst(uri.count)
            if namespaces[prefix] == nil { namespaces[prefix] = uri }
        }
    }
}
