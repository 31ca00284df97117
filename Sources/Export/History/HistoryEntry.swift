import Anonymize
import Foundation

/// One published release as the history keeps it: what a later release needs to be compared with
/// it, and nothing more. Labels at or above the published level and counts only: never a record,
/// a raw value below the published level, or a key.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public static let format = "htdx-history-entry/1"

    public struct Level: Codable, Sendable, Equatable {
        public var name: String
        public var level: Int
        public init(name: String, level: Int) {
            self.name = name
            self.level = level
        }
    }

    /// ``ReleaseClasses/Ladder`` with its quasi-identifier's name.
    public struct Ladder: Codable, Sendable, Equatable {
        public var name: String
        public var level: Int
        public var top: Int
        public var digest: String
        public var ancestors: [String: [String]]
    }

    public struct Class: Codable, Sendable, Equatable {
        public var labels: [String]
        public var count: Int
    }

    /// One published aggregate cell; `count` is nil where the cell was suppressed.
    public struct Cell: Codable, Sendable, Equatable {
        public var key: String
        public var count: Int?
    }

    public struct Aggregate: Codable, Sendable, Equatable {
        public var file: String
        public var cells: [Cell]
    }

    /// What the differencing guard kept out of this release, to be published later.
    public struct HeldBack: Codable, Sendable, Equatable {
        public var records: Int
        public var classes: Int
        public init(records: Int, classes: Int) {
            self.records = records
            self.classes = classes
        }
    }

    public var format = HistoryEntry.format
    /// 1 for the first release of the history, then one more per release.
    public var sequence: Int
    /// When it was published, ISO 8601 in UTC.
    public var date: String
    public var policySHA256: String
    public var jobSHA256: String?
    /// The SHA-256 of the release's manifest.json: which release this entry describes.
    public var manifestSHA256: String
    public var k: Int
    /// Every quasi-identifier's level, published or not.
    public var transformation: [Level]
    /// The published quasi-identifiers, in the order of each class's labels.
    public var ladders: [Ladder]
    /// Sorted by labels, so that one release always gives the same bytes.
    public var classes: [Class]
    public var aggregates: [Aggregate]
    public var heldBack: HeldBack

    public init(sequence: Int, date: String, policySHA256: String, jobSHA256: String?, manifestSHA256: String, k: Int,
                transformation: [Level], classes: ReleaseClasses, aggregates: [String: [String: Int?]], heldBack: HeldBack) {
        self.sequence = sequence
        self.date = date
        self.policySHA256 = policySHA256
        self.jobSHA256 = jobSHA256
        self.manifestSHA256 = manifestSHA256
        self.k = k
        self.transformation = transformation
        ladders = zip(classes.names, classes.ladders).map {
            Ladder(name: $0, level: $1.level, top: $1.top, digest: $1.digest, ancestors: $1.ancestors)
        }
        self.classes = classes.counts.map { Class(labels: $0.key, count: $0.value) }
            .sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
        self.aggregates = aggregates.keys.sorted().map { file in
            Aggregate(file: file, cells: aggregates[file]!.map { Cell(key: $0.key, count: $0.value) }.sorted { $0.key < $1.key })
        }
        self.heldBack = heldBack
    }

    /// The classes as the differencing guard reads them.
    public var releaseClasses: ReleaseClasses {
        var counts: [[String]: Int] = [:]
        for c in classes { counts[c.labels, default: 0] += c.count }
        return ReleaseClasses(names: ladders.map(\.name),
                              ladders: ladders.map { .init(level: $0.level, top: $0.top, digest: $0.digest, ancestors: $0.ancestors) },
                              counts: counts)
    }

    /// The aggregate cells as published: file → cell key → count (nil where suppressed).
    public var aggregateCells: [String: [String: Int?]] {
        var cells: [String: [String: Int?]] = [:]
        for a in aggregates {
            var file: [String: Int?] = [:]
            for c in a.cells { file[c.key] = .some(c.count) }
            cells[a.file] = file
        }
        return cells
    }

    /// "release 2 of 2026-12-06T04:30:00Z", as messages name an earlier release.
    public var name: String { "release \(sequence) of \(date)" }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(10)
        return data
    }

    public static func decode(_ data: Data) throws -> HistoryEntry {
        try JSONDecoder().decode(HistoryEntry.self, from: data)
    }

    /// Now, as entries give their date.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
