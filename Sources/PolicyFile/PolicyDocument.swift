import Anonymize
import Foundation
import Ingest
import Yams

/// A policy file, loaded: the policy itself, how to read the input, and what it was made from.
public struct PolicyDocument: Sendable {
    public var path: String
    public var policy: Policy
    /// The input CSV's field delimiter.
    public var delimiter: UInt8
    /// The policy file's exact bytes, for hashing into the report.
    public var bytes: [UInt8]
    /// Hierarchy files the policy names, relative to the policy, with their bytes.
    public var hierarchyFiles: [(path: String, bytes: [UInt8])]
    /// Crosswalk files the derived columns were built from, with their bytes.
    public var crosswalkFiles: [(path: String, bytes: [UInt8])] = []
    /// How the published file is laid out (`release`).
    public var layout = ReleaseLayout()

    /// Reads and checks a policy file and every hierarchy file it names. Hierarchy and crosswalk
    /// files must lie in the policy's folder (symbolic links resolved) unless `allowOutside`.
    public static func load(path: String, allowOutside: Bool = false) throws(PolicyError) -> PolicyDocument {
        let (node, data) = try YAMLFile.compose(path: path, what: "policy")
        var parser = PolicyParser(path: path, allowOutside: allowOutside)
        let parsed = try parser.parse(node)
        var document = PolicyDocument(
            path: path, policy: parsed.policy, delimiter: parsed.delimiter, bytes: [UInt8](data),
            hierarchyFiles: parsed.hierarchyFiles)
        document.crosswalkFiles = parsed.crosswalkFiles
        document.layout = parsed.layout
        return document
    }
}
