import Tabular

/// The limits an XML file must stay within. libxml2's own limits apply only when it builds a tree,
/// so a streaming reader has to enforce these itself (engineering notes: SAX alone accepted 10,000
/// levels of nesting and a 12 MB field).
public struct XMLLimits: Sendable, Equatable {
    /// The deepest an element may sit, counting the document's root element as depth 1.
    public var depth: Int
    /// The longest element name, attribute name, prefix or namespace URI, in UTF-8 bytes.
    public var nameBytes: Int
    /// The most attributes (namespace declarations included) one start tag may have. libxml2 2.9
    /// checks start tags for duplicate attributes in quadratic time, so this is also checked on the
    /// raw bytes before libxml2 sees them (200,000 attributes took libxml2 8.5 s).
    public var attributesPerElement: Int
    /// The longest single value (an element's text or an attribute's value), in UTF-8 bytes.
    public var textBytes: Int
    /// The most text, summed over all values, one record may hold, in UTF-8 bytes.
    public var recordBytes: Int
    /// The most values (element and attribute occurrences) one record may hold. Without it, a
    /// record of a million empty elements would cost far more memory than its text.
    public var valuesPerRecord: Int
    /// The most distinct paths a file may use inside its records. The reader keeps every path it has
    /// seen for the whole file, so this bounds that table.
    public var distinctPaths: Int

    public init(
        depth: Int = 64, nameBytes: Int = 1024, attributesPerElement: Int = 256,
        textBytes: Int = 1 << 20, recordBytes: Int = 16 << 20,
        valuesPerRecord: Int = 100_000, distinctPaths: Int = 10_000
    ) {
        self.depth = depth
        self.nameBytes = nameBytes
        self.attributesPerElement = attributesPerElement
        self.textBytes = textBytes
        self.recordBytes = recordBytes
        self.valuesPerRecord = valuesPerRecord
        self.distinctPaths = distinctPaths
    }
}

/// A problem that stops the reading of an XML file. Its description names the file, the line and
/// the fix.
///
/// No message ever quotes the file's text, not even element, attribute or entity names (a file that
/// is not the expected export can hold anything where a name should be): only the line, the
/// profile's own record element and the limits appear. Values could be the names of victims, and messages end up in logs. For the same
/// reason libxml2's own messages are never passed on (some quote the bytes around the problem);
/// its error code is mapped to a message here instead.
public struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case io(String)
        case gzip
        case utf16
        /// An encoding other than UTF-8, ASCII, ISO-8859-1 or windows-1252, detected (its name) or
        /// declared (nil: the declared name is not repeated).
        case unsupportedEncoding(String?)
        /// Bytes that are not valid in the document's encoding, or a character XML forbids.
        case invalidCharacter
        case doctype
        case undefinedEntity(String)
        case undefinedPrefix(String)
        case tooDeep(element: String, limit: Int)
        case nameTooLong(limit: Int)
        /// `element` is nil when the start tag was refused before it was parsed.
        case tooManyAttributes(element: String?, limit: Int)
        /// `path` is the value's path inside the record, or nil outside a record (a CDATA section
        /// refused before it was parsed).
        case textTooLong(path: String?, limit: Int)
        case recordTooLarge(record: Int, limit: Int)
        case tooManyValues(record: Int, limit: Int)
        case tooManyPaths(limit: Int)
        case nestedRecord(element: String)
        case truncated
        case noRootElement
        case contentAfterRoot
        case tagMismatch(open: String, close: String)
        /// libxml2's 10 MB limit on one piece of markup it must see whole (a comment, tag or
        /// processing instruction).
        case markupTooLong
        /// Any other well-formedness error, by libxml2 error code (`xmlParserErrors`); 0 for a `<!`
        /// that starts neither a comment nor a CDATA section, found before libxml2 saw it.
        case malformed(code: Int)
    }

    public var file: String
    /// The 1-based line of the problem; 0 when the problem is the whole file.
    public var line: Int
    public var problem: Problem

    public init(file: String, line: Int, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        "\(line > 0 ? "\(file):\(line)" : file): \(message)"
    }

    /// The problem and its fix, without the file and line.
    public var message: String {
        switch problem {
        case .io(let message):
            return "cannot read the file: \(message)."
        case .gzip:
            return "the file is gzip-compressed; decompress it first (gunzip), then read the .xml file."
        case .utf16:
            return "the file is UTF-16; convert it to UTF-8 (for example iconv -f UTF-16 -t UTF-8), "
                + "and change or remove its encoding declaration."
        case .unsupportedEncoding(let name):
            let what = name.map { "is \($0)" } ?? "declares an encoding other than UTF-8, US-ASCII, ISO-8859-1 or windows-1252"
            return "the file \(what); convert it to UTF-8 and declare encoding=\"UTF-8\" (or no encoding)."
        case .invalidCharacter:
            return "the text is not valid in the file's encoding (UTF-8 unless declared), or holds a character "
                + "XML does not allow, such as a control character. Re-save the file as UTF-8, or declare its "
                + "real encoding (encoding=\"windows-1252\" for most Windows exports)."
        case .doctype:
            return "DOCTYPE declarations are refused (they can define entities); export without a DTD."
        case .undefinedEntity:
            return "an entity reference (&NAME;) is not defined. Only &amp; &lt; &gt; &quot; &apos; and character "
                + "references (&#233;) are read, because DTDs are refused; export with those instead."
        case .undefinedPrefix:
            return "a namespace prefix is used but never declared with xmlns:PREFIX=\"…\". "
                + "Fix the export so the document declares its namespaces."
        case .tooDeep(_, let limit):
            return "an element is nested deeper than the limit of \(limit) levels. "
                + "Check the export; raise XMLLimits.depth only if such nesting is real."
        case .nameTooLong(let limit):
            return "an element or attribute name, prefix or namespace URI is longer than the limit of \(limit) bytes. "
                + "Check the export; raise XMLLimits.nameBytes only if such names are real."
        case .tooManyAttributes(_, let limit):
            return "a start tag has more than the limit of \(limit) attributes. "
                + "Check the export; raise XMLLimits.attributesPerElement only if that many are real."
        case .textTooLong(let path, let limit):
            let which = path == nil ? "a CDATA section" : "a value"
            return "\(which) is longer than the limit of \(Self.size(limit)). "
                + "Check the export; raise XMLLimits.textBytes only if such values are real."
        case .recordTooLarge(let record, let limit):
            return "record \(record) holds more than the limit of \(Self.size(limit)) of text. "
                + "Check that the right record element was chosen; raise XMLLimits.recordBytes only if such records are real."
        case .tooManyValues(let record, let limit):
            return "record \(record) holds more than the limit of \(limit) elements and attributes. "
                + "Check that the right record element was chosen; raise XMLLimits.valuesPerRecord only if such records are real."
        case .tooManyPaths(let limit):
            return "the records use more than the limit of \(limit) distinct element and attribute paths. "
                + "Check that the right record element was chosen; raise XMLLimits.distinctPaths only if the schema is that large."
        case .nestedRecord(let element):
            return "a <\(SafeText.name(element))> record starts inside another one, so the records cannot be told apart. "
                + "Choose a record element that does not nest."
        case .truncated:
            return "the file ends before the document does (elements are still open); it is probably truncated. "
                + "Copy or export it again."
        case .noRootElement:
            return "the file holds no XML element. Check that the right file was exported."
        case .contentAfterRoot:
            return "there is content after the end of the root element. An XML file has exactly one root element; "
                + "check for two exports concatenated into one file."
        case .tagMismatch:
            return "an end tag does not match the element open at that point. "
                + "The file is not well-formed XML; fix the export."
        case .markupTooLong:
            return "a single comment, tag or processing instruction is longer than libxml2's 10 MB limit. "
                + "Check the export."
        case .malformed(let code):
            let detail = code == 0 ? "'<!' starts neither a comment nor a CDATA section"
                : "\(Self.summary(code)); libxml2 error \(code)"
            return "the file is not well-formed XML (\(detail)). Look at this line of the file, or export it again."
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB"
            : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }

    /// Our own words for libxml2's common error codes (`xmlParserErrors`), so its messages, which can
    /// quote document bytes, are never needed.
    private static func summary(_ code: Int) -> String {
        switch code {
        case 1: return "libxml2 internal error"
        case 2: return "out of memory"
        case 6, 7, 8, 10: return "a character reference is invalid"
        case 22, 23, 24, 25: return "an entity reference is malformed"
        case 38: return "an attribute value contains '<'"
        case 39, 40: return "an attribute value is not quoted or not closed"
        case 41: return "an attribute has no value"
        case 42, 203: return "an attribute is repeated in one start tag"
        case 43, 44: return "a quoted literal is not closed"
        case 45: return "a comment is not closed"
        case 46, 47: return "a processing instruction is malformed or not closed"
        case 56, 57: return "the XML declaration is malformed"
        case 61: return "a DOCTYPE is not closed"
        case 62: return "']]>' appears in text"
        case 63: return "a CDATA section is not closed"
        case 64: return "a processing instruction uses the reserved name 'xml'"
        case 65: return "a space is missing, often between attributes"
        case 68: return "a name was expected"
        case 73: return "'>' was expected"
        case 74: return "'</' was expected"
        case 75: return "'=' was expected after an attribute name"
        case 77: return "a tag is not finished"
        case 85: return "the elements are not well balanced"
        case 86: return "there is extra content"
        case 96, 108, 109: return "the XML declaration's version is missing or unknown"
        case 110: return "a name is too long"
        case 202: return "a name has more than one ':'"
        default: return "see libxml2's xmlParserErrors"
        }
    }
}
