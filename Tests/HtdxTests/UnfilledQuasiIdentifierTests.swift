import Foundation
import TestSupport
import Testing

/// A quasi-identifier of the policy that no input fills is not published; the report and the
/// manifest must agree on that, or the release fails its own verification.
@Suite(.enabled(if: htdxExecutable != nil, "needs the built htdx (swift build)"))
struct UnfilledQuasiIdentifierTests {
    @Test func aReleaseWithoutOneQuasiIdentifierPublishesAndVerifies() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let shipped = try ProfileFixtures.shippedText("casemgmt")
        let lines = shipped.split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = lines.filter { !$0.contains("ext_AgeAtIdentification") }
        try #require(trimmed.count == lines.count - 1)
        let profile = try scratch.write("casemgmt.yaml", trimmed.joined(separator: "\n"))
        let run = try HtdxProcess.run(["anonymize", "--policy", ProfileFixtures.partnersPolicy, "--out", "out",
                                       "--input", "\(profile)=\(ProfileFixtures.sample("casemgmt.csv"))"], in: scratch.url.path)
        #expect(run.status == 0, "\(run.stderr)")
        let verify = try HtdxProcess.run(["verify", "out"], in: scratch.url.path)
        #expect(verify.status == 0, "\(verify.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("out/report.json")))) as? [String: Any]
        let names = try #require(report?["quasiIdentifiers"] as? [String])
        #expect(!names.contains("ext_AgeAtIdentification"))
        #expect(names.contains("prs_Citizenship"))
    }
}
