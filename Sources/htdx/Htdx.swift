import ArgumentParser
import Foundation
import Export
import Pipeline

@main
struct Htdx: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "htdx",
        abstract: "Anonymise human-trafficking case records for open publication.",
        discussion: """
            htdx fails closed: an unlisted column, a value missing from a hierarchy, or a k that cannot be \
            met stops the run and publishes nothing.

            Exit codes: 0 success · 1 internal error · 2 usage or configuration error · \
            3 input data error · 4 privacy constraints cannot be met.
            """,
        version: HtdxVersion.current,
        subcommands: [Anonymize.self, Run.self, Verify.self, Check.self, Preview.self, Explain.self, Profile.self, Codes.self])

    /// Runs the command line with htdx's exit codes: argument-parser's usage errors become 2, and a
    /// failed run prints its one-paragraph message, never a stack trace.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as RunError {
            FileHandle.standardError.write(Data("htdx: error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            if error is ExitCode { Foundation.exit(code.rawValue) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
