import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// ARX's optima on the Adult benchmark (`../shared/bench/adult`), all nine columns
/// quasi-identifying, metric Loss. Skipped when `../shared` is not beside the repository.
@Suite(.enabled(if: Repo.hasAdult, "../shared/bench/adult is not present"), .tags(.slow))
struct AdultBenchmarkSlowTests {
    static let columns = ["sex", "age", "race", "marital-status", "education", "native-country",
                          "workclass", "occupation", "salary-class"]

    static func policy(k: Int, limit: String) -> String {
        var text = "version: 1\ninput: {delimiter: \";\"}\nattributes:\n"
        for c in columns {
            text += "  \(c): {type: quasi-identifying, hierarchy: \(Repo.adult.appendingPathComponent("adult_hierarchy_\(c).csv").path)}\n"
        }
        return text + "privacy: {k: \(k), suppressionLimit: \(limit)}\nmetric: loss\n"
    }

    func run(k: Int, limit: String) throws -> Report {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let policy = try scratch.write("adult.yaml", Self.policy(k: k, limit: limit))
        var run = AnonymizeRun(
            policyPath: policy, inputPath: Repo.adult.appendingPathComponent("adult.csv").path,
            outputDirectory: scratch.path("out"))
        // The benchmark's hierarchies stay in ../shared, outside the scratch policy's folder.
        run.allowOutside = true
        let outcome = try run.run()
        let published = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ";")
        #expect(published.count - 1 == outcome.report.records.published)
        return outcome.report
    }

    func levels(_ report: Report) -> [Int] { Self.columns.map { report.transformation[$0] ?? -1 } }

    @Test func k5WithFourPercentSuppression() throws {
        let report = try run(k: 5, limit: "0.04")
        #expect(levels(report) == [0, 3, 0, 1, 1, 1, 1, 2, 0])
        #expect(report.records.suppressed == 1178)
        #expect(report.records.in == 30162)
        #expect(abs(report.informationLoss - 0.266) < 0.0005)
    }

    @Test func k10WithFourPercentSuppression() throws {
        let report = try run(k: 10, limit: "0.04")
        #expect(levels(report) == [0, 4, 0, 1, 2, 1, 0, 2, 0])
        #expect(report.records.suppressed == 1163)
    }

    @Test func k5WithoutSuppression() throws {
        let report = try run(k: 5, limit: "0")
        #expect(levels(report) == [0, 4, 1, 1, 3, 2, 2, 1, 0])
        #expect(report.records.suppressed == 0)
    }
}
