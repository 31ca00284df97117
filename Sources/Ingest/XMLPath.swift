#if canImport(Glibc)
import Glibc
import Tabular
#elseif canImport(Darwin)
import Darwin
#endif

/// An element or attribute name: a namespace URI and a local name.
///
/// Names are compared by URI, never by prefix: one export may write `<victim>` under a default
/// namespace and another `<h:victim>` with `h` bound to the same URI, and both mean the same thing.
public struct XMLName: Hashable, Sendable, CustomStringConvertible {
    /// The namespace URI, or "" for a name in no namespace.
    public var namespace: String
    public var local: String

    public init(namespace: String = "", local: String) {
        self.namespace = namespace
        self.local = local
    }

    /// `local`, or `{namespace}local` (James Clark's notation) when there is a namespace.
    public var description: String { namespace.isEmpty ? local : "{\(namespace)}\(local)" }
}

/// The namespace the `xml:` prefix is bound to in every document (XML Namespaces 1.0, section 3).
public let xmlNamespaceURI = "http://www.w3.org/XML/1998/namespace"

/// A path below a record element: child elements, then optionally an attribute.
///
/// Written as `victim/name/given`, `@ref`, `exploitation/@country`, `h:victim/h:age`, or `.` for the
/// record element's own text. Prefixes are resolved to URIs through `namespaces` when the path is
/// parsed, so matching is by URI, never by prefix. The key `""` in `namespaces` gives the namespace
/// of unprefixed *element* steps (as XSLT's `xpath-default-namespace` does), so `victim/age` can
/// match a document whose default namespace is `urn:x`; without it, unprefixed steps match only
/// elements in no namespace, as in XPath. Unprefixed attributes are always in no namespace, as in XML.
/// The prefix `xml` is always bound to ``xmlNamespaceURI``.
///
/// Paths compare by the code points (UTF-8 bytes) of their URIs and names, as XML names do; not by
/// `String`'s canonical equivalence. A path keeps its names as one byte key and hashes it once, at
/// construction: a profile looks paths up in every record, and comparing and hashing the names'
/// strings each time cost more than the rest of the lookup.
public struct XMLPath: Hashable, Sendable, CustomStringConvertible {
    /// Everything in one immutable object, so that copying a path (as every loop over a profile's
    /// paths does) costs one retain rather than one per array and string.
    private final class Storage: Sendable {
        let elements: [XMLName]
        let attribute: XMLName?
        /// Every URI and name, each URI followed by 0x01 and each name by 0x00 (neither byte can
        /// occur in an XML name or URI), the attribute introduced by 0x02.
        let key: [UInt8]
        let hashCode: Int

        init(elements: [XMLName], attribute: XMLName?) {
            self.elements = elements
            self.attribute = attribute
            var key: [UInt8] = []
            for name in elements {
                key += name.namespace.utf8
                key.append(1)
                key += name.local.utf8
                key.append(0)
            }
            if let attribute {
                key.append(2)
                key += attribute.namespace.utf8
                key.append(1)
                key += attribute.local.utf8
                key.append(0)
            }
            self.key = key
            var hasher = Hasher()
            hasher.combine(key.count)
            key.withUnsafeBytes { hasher.combine(bytes: $0) }
            hashCode = hasher.finalize()
        }
    }

    private let storage: Storage

    /// The element steps below the record element; empty for `.` and for the record's own attributes.
    public var elements: [XMLName] { storage.elements }
    /// The attribute at the end of the path, if the path names an attribute.
    public var attribute: XMLName? { storage.attribute }
    /// The hash of the path's bytes, computed once.
    var hashCode: Int { storage.hashCode }

    public init(elements: [XMLName], attribute: XMLName? = nil) {
        storage = Storage(elements: elements, attribute: attribute)
    }

    /// Parses a path; see the type's documentation for the syntax.
    public init(_ text: String, namespaces: [String: String] = [:]) throws(XMLPathError) {
        if text == "." {
            self.init(elements: [])
            return
        }
        if text.isEmpty { throw XMLPathError(path: text, problem: .empty) }
        let steps = text.split(separator: "/", omittingEmptySubsequences: false)
        var elements: [XMLName] = []
        var attribute: XMLName?
        for (position, step) in steps.enumerated() {
            if step.isEmpty { throw XMLPathError(path: text, problem: .emptyStep) }
            if step.first == "@" {
                guard position == steps.count - 1 else { throw XMLPathError(path: text, problem: .attributeNotLast) }
                attribute = try Self.resolve(step.dropFirst(), isAttribute: true, namespaces: namespaces, path: text)
            } else {
                elements.append(try Self.resolve(step, isAttribute: false, namespaces: namespaces, path: text))
            }
        }
        self.init(elements: elements, attribute: attribute)
    }

    /// True when the path names an attribute rather than an element's text.
    public var isAttribute: Bool { attribute != nil }

    public static func == (lhs: XMLPath, rhs: XMLPath) -> Bool {
        let l = lhs.storage, r = rhs.storage
        if l === r { return true }
        guard l.hashCode == r.hashCode, l.key.count == r.key.count else { return false }
        return l.key.withUnsafeBytes { a in
            r.key.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hashCode) }

    /// The path with every name in `{uri}local` form, for messages: prefixes are not kept, because
    /// they are not what the path means.
    public var description: String {
        var steps = elements.map(\.description)
        if let attribute { steps.append("@" + attribute.description) }
        return steps.isEmpty ? "." : steps.joined(separator: "/")
    }

    private static func resolve(
        _ qname: Substring, isAttribute: Bool, namespaces: [String: String], path: String
    ) throws(XMLPathError) -> XMLName {
        let parts = qname.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy(isNCName) else {
            throw XMLPathError(path: path, problem: .invalidName(String(qname)))
        }
        if parts.count == 1 {
            return XMLName(namespace: isAttribute ? "" : namespaces[""] ?? "", local: String(parts[0]))
        }
        let prefix = String(parts[0])
        let uri: String
        if prefix == "xml" {
            uri = xmlNamespaceURI
        } else if let bound = namespaces[prefix], !bound.isEmpty {
            uri = bound
        } else {
            throw XMLPathError(path: path, problem: .unknownPrefix(prefix))
        }
        return XMLName(namespace: uri, local: String(parts[1]))
    }

    /// An XML NCName, checked loosely outside ASCII: any non-ASCII scalar is accepted, because a
    /// path that names no element simply matches nothing.
    private static func isNCName(_ s: Substring) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        func isStart(_ c: Unicode.Scalar) -> Bool {
            c.value >= 0x80 || c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
        }
        guard isStart(first) else { return false }
        return s.unicodeScalars.dropFirst().allSatisfy {
            isStart($0) || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "."
        }
    }
}

/// A path written in a profile that cannot be used. Its description names the path and the fix.
public struct XMLPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case empty
        case emptyStep
        case attributeNotLast
        case invalidName(String)
        case unknownPrefix(String)
    }

    public var path: String
    public var problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let quoted = "XML path \"\(SafeText.name(path))\""
        switch problem {
        case .empty:
            return "\(quoted) is empty. Write child elements separated by '/', or '.' for the record's own text."
        case .emptyStep:
            return "\(quoted) has an empty step (a leading, trailing or doubled '/'). "
                + "Paths start below the record element, e.g. \"victim/age\"."
        case .attributeNotLast:
            return "\(quoted) has an attribute step before its end. Only the last step may be '@name'."
        case .invalidName(let name):
            return "\(quoted) has \"\(SafeText.name(name))\", which is not an XML name (or prefix:name). "
                + "Check for spaces and stray punctuation."
        case .unknownPrefix(let prefix):
            return "\(quoted) uses the prefix \"\(SafeText.name(prefix))\", which is not in the namespace map. "
                + "Add \"\(SafeText.name(prefix))\" with its namespace URI to the profile's namespaces."
        }
    }
}
