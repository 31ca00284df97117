import Foundation
import TestSupport
import Testing

/// A plain CSV input read with the wrong delimiter is named as that, with the policy key to set.
@Suite(.enabled(if: htdxExecutable != nil, "needs the built htdx (swift build)"))
struct PolicyDelimiterHintTests {
    @Test func aSemicolonFileUnderACommaPolicyNamesTheDelimiterKey() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = try String(contentsOf: Repo.root.appendingPathComponent("Examples/cases.csv"), encoding: .utf8)
        let semi = try scratch.write("semi.csv", text.replacingOccurrences(of: ",", with: ";"))
        let policy = Repo.root.appendingPathComponent("Policies/example.yaml").path
        let r = try HtdxProcess.run(["anonymize", "--policy", policy, "--out", "out", semi], in: scratch.url.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("set `input: {delimiter: \";\"}` in the policy"), "\(r.stderr)")
        let header = text.prefix { $0 != "\n" }
        #expect(!r.stderr.contains(String(header.split(separator: ",")[1])))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }
}
