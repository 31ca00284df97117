import Tabular
import Foundation

/// Reads a partner's XML export through its profile: one bulk file of many records, or a
/// directory of submissions with one record each.
///
/// Every value path in a record must be mapped, ignored (itself or an ancestor), the reference, or
/// a container of those holding only whitespace. Anything else stops the run: a partner who adds
/// an element holding names must not leak them.
public struct ProfiledXMLReader: ~Copyable {
    public let profile: PartnerProfile
    public let path: String
    private let layout: PartnerProfile.XMLLayout
    private let mapper: RecordMapper
    /// Source path text (as the profile writes it) → parsed path.
    private let sources: [String: XMLPath]
    private let ignored: [XMLPath]
    private let containers: Set<XMLPath>
    private let referencePath: XMLPath?
    /// Parses the files on a second thread; see ``XMLRecordPipe``.
    private let pipe: XMLRecordPipe
    /// The batch being mapped, and the file it came from.
    private var batch: [XMLRecord] = []
    private var batchIndex = 0
    private var batchFile = ""
    private var failed: ProfileError?

    public private(set) var values: [String] = []
    public private(set) var rejection: Rejection?
    public private(set) var reference = ""
    public private(set) var line = 0
    /// The file the current record came from.
    public private(set) var file = ""
    private var cache = NormalizationCache()

    public init(profile: PartnerProfile, path: String, codeBook: any CodeBook) throws(ProfileError) {
        guard case .xml(let layout) = profile.format else {
            throw ProfileError(profile: profile.name, message: "this profile does not read XML")
        }
        func parsed(_ text: String) throws(ProfileError) -> XMLPath {
            do { return try XMLPath(text, namespaces: layout.namespaces) } catch {
                throw ProfileError(profile: profile.name, message: "profile \(profile.name): \(error.description)")
            }
        }
        let recordPath = try parsed(layout.record)
        guard recordPath.elements.count == 1, recordPath.attribute == nil else {
            throw ProfileError(profile: profile.name, message: "profile \(profile.name): the record must be one element name, such as h:case")
        }
        var sources: [String: XMLPath] = [:]
        for rule in profile.fields {
            if case .column(let text) = rule.source { sources[text] = try parsed(text) }
        }
        let referencePath = try profile.reference.map { (text) throws(ProfileError) in try parsed(text) }
        var ignored: [XMLPath] = []
        for text in profile.ignored { ignored.append(try parsed(text)) }
        let accepted = Set(sources.values).union(referencePath.map { [$0] } ?? [])
        var containers: Set<XMLPath> = [XMLPath(elements: [])]
        for p in accepted.union(ignored) where !p.elements.isEmpty {
            for n in 1...p.elements.count where !(n == p.elements.count && p.attribute == nil) {
                containers.insert(XMLPath(elements: Array(p.elements.prefix(n))))
            }
        }

        var files = [path]
        if layout.submissions {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw ProfileError(profile: profile.name,
                                   message: "\(path): profile \(profile.name) reads a directory of submission files, and this is not one",
                                   isData: true)
            }
            files = names.filter { $0.hasSuffix(".xml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        self.profile = profile
        self.path = path
        self.layout = layout
        mapper = RecordMapper(profile: profile, codeBook: codeBook)
        self.sources = sources
        self.ignored = ignored
        self.containers = containers
        self.referencePath = referencePath
        pipe = XMLRecordPipe(files: files, record: recordPath.elements[0])
    }

    deinit {
        pipe.cancel()
    }

    /// Advances to the next record of the next file; false when every file is read.
    public mutating func next() throws(ProfileError) -> Bool {
        while batchIndex == batch.count {
            if let failed { throw failed }
            switch pipe.next() {
            case .records(let file, let records)?:
                batch = records
                batchIndex = 0
                batchFile = file
            case .failure(_, let error)?:
                batch = []
                batchIndex = 0
                failed = ProfileError(profile: profile.name, message: error.description, isData: true)
            case nil:
                return false
            }
        }
        let record = batch[batchIndex]
        batchIndex += 1
        try take(record, file: batchFile)
        return true
    }

    /// What a path node of the reader's table is to this profile, decided once per node: the
    /// table is shared by all the records of a file, so each record costs one pass over its values.
    private enum NodeRole { case source(Int), allowed, container, unmapped }
    private var roles: [NodeRole] = []
    private var rolesFile = ""
    /// Distinct source paths, in a fixed order; `sourceIndex[text]` is a path text's place in it.
    private lazy var sourceOrder: [XMLPath] = Array(Set(sources.values).union(referencePath.map { [$0] } ?? []))
    private lazy var sourceIndex: [XMLPath: Int] = Dictionary(uniqueKeysWithValues: sourceOrder.enumerated().map { ($1, $0) })
    /// For each field of the profile, the place of its source path in `sourceOrder`, if it has one.
    private lazy var fieldSource: [Int?] = profile.fields.map { rule in
        if case .column(let text) = rule.source { return sources[text].flatMap { sourceIndex[$0] } }
        return nil
    }
    /// Byte ranges of the current record's values by source, reused from record to record.
    private var found: [[Range<Int>]] = []

    private mutating func role(of node: Int, in record: XMLRecord) -> NodeRole {
        while roles.count <= node {
            let p = record.table[Int32(roles.count)]
            if let k = sourceIndex[p] {
                roles.append(.source(k))
            } else if ignored.contains(where: { $0.covers(p) }) {
                roles.append(.allowed)
            } else if containers.contains(p) {
                roles.append(.container)
            } else {
                roles.append(.unmapped)
            }
        }
        return roles[node]
    }

    private mutating func take(_ record: XMLRecord, file: String) throws(ProfileError) {
        // Each file has its own path table, so node roles start afresh with it.
        if record.number == 1 || rolesFile != file { roles = []; rolesFile = file }
        self.file = file
        line = record.line
        if found.count != sourceOrder.count { found = Array(repeating: [], count: sourceOrder.count) }
        for k in found.indices { found[k].removeAll(keepingCapacity: true) }
        for span in record.spans {
            switch role(of: Int(span.node), in: record) {
            case .source(let k):
                found[k].append(Int(span.start)..<Int(span.end))
            case .allowed:
                continue
            case .container where record.text[Int(span.start)..<Int(span.end)].allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }):
                continue
            case .container, .unmapped:
                throw ProfileError(profile: profile.name, message:
                    // The path is not shown: in a file that is not the partner's export, element names can be anything.
                    "\(file):\(record.line): record \(record.number) has an element or attribute that profile \(profile.name) "
                    + "neither maps nor ignores (its path is not shown, in case this is not the partner's export). "
                    + "Map it to a canonical field, or add it to ignore; an unmapped element could hold names.")
            }
        }
        let text = record.text
        reference = referencePath.flatMap { sourceIndex[$0] }.flatMap { found[$0].first }
            .map { Substring(String(decoding: text[$0], as: UTF8.self)).trimmingCharacters() } ?? ""
        let fieldSource = self.fieldSource
        let gathered = found
        let mapper = self.mapper
        rejection = text.withUnsafeBufferPointer { bytes in
            mapper.map(into: &values) { index, _ -> Result<String, Rejection> in
                let ranges = fieldSource[index].map { gathered[$0] } ?? []
                // The cache is keyed by the source bytes, so a value seen before costs no String.
                // Repeated elements join into one key with a separator no text contains.
                if ranges.count == 1 {
                    return cache.normalized(UnsafeBufferPointer(rebasing: bytes[ranges[0]]), field: index) {
                        mapper.normalize([String(decoding: UnsafeBufferPointer(rebasing: bytes[ranges[0]]), as: UTF8.self)],
                                         mapper.profile.fields[index])
                    }
                }
                var key: [UInt8] = []
                for (n, r) in ranges.enumerated() {
                    if n > 0 { key.append(0x1F) }
                    key += bytes[r]
                }
                return key.withUnsafeBufferPointer { k in
                    cache.normalized(k, field: index) {
                        mapper.normalize(ranges.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) },
                                         mapper.profile.fields[index])
                    }
                }
            }
        }
        if rejection != nil { values = [] }
    }
}

extension XMLPath {
    /// Whether `other` is this path or lies below it: ignoring an element ignores its subtree.
    public func covers(_ other: XMLPath) -> Bool {
        if self == other { return true }
        guard attribute == nil, other.elements.count >= elements.count else { return false }
        guard Array(other.elements.prefix(elements.count)) == elements else { return false }
        return other.elements.count > elements.count || other.attribute != nil
    }
}
