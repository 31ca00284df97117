import Foundation
import TestSupport
import Testing

/// A run that meets values its hierarchies lack names them all at once, in one message, without
/// showing any of them, and publishes nothing.
@Suite(.enabled(if: htdxExecutable != nil, "needs the built htdx (swift build)"))
struct UncoveredValuesTests {
    @Test func everyMissingValueOfEveryColumnIsCountedInOneMessage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("place.csv", "Alpha;North;*\nBravo;North;*\nCharlie;South;*\n")
        try scratch.write("band.csv", "young;*\nold;*\n")
        try scratch.write("policy.yaml", """
            version: 1
            attributes:
              place: {type: quasi-identifying, hierarchy: place.csv}
              band: {type: quasi-identifying, hierarchy: band.csv}
              note: insensitive
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        var rows = ["place,band,note"]
        for i in 0..<40 { rows.append(["Alpha", "Bravo", "Charlie"][i % 3] + "," + (i % 2 == 0 ? "young" : "old") + ",x") }
        rows.insert("Zulu,young,x", at: 5)      // line 6
        rows.append("Yankee,middle,x")
        rows.append("Zulu,old,x")
        try scratch.write("in.csv", rows.joined(separator: "\n") + "\n")
        let r = try HtdxProcess.run(["anonymize", "--policy", "policy.yaml", "--out", "out", "in.csv"], in: scratch.url.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("column place: 2 values in 3 records (first at in.csv:6) not in place.csv"), "\(r.stderr)")
        #expect(r.stderr.contains("column band: 1 value in 1 record (first at in.csv:43) not in band.csv"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was published"))
        for value in ["Zulu", "Yankee", "middle"] { #expect(!r.stderr.contains(value)) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }
}
