import Foundation
import Ingest
import Tabular
import Yams

/// A scheduled release's job file: which partners' exports to read, under which policy, what
/// aggregates to publish, and where the release and the rejects go. `htdx run JOB.yaml` reads it.
///
/// Paths are relative to the job file's directory, so a job and its data can move together.
///
/// ```yaml
/// version: 1
/// policy: ../Policies/partners.yaml
/// inputs:
///   - {profile: casemgmt, path: partners/casemgmt.csv}   # a profile name in partners/ beside the policy, or a file
///   - {profile: hotline, path: partners/hotline.xml}
///   - {csv: cases.csv}                                  # a plain CSV named by its header
/// output: ../out/release
/// rejects: ../out/release.rejects.csv                   # optional; default OUTPUT.rejects.csv
/// history: ../out/release.history                       # optional; default OUTPUT.history (private, never published)
/// aggregates:
///   combinations: {attributes: [prs_Gender, ext_DataSource], length: 3, resolution: 10}
///   tables:
///     - {name: year-by-type, dimensions: [ext_IdentificationYear, vic_TypeOfExploitation], threshold: 11}
/// ```
public struct JobDocument: Sendable {
    public struct Input: Sendable, Equatable {
        /// A profile name or file, or nil for a plain CSV.
        public var profile: String?
        public var path: String
    }

    public struct Combinations: Sendable, Equatable {
        public var attributes: [String]
        public var length: Int
        public var resolution: Int

        public init(attributes: [String], length: Int = 3, resolution: Int = 10) {
            self.attributes = attributes
            self.length = length
            self.resolution = resolution
        }
    }

    public struct Table: Sendable, Equatable {
        public var name: String
        public var dimensions: [String]
        /// Cells below this are suppressed; the policy's k when nil.
        public var threshold: Int?

        public init(name: String, dimensions: [String], threshold: Int? = nil) {
            self.name = name
            self.dimensions = dimensions
            self.threshold = threshold
        }
    }

    public var path: String
    public var bytes: [UInt8]
    public var policy: String
    public var inputs: [Input]
    public var output: String
    public var rejects: String?
    /// The release history, private, beside the output; nil for the default, OUTPUT.history.
    public var history: String?
    /// The largest share of the records read that may be rejected; overrides the policy's.
    public var maxRejectedShare: Double?
    public var combinations: Combinations?
    public var tables: [Table]
    /// Where the pseudonym key is read from (`pseudonymKey`); the key itself is never in the job.
    public var pseudonymKey: PseudonymKeySource? = nil

    public static func load(path: String) throws(PolicyError) -> JobDocument {
        let (node, data) = try YAMLFile.compose(path: path, what: "job")
        return try JobParser(path: path).parse(node, bytes: [UInt8](data))
    }
}

struct JobParser: YAMLNodeReading {
    let path: String

    func parse(_ root: Node, bytes: [UInt8]) throws(PolicyError) -> JobDocument {
        let allowed = ["version", "policy", "inputs", "output", "rejects", "aggregates", "maxRejectedShare", "pseudonymKey", "history"]
        try YAMLFile.expectKind(root, path: path, what: "job", known: allowed)
        let top = try mapping(root, key: "", allowed: allowed)
        guard let versionNode = top["version"] else { throw error(root, key: "version", "is missing; start the job with `version: 1`") }
        guard try integer(versionNode, key: "version") == 1 else {
            throw error(versionNode, key: "version", "must be 1, the only job version this htdx reads")
        }
        let directory = folder(of: path)
        func resolved(_ node: Node, key: String) throws(PolicyError) -> String {
            let text = try string(node, key: key)
            guard !text.isEmpty else { throw error(node, key: key, "must be a path") }
            return text.hasPrefix("/") ? text : ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(text)
        }
        let policy = try resolved(try required(top, "policy", in: root, key: ""), key: "policy")
        let output = try resolved(try required(top, "output", in: root, key: ""), key: "output")
        let rejects = try top["rejects"].map { (n) throws(PolicyError) in try resolved(n, key: "rejects") }
        let history = try top["history"].map { (n) throws(PolicyError) in try resolved(n, key: "history") }
        let maxRejectedShare = try top["maxRejectedShare"].map { (n) throws(PolicyError) -> Double in
            let share = try number(n, key: "maxRejectedShare")
            guard (0...1).contains(share) else {
                throw error(n, key: "maxRejectedShare", "is \(share), but must be a share in [0, 1], such as 0.05 for 5 %")
            }
            return share
        }

        let inputsNode = try required(top, "inputs", in: root, key: "")
        guard case .sequence(let items) = inputsNode, !items.isEmpty else {
            throw error(inputsNode, key: "inputs", "must be a list of inputs, such as - {profile: casemgmt, path: exports/cases.csv}")
        }
        var inputs: [JobDocument.Input] = []
        for (i, item) in items.enumerated() {
            let key = "inputs[\(i)]"
            let fields = try mapping(item, key: key, allowed: ["profile", "path", "csv"])
            switch (fields["profile"], fields["path"], fields["csv"]) {
            case (let profile?, let p?, nil):
                inputs.append(.init(profile: try string(profile, key: key + ".profile"), path: try resolved(p, key: key + ".path")))
            case (nil, nil, let csv?):
                inputs.append(.init(profile: nil, path: try resolved(csv, key: key + ".csv")))
            default:
                throw error(item, key: key, "give either {profile: NAME, path: FILE} for a partner export or {csv: FILE} for a plain CSV")
            }
        }

        var combinations: JobDocument.Combinations?
        var tables: [JobDocument.Table] = []
        if let aggregates = top["aggregates"] {
            let a = try mapping(aggregates, key: "aggregates", allowed: ["combinations", "tables"])
            if let c = a["combinations"] {
                let f = try mapping(c, key: "aggregates.combinations", allowed: ["attributes", "length", "resolution"])
                let attributes = try names(try required(f, "attributes", in: c, key: "aggregates.combinations"),
                                           key: "aggregates.combinations.attributes")
                let length = try f["length"].map { (n) throws(PolicyError) in try integer(n, key: "aggregates.combinations.length") } ?? 3
                let resolution = try f["resolution"].map { (n) throws(PolicyError) in try integer(n, key: "aggregates.combinations.resolution") } ?? 10
                guard (1...attributes.count).contains(length) else {
                    throw error(f["length"] ?? c, key: "aggregates.combinations.length", "must be between 1 and the number of attributes (\(attributes.count))")
                }
                guard resolution >= 1 else {
                    throw error(f["resolution"] ?? c, key: "aggregates.combinations.resolution", "must be a whole number of at least 1")
                }
                combinations = .init(attributes: attributes, length: length, resolution: resolution)
            }
            if let t = a["tables"] {
                guard case .sequence(let list) = t else { throw error(t, key: "aggregates.tables", "must be a list of tables") }
                for (i, item) in list.enumerated() {
                    let key = "aggregates.tables[\(i)]"
                    let f = try mapping(item, key: key, allowed: ["name", "dimensions", "threshold"])
                    let name = try string(try required(f, "name", in: item, key: key), key: key + ".name")
                    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.first != "-" else {
                        throw error(f["name"]!, key: key + ".name", "must be letters, digits, - and _: it names the file aggregates/NAME.csv")
                    }
                    guard !tables.contains(where: { $0.name == name }), name != "combinations" else {
                        throw error(f["name"]!, key: key + ".name", "is used twice; each table needs its own file name")
                    }
                    let dimensions = try names(try required(f, "dimensions", in: item, key: key), key: key + ".dimensions")
                    guard (1...3).contains(dimensions.count) else {
                        throw error(f["dimensions"]!, key: key + ".dimensions", "must list one, two or three attributes")
                    }
                    let threshold = try f["threshold"].map { (n) throws(PolicyError) in try integer(n, key: key + ".threshold") }
                    if let threshold, threshold < 1 {
                        throw error(f["threshold"]!, key: key + ".threshold", "must be a whole number of at least 1")
                    }
                    tables.append(.init(name: name, dimensions: dimensions, threshold: threshold))
                }
            }
        }
        var job = JobDocument(path: path, bytes: bytes, policy: policy, inputs: inputs, output: output, rejects: rejects,
                              maxRejectedShare: maxRejectedShare, combinations: combinations, tables: tables)
        job.history = history
        if let node = top["pseudonymKey"] {
            let f = try mapping(node, key: "pseudonymKey", allowed: ["file", "environment"])
            switch (f["file"], f["environment"]) {
            case (let file?, nil): job.pseudonymKey = .file(try resolved(file, key: "pseudonymKey.file"))
            case (nil, let name?):
                let variable = try string(name, key: "pseudonymKey.environment")
                guard !variable.isEmpty else { throw error(name, key: "pseudonymKey.environment", "must name an environment variable") }
                job.pseudonymKey = .environment(variable)
            default:
                throw error(node, key: "pseudonymKey", "give either {file: PATH} (a file only its owner can read) or {environment: NAME}")
            }
        }
        return job
    }

    private func names(_ node: Node, key: String) throws(PolicyError) -> [String] {
        guard case .sequence(let items) = node, !items.isEmpty else { throw error(node, key: key, "must be a list of field names") }
        var result: [String] = []
        for item in items {
            let name = try string(item, key: key)
            guard !result.contains(name) else { throw error(item, key: key, "names \(SafeText.name(name)) twice") }
            result.append(name)
        }
        return result
    }
}
