import Foundation
import Testing

/// A small deterministic generator, so that a failing property test fails the same way every run.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Paths the tests share: the repository, its shipped examples, and `../shared` when present.
public enum Repo {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
    public static let adult = shared.appendingPathComponent("bench/adult")
    public static var hasAdult: Bool { FileManager.default.fileExists(atPath: adult.appendingPathComponent("adult.csv").path) }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
public struct Scratch {
    public let url: URL
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("htdx-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try FileManager.default.createDirectory(
            atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Parses a CSV file naively but independently of the reader under test: enough for the simple
/// files the tests write and for checking `anonymized.csv`.
public func readSimpleCSV(_ path: String, delimiter: Character) throws -> [[String]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var rows: [[String]] = []
    var field = ""
    var row: [String] = []
    var quoted = false
    var chars = Array(text)
    chars.append("\n")
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == delimiter {
            row.append(field); field = ""
        } else if c == "\n" || c == "\r\n" {
            if !(row.isEmpty && field.isEmpty && i == chars.count - 1) {
                row.append(field); rows.append(row)
            }
            row = []; field = ""
        } else {
            field.append(c)
        }
        i += 1
    }
    return rows
}

/// A job over the example cases and policy, its output and rejects in `scratch`; returns its path.
public func writeCaseJob(_ scratch: Scratch) throws -> String {
    try scratch.write("job.yaml", """
        version: 1
        policy: \(Repo.root.appendingPathComponent("Policies/example.yaml").path)
        inputs:
          - {csv: \(Repo.root.appendingPathComponent("Examples/cases.csv").path)}
        output: release
        rejects: release.rejects.csv

        """)
}

extension Tag {
    /// A suite that takes more than about ten seconds alone. Its name also ends in `SlowTests`,
    /// because `swift test` (Swift 6.3) filters by name, not by tag: the everyday run is
    /// `swift test --skip SlowTests`, and CI runs everything with `swift test`.
    @Tag public static var slow: Self
}
