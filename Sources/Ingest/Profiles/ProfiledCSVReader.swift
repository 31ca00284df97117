import Tabular

/// Reads a partner's CSV export through its profile, one canonical record at a time.
public struct ProfiledCSVReader: ~Copyable {
    public let profile: PartnerProfile
    public let path: String
    private var reader: CSVReader
    private let mapper: RecordMapper
    private let layout: PartnerProfile.CSVLayout
    private let columns: [String: Int]
    private let width: Int
    private let referenceColumn: Int?

    /// The current record's canonical values, in the profile's field order (empty when rejected).
    public private(set) var values: [String] = []
    /// Why the current record cannot be used, if it cannot.
    public private(set) var rejection: Rejection?
    /// The partner's reference of the current record, when the profile names its column.
    public private(set) var reference = ""
    public var line: Int { reader.line }
    private var cache = NormalizationCache()

    /// Opens the file and reads its header rows. Every named column must be mapped or ignored.
    public init(profile: PartnerProfile, path: String, codeBook: any CodeBook) throws(ProfileError) {
        guard case .csv(let layout) = profile.format else {
            throw ProfileError(profile: profile.name, message: "this profile does not read CSV")
        }
        var reader = try Self.open(path, layout: layout, profile: profile.name)
        // Invalid UTF-8 is then fixed in the profile, by its encoding, not by re-saving the file.
        reader.source = .profile(profile.name)
        let header: [String]?
        do { header = try Self.readHeader(&reader, layout: layout) } catch {
            throw ProfileError(profile: profile.name, message: error.description, isData: true)
        }
        guard let names = header else {
            throw ProfileError(profile: profile.name, message: "\(path): the file ends inside its \(layout.headerRows) header row(s)", isData: true)
        }
        let width = names.count
        var columns: [String: Int] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty {
            // Positions, not names: the header may be a line of data.
            if let first = columns[name] {
                throw ProfileError(profile: profile.name, message: "\(path):\(layout.nameRow): columns \(first + 1) and \(i + 1) of the header have the same name")
            }
            columns[name] = i
        }
        let mapped = Set(profile.fields.compactMap { rule -> String? in
            if case .column(let c) = rule.source { return c } else { return nil }
        })
        let ignored = Set(profile.ignored)
        let expected = mapped.union(ignored).union(profile.reference.map { [$0] } ?? []).count
        if width == 1 || width * 2 <= expected, let guess = DelimiterGuess.better(than: layout.delimiter, header: names) {
            // The header's names are not quoted: a header that reads wrongly may be a line of data.
            throw ProfileError(profile: profile.name, message:
                "\(path):\(layout.nameRow): the header reads as \(width) column(s) with delimiter \(DelimiterGuess.quoted(layout.delimiter)), "
                + "but it holds \(DelimiterGuess.quoted(guess.delimiter)) separators: "
                + "set `csv: {delimiter: \(DelimiterGuess.quoted(guess.delimiter))}` in profile \(profile.name) "
                + "(the header then reads as \(guess.columns) columns)")
        }
        let unknown = names.enumerated().filter { i, name in
            let key = name.isEmpty ? "#\(i + 1)" : name
            return !mapped.contains(key) && !ignored.contains(key) && profile.reference != key
        }
        // When most of the header is unknown this is probably not the partner's export, or a file
        // without a header, and its first line may be data: say so without quoting it.
        if unknown.count * 2 > names.count {
            throw ProfileError(profile: profile.name, message:
                "\(path):\(layout.nameRow): \(unknown.count) of the \(names.count) columns are neither mapped nor ignored by profile \(profile.name). "
                + "Is this the partner's export, with its header? (The header is not quoted, in case it is data.)")
        }
        if let (i, name) = unknown.first {
            let which = name.isEmpty ? "column \(i + 1) (no name)" : "column \(i + 1) of the header (its name is not shown, in case it is data)"
            let key = name.isEmpty ? "\"#\(i + 1)\"" : "its name"
            throw ProfileError(profile: profile.name, message:
                "\(path):\(layout.nameRow): \(which) is neither mapped nor ignored by profile \(profile.name). "
                + "Map it to a canonical field, or add \(key) to ignore; an unmapped column could hold names.")
        }
        for column in mapped.union(profile.reference.map { [$0] } ?? []) {
            if column.hasPrefix("#") {
                // `#N` is only for a column without a name: a named column is mapped by its name,
                // so that ignoring it by name keeps it out.
                guard let n = Int(column.dropFirst()), (1...width).contains(n), names[n - 1].isEmpty else {
                    throw ProfileError(profile: profile.name, message:
                        "\(path):\(layout.nameRow): profile \(profile.name) maps \"\(SafeText.name(column))\", but the header has no nameless column \(SafeText.name(String(column.dropFirst()))); "
                        + "#N names the N-th column only when it has no name")
                }
            } else if columns[column] == nil {
                throw ProfileError(profile: profile.name, message:
                    "\(path):\(layout.nameRow): profile \(profile.name) maps column \"\(SafeText.name(column))\", which the header does not have")
            }
        }
        // Every check is done: only now is any property set, as a noncopyable value requires.
        self.profile = profile
        self.path = path
        self.layout = layout
        self.width = width
        self.columns = columns
        mapper = RecordMapper(profile: profile, codeBook: codeBook)
        referenceColumn = profile.reference.flatMap { columns[$0] }
        self.reader = reader
    }

    /// Reads the header rows of a file opened with the layout's delimiter, setting the reader up
    /// for the layout's encoding: the names on the name row, decoded and trimmed, or nil when the
    /// file ends inside its header.
    public static func readHeader(_ reader: inout CSVReader, layout: PartnerProfile.CSVLayout) throws(CSVError) -> [String]? {
        reader.singleByteEncoding = layout.encoding != .utf8
        var names: [String] = []
        for row in 1...max(1, layout.headerRows) {
            guard try reader.next() else { return nil }
            if row == layout.nameRow {
                for i in 0..<reader.fieldCount {
                    names.append(layout.encoding.utf8(reader.field(i)).map { Substring($0).trimmingCharacters() } ?? "")
                }
            }
        }
        return names
    }

    private static func open(_ path: String, layout: PartnerProfile.CSVLayout, profile: String) throws(ProfileError) -> CSVReader {
        do {
            return try CSVReader(path: path, delimiter: layout.delimiter)
        } catch {
            throw ProfileError(profile: profile, message: error.description, isData: true)
        }
    }

    /// Advances to the next record; false at the end of the file.
    public mutating func next() throws(CSVError) -> Bool {
        guard try reader.next() else { return false }
        reference = ""
        rejection = nil
        if let r = referenceColumn, r < reader.fieldCount {
            reference = layout.encoding.utf8(reader.field(r)).map { Substring($0).trimmingCharacters() } ?? ""
        }
        if let malformed = reader.rejectReason {
            rejection = .malformed(malformed)
            values = []
            return true
        }
        guard reader.fieldCount == width else {
            rejection = .wrongFieldCount(reader.fieldCount, expected: width)
            values = []
            return true
        }
        let mapper = self.mapper
        rejection = mapper.map(into: &values) { index, column -> Result<String, Rejection> in
            let rule = mapper.profile.fields[index]
            guard let c = column.hasPrefix("#") ? Int(column.dropFirst()).map({ $0 - 1 }) : columns[column],
                  c >= 0, c < reader.fieldCount else { return mapper.normalize([], rule) }
            // Keyed by the source bytes, whatever the encoding: a value seen before is neither
            // decoded nor normalised again.
            let bytes = reader.field(c)
            return cache.normalized(bytes, field: index) {
                guard let text = layout.encoding.utf8(bytes) else {
                    return .failure(Rejection(field: rule.canonical, reason: "a byte that \(layout.encoding.rawValue) does not define"))
                }
                return mapper.normalize([text], rule)
            }
        }
        if rejection != nil { values = [] }
        return true
    }
}

/// A profile that does not fit its input, or cannot be used: a configuration error unless it is
/// the input itself that cannot be read.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    public var profile: String
    public var message: String
    /// True when the input could not be read (exit 3) rather than described wrongly (exit 2).
    public var isData: Bool

    public init(profile: String, message: String, isData: Bool = false) {
        self.profile = profile
        self.message = message
        self.isData = isData
    }

    public var description: String { message }
}
