import Foundation
import Ingest
import Recode
import Tabular
import Yams

/// A partner profile file, loaded and checked: every key known, every canonical field real, every
/// map target and constant a value its field accepts.
public struct ProfileDocument: Sendable {
    public var path: String
    public var profile: PartnerProfile
    public var bytes: [UInt8]
    /// Where the profile's settings are, for findings that point at the line to change.
    public var places = ProfilePlaces()

    /// The most further mistakes a refusing run names after the first; `htdx check` lists all.
    static let namedInRun = 8

    /// Reads a profile and checks it against the HTCDS v2 catalogue and htdx's extension fields.
    /// Throws its first mistake, with every other one in `more`; its description names the others
    /// too (up to ``namedInRun``), so that a run refused for a profile shows them all at once.
    public static func load(path: String) throws(PolicyError) -> ProfileDocument {
        let inspected = try inspect(path: path)
        if var first = inspected.problems.first {
            let rest = Array(inspected.problems.dropFirst())
            if !rest.isEmpty {
                first.message += "\n  and \(rest.count) more mistake\(rest.count == 1 ? "" : "s") in the profile:"
                for e in rest.prefix(namedInRun) { first.message += "\n  \(e.description)" }
                if rest.count > namedInRun {
                    first.message += "\n  … and \(rest.count - namedInRun) more; htdx check \(SafeText.path(path)) lists them all"
                }
            }
            first.more = rest
            throw first
        }
        guard let document = inspected.document else {
            throw PolicyError(file: path, line: 0, key: "", message: "the profile cannot be read")
        }
        return document
    }

    /// Reads a profile as far as it can be read, for `htdx check`: the profile without the parts
    /// that are wrong (nil when too little of it can be read), and every mistake, in file order.
    /// Throws only when the file cannot be read as YAML at all.
    public static func inspect(path: String) throws(PolicyError) -> (document: ProfileDocument?, problems: [PolicyError]) {
        let (node, data) = try YAMLFile.compose(path: path, what: "profile")
        var parser = ProfileParser(path: path)
        let profile = parser.parseLeniently(node)
        let problems = parser.found.enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
        let document = profile.map { ProfileDocument(path: path, profile: $0, bytes: [UInt8](data), places: parser.places) }
        return (document, problems)
    }
}

/// A line and column of a profile file (1-based; 0 when unknown).
public struct ProfilePlace: Sendable, Equatable {
    public var line: Int
    public var column: Int

    public init(line: Int = 0, column: Int = 0) {
        self.line = line
        self.column = column
    }
}

/// Where the settings of a profile are.
public struct ProfilePlaces: Sendable {
    /// Each canonical field's name under `fields`.
    public var fields: [String: ProfilePlace] = [:]
    /// Each date field's `format`, when it has one.
    public var formats: [String: ProfilePlace] = [:]
    /// Per field, the map keys left out of its map because their target is not a value the field
    /// accepts: already reported, so a sample's values that are those keys are not reported again.
    public var unusableMapKeys: [String: Set<String>] = [:]
    public var csv: ProfilePlace?
    public var ignore: ProfilePlace?
    public var format = ProfilePlace()

    public init() {}
}
