import Export
import Foundation
import Pipeline

/// What `anonymize` and `run` print when they end: the report as JSON when asked (or a failure
/// summary, so that a scheduler reading stdout learns the exit code too), a two-line summary on a
/// terminal, and nothing otherwise.
enum RunSummary {
    static func finish(_ result: Result<AnonymizeRun.Outcome, RunError>, json: Bool) throws {
        if case .failure(let error) = result, json {
            let summary: [String: Any] = ["status": "failed", "exitCode": Int(error.exitCode), "error": error.description]
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        let outcome = try result.get()
        if json {
            FileHandle.standardOutput.write(try outcome.report.jsonData())
        } else if isatty(STDOUT_FILENO) != 0 {
            let r = outcome.report
            let levels = r.quasiIdentifiers.map { "\($0)=\(r.transformation[$0] ?? 0)" }.joined(separator: " ")
            print("""
                published \(r.records.published) of \(r.records.in) records to \(outcome.outputDirectory) \
                (\(r.records.excluded) excluded, \(r.records.suppressed) suppressed, \(r.records.rejected) rejected)
                k=\(r.k), \(r.equivalenceClasses.count) classes, smallest \(r.equivalenceClasses.smallest); \
                \(r.metric) \(String(format: "%.4f", r.informationLoss)); levels \(levels)
                """)
            for m in r.privacyModels ?? [] {
                print("\(m.model): worst class \(m.worst.map { String(format: "%.4g", $0) } ?? "none")")
            }
        }
    }
}
