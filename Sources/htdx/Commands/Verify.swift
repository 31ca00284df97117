import ArgumentParser
import Export
import Foundation
import Pipeline
import Tabular

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check a published release from its files alone.",
        discussion: """
            Reads DIR/manifest.json and checks: every file listed with its SHA-256 and no other \
            file present; every equivalence class of anonymized.csv over the quasi-identifiers \
            the manifest names has at least k records (an empty cell is a value of its own); \
            the accounting balances and report.json agrees; each aggregate file obeys its \
            rounding or suppression rule. `htdx run` runs the same check before it publishes.

            With --history DIR, the differencing check too: the release's classes and aggregate \
            cells, read from its files, are compared with every earlier release the history \
            holds, and no class or cell may differ from one by 1 to k − 1 records. An entry a \
            kill left pending is completed first when it describes this release, removed otherwise.

            Exit codes: 0 the release checks out · 1 it does not (the message names the file and \
            the problem) · 2 usage.
            """)

    @Argument(help: "The published directory.")
    var directory: String

    @Flag(name: .long, help: "Print the findings as JSON on standard output.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Also check the release against the earlier releases of this history.", valueName: "DIR"))
    var history: String?

    func run() throws {
        // A symbolic link to a release is checked where it lands: its files are listed there.
        let resolved = PathText.resolved(directory) ?? directory
        switch Result(catching: { () throws(ExportError) in try ReleaseVerifier.verify(directory: resolved) }) {
        case .success(let f):
            let compared = try history.map { try verifyHistory($0, release: resolved) }
            if json {
                var summary: [String: Any] = ["status": "verified", "files": f.files, "records": f.records,
                                              "classes": f.classes, "smallestClass": f.smallestClass]
                if let compared { summary["releasesCompared"] = compared }
                FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]) + Data("\n".utf8))
            } else if isatty(STDOUT_FILENO) != 0 {
                print("verified \(directory): \(f.files) files, \(f.records) records in \(f.classes) classes, smallest \(f.smallestClass)"
                    + (compared.map { ", no difference of 1 to k − 1 from \($0) earlier release\($0 == 1 ? "" : "s")" } ?? ""))
            }
        case .failure(let failure):
            // Verify publishes nothing: its failures say what does not check out, not what was not published.
            let message: String
            switch failure {
            case .verification(let path, let problem): message = "\(path): does not verify: \(problem)"
            case .io(let path, let problem): message = "\(path): \(problem)"
            }
            try fail(message)
        }
    }

    private func fail(_ message: String) throws -> Never {
        if json {
            let summary: [String: Any] = ["status": "failed", "exitCode": 1, "error": message]
            FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]) + Data("\n".utf8))
        }
        FileHandle.standardError.write(Data("htdx: error: \(message)\n".utf8))
        throw ExitCode(1)
    }

    /// The differencing check; returns the number of earlier releases compared, or fails.
    private func verifyHistory(_ history: String, release: String) throws -> Int {
        let findings: HistoryVerifier.Findings
        do {
            findings = try HistoryVerifier.verify(release: release, history: PathText.resolved(history) ?? history)
        } catch {
            try fail(error.description)
        }
        guard findings.problems.isEmpty else {
            let shown = findings.problems.prefix(10).joined(separator: "\n  ")
            let more = findings.problems.count > 10 ? "\n  … and \(findings.problems.count - 10) more" : ""
            try fail("\(directory) does not verify against the history \(history): \(findings.problems.count) problem"
                + (findings.problems.count == 1 ? "" : "s") + ":\n  " + shown + more)
        }
        return findings.releasesCompared
    }
}
