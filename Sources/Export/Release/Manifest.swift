import Anonymize
import Foundation
import Tabular

/// The version of htdx that wrote a release, recorded in its manifest.
public enum HtdxVersion {
    public static let current = "0.6.0"
}

/// `manifest.json`: what a published directory holds and the promises it makes, enough for
/// `htdx verify` to re-check the directory from its files alone.
///
/// Every other file of the directory is listed with its SHA-256, so a file that was changed,
/// added or removed after publication is found. The manifest names the quasi-identifiers and k
/// (CTDC never published its quasi-identifiers; a verifiable release must), the aggregate rules,
/// and the accounting. It holds no paths, times or partner references, so the same inputs give the
/// same manifest.
public struct Manifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var sha256: String
        public var bytes: Int
    }

    public struct Accounting: Codable, Sendable, Equatable {
        public var `in`: Int
        public var rejected: Int
        public var excluded: Int
        public var suppressed: Int
        public var published: Int
        /// Held back by the differencing guard; absent when none were, and in manifests older than it.
        public var heldBack: Int?

        public init(in recordsIn: Int, rejected: Int, excluded: Int, suppressed: Int, published: Int) {
            self.in = recordsIn
            self.rejected = rejected
            self.excluded = excluded
            self.suppressed = suppressed
            self.published = published
        }

        /// The report's accounting, which also says how many records could have been suppressed.
        public init(_ records: Report.Records) {
            self.init(in: records.in, rejected: records.rejected, excluded: records.excluded,
                      suppressed: records.suppressed, published: records.published)
            heldBack = records.heldBack
        }
    }

    /// How the record-level file is laid out and what it promises.
    public struct Microdata: Codable, Sendable, Equatable {
        public var file: String
        /// The delimiter, as a one-character string.
        public var delimiter: String
        /// Rows before the records: the header, and an HXL hashtag row when there is one.
        public var headerRows: Int
        public var k: Int
        public var quasiIdentifiers: [String]
        /// Quasi-identifier cells left empty by cell suppression, per attribute.
        public var cellsBlanked: [String: Int]
        /// Every privacy model the file meets, as the policy named it; absent in releases that
        /// promise k-anonymity alone, which `k` states.
        public var models: [Model]?
        /// For t-closeness: each sensitive attribute's values and their counts among the records
        /// that entered anonymisation, which the distance compares a class with.
        public var references: [Reference]?

        public init(file: String, delimiter: String, headerRows: Int, k: Int, quasiIdentifiers: [String],
                    cellsBlanked: [String: Int] = [:]) {
            self.file = file
            self.delimiter = delimiter
            self.headerRows = headerRows
            self.k = k
            self.quasiIdentifiers = quasiIdentifiers
            self.cellsBlanked = cellsBlanked
        }

        /// The promised models; k-anonymity with `k` when the manifest lists none.
        public func privacyModels() throws(ModelParameterError) -> PrivacyModels {
            guard let models, !models.isEmpty else { return PrivacyModels(k: max(1, k), suppressionLimit: 1) }
            var built: [any PrivacyModel] = []
            for m in models { built.append(try PrivacyModels.model(key: m.key, parameters: ModelParameters(m.parameters))) }
            return PrivacyModels(models: built, suppressionLimit: 1)
        }

        /// The reference distributions, refused when a manifest's counts could not have been written
        /// by a run: a hand-edited manifest must fail verification, never crash it.
        public func referenceColumns() throws(ManifestReferenceError) -> [String: SensitiveColumn] {
            var columns: [String: SensitiveColumn] = [:]
            for r in references ?? [] {
                guard r.values.count == r.counts.count, Set(r.values).count == r.values.count,
                      r.counts.allSatisfy({ (0...(1 << 40)).contains($0) }), columns[r.attribute] == nil else {
                    throw ManifestReferenceError(attribute: r.attribute)
                }
                let hierarchy: Hierarchy?
                do {
                    hierarchy = try r.hierarchy.map { (rows) throws(HierarchyError) in try Hierarchy(rows: rows) }
                } catch {
                    throw ManifestReferenceError(attribute: r.attribute)
                }
                guard hierarchy.map({ $0.rawValues == r.values }) ?? true else { throw ManifestReferenceError(attribute: r.attribute) }
                columns[r.attribute] = SensitiveColumn(name: r.attribute, values: r.values, referenceCounts: r.counts, hierarchy: hierarchy)
            }
            return columns
        }
    }

    /// A reference distribution in a manifest that a run could not have written.
    public struct ManifestReferenceError: Error, Sendable, CustomStringConvertible {
        public var attribute: String
        public var description: String {
            "the reference distribution of \(SafeText.name(attribute)) is malformed (values and counts must pair up, "
                + "values be distinct, counts be whole numbers from 0, and a hierarchy list the same values)"
        }
    }

    /// A privacy model as a policy names it: its key under `privacy:` and its parameters.
    public struct Model: Codable, Sendable, Equatable {
        public var key: String
        public var parameters: [String: String]
        public init(_ model: any PrivacyModel) {
            key = type(of: model).policyKey
            parameters = model.parameters
        }
    }

    /// A sensitive attribute's reference distribution, and its hierarchy (one row per value, a
    /// label per level) when the distance is hierarchical.
    public struct Reference: Codable, Sendable, Equatable {
        public var attribute: String
        public var values: [String]
        public var counts: [Int]
        public var hierarchy: [[String]]?
        public init(_ column: SensitiveColumn, withHierarchy: Bool) {
            attribute = column.name
            values = column.values
            counts = column.referenceCounts
            hierarchy = withHierarchy ? column.hierarchy.map { h in
                (0..<h.rawCount).map { r in (0..<h.levelCount).map { l in h.labels[l][Int(h.map[l][r])] } }
            } : nil
        }
    }

    /// An aggregate file and the rule its counts obey.
    public struct Aggregate: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case combinations, crossTabulation }
        public var file: String
        public var kind: Kind
        public var attributes: [String]
        /// For combinations: counts are multiples of this.
        public var resolution: Int?
        public var maxLength: Int?
        /// For cross-tabulations: counts below this were suppressed.
        public var threshold: Int?

        public init(file: String, kind: Kind, attributes: [String], resolution: Int? = nil, maxLength: Int? = nil,
                    threshold: Int? = nil) {
            self.file = file
            self.kind = kind
            self.attributes = attributes
            self.resolution = resolution
            self.maxLength = maxLength
            self.threshold = threshold
        }
    }

    public var format = "htdx-manifest/1"
    public var htdxVersion = HtdxVersion.current
    public var files: [String: File] = [:]
    public var policySHA256: String
    /// The job file's hash, for a scheduled `htdx run`.
    public var jobSHA256: String?
    public var records: Accounting
    public var microdata: Microdata
    public var aggregates: [Aggregate] = []

    public init(policySHA256: String, jobSHA256: String?, records: Accounting, microdata: Microdata) {
        self.policySHA256 = policySHA256
        self.jobSHA256 = jobSHA256
        self.records = records
        self.microdata = microdata
    }

    public static let fileName = "manifest.json"

    /// Hashes every file under `directory` (the manifest itself aside) into `files`.
    public mutating func recordFiles(in directory: String) throws(ExportError) {
        files = [:]
        for name in try Self.listFiles(in: directory) where name != Self.fileName {
            files[name] = try Self.hash(directory + "/" + name)
        }
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(10)
        return data
    }

    public static func decode(_ data: Data) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: data)
    }

    /// Every regular file below `directory`, as relative paths, sorted. Anything else (a symbolic
    /// link, a device) is refused: a release holds plain files only.
    static func listFiles(in directory: String) throws(ExportError) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw .io(path: directory, message: "cannot list the directory")
        }
        var names: [String] = []
        while let name = walker.nextObject() as? String {
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory { continue }
            guard type == .typeRegular else {
                throw .verification(path: directory + "/" + name, message: "is not a regular file; a release holds plain files only")
            }
            names.append(name)
        }
        return names.sorted()
    }

    /// A file's SHA-256 and size, read in 1 MiB blocks.
    static func hash(_ path: String) throws(ExportError) -> File {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io(path: path, message: "cannot open for reading") }
        defer { try? handle.close() }
        var digest = SHA256()
        var bytes = 0
        while true {
            let block: Data
            do { block = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw .io(path: path, message: "cannot read: \(error.localizedDescription)")
            }
            if block.isEmpty { break }
            bytes += block.count
            digest.update(block)
        }
        return File(sha256: digest.finalize(), bytes: bytes)
    }
}
