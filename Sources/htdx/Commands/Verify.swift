import ArgumentParser
import Export
import Foundation
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

            Exit codes: 0 the release checks out · 1 it does not (the message names the file and \
            the problem) · 2 usage.
            """)

    @Argument(help: "The published directory.")
    var directory: String

    @Flag(name: .long, help: "Print the findings as JSON on standard output.")
    var json = false

    func run() throws {
        // A symbolic link to a release is checked where it lands: its files are listed there.
        let resolved = PathText.resolved(directory) ?? directory
        switch Result(catching: { () throws(ExportError) in try ReleaseVerifier.verify(directory: resolved) }) {
        case .success(let f):
            if json {
                let summary: [String: Any] = ["status": "verified", "files": f.files, "records": f.records,
                                              "classes": f.classes, "smallestClass": f.smallestClass]
                FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]) + Data("\n".utf8))
            } else if isatty(STDOUT_FILENO) != 0 {
                print("verified \(directory): \(f.files) files, \(f.records) records in \(f.classes) classes, smallest \(f.smallestClass)")
            }
        case .failure(let failure):
            // Verify publishes nothing: its failures say what does not check out, not what was not published.
            let message: String
            switch failure {
            case .verification(let path, let problem): message = "\(path): does not verify: \(problem)"
            case .io(let path, let problem): message = "\(path): \(problem)"
            }
            if json {
                let summary: [String: Any] = ["status": "failed", "exitCode": 1, "error": message]
                FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]) + Data("\n".utf8))
            }
            FileHandle.standardError.write(Data("htdx: error: \(message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
