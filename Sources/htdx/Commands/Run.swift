import ArgumentParser
import Foundation
import Pipeline

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scheduled release from its job file.",
        discussion: """
            The job file names the inputs (a partner profile and path for each, or a plain CSV), \
            the policy, the aggregates, the output directory and the rejects file; paths are \
            relative to the job file. The release is written beside the output directory, \
            verified as `htdx verify` would, then swapped into place in one step: the directory \
            always holds the old release or the new one, complete. An existing output directory \
            is replaced only when it is empty or an htdx release that still verifies, and a \
            rejects file only when htdx wrote it; a job whose output or rejects file would replace \
            anything else (an input, the policy, a hierarchy, a profile, the job, a system \
            directory) exits 2 and touches nothing.

            Prints nothing but errors unless --json is given or standard output is a terminal.

            Exit codes: 0 published · 1 internal error · 2 usage or configuration · \
            3 unreadable input · 4 privacy constraints cannot be met.
            """)

    @Argument(help: "The job file (YAML).")
    var job: String

    @Option(name: .long, help: ArgumentHelp(
        "The release history, kept private (default: the job's `history`, else OUTPUT.history beside the output).",
        valueName: "DIR"))
    var history: String?

    @Flag(name: .customLong("allow-outside"), help: "Read hierarchy and crosswalk files the policy names outside its own folder.")
    var allowOutside = false

    @OptionGroup var keys: KeyOptions

    @Flag(name: .long, help: "Print the report as JSON on standard output.")
    var json = false

    func run() throws {
        let result = Result { () throws(RunError) in
            var run = try ReleaseJob.load(path: job).anonymizeRun()
            run.allowOutside = allowOutside
            if let history { run.historyPath = history }
            keys.apply(to: &run)
            run.progress = ProgressMeter.forTerminal()
            return try run.run()
        }
        try RunSummary.finish(result.mapError(\.explainingFullDisk), json: json)
    }
}
