import ArgumentParser
import Export
import Foundation
import Pipeline

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a job without publishing, and show what its policy does to the data.",
        discussion: """
            Runs everything `htdx run` would (both passes, the search, cell suppression, the \
            aggregates and the release check) in a private temporary directory, then removes it: \
            the output directory and the rejects file are not touched. Prints the records in, \
            rejected, excluded, suppressed and published; the chosen transformation; the class \
            sizes; the risk before and after; and the values lost. Writes the same as one \
            self-contained page, with charts, to preview.html (no script, nothing fetched).

            Neither the summary nor the page shows a record's values: raw values are listed only \
            when at least k records hold them.

            Exit codes: as `htdx run`: 0 it would publish · 1 internal error · 2 usage or \
            configuration · 3 unreadable input · 4 privacy constraints cannot be met.
            """)

    @Argument(help: "The job file (YAML).")
    var job: String

    @Option(name: .long, help: ArgumentHelp("Where to write the page.", valueName: "FILE"))
    var html = "preview.html"

    @Flag(name: .customLong("allow-outside"), help: "Read hierarchy and crosswalk files the policy names outside its own folder.")
    var allowOutside = false

    @OptionGroup var keys: KeyOptions

    @Flag(name: .long, help: "Write no page.")
    var noHTML = false

    @Flag(name: .long, help: "Print the report as JSON instead of the summary.")
    var json = false

    func run() throws {
        PreviewDirectory.removeOnSignal()
        let result = Result { () throws(RunError) in
            let release = try ReleaseJob.load(path: job)
            // The page is the data officer's, not the public's: never inside the release.
            if !noHTML, PublishTargets.lies(html, inside: release.document.output) {
                throw RunError.configuration("--html \(html) is inside the job's output directory \(release.document.output), "
                    + "or goes through a symbolic link to nowhere; write the page elsewhere")
            }
            // Found before the run, not after it has taken its time.
            let folder = PathText.parent(html)
            var isDirectory: ObjCBool = false
            if !noHTML, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue
                          && FileManager.default.isWritableFile(atPath: folder)) {
                throw RunError.configuration("--html \(html): \(folder) is not a directory this user can write in; "
                    + "create it, or give another path")
            }
            var run = try release.anonymizeRun()
            run.sink = .preview
            run.allowOutside = allowOutside
            keys.apply(to: &run)
            run.progress = ProgressMeter.forTerminal()
            return try run.run()
        }
        guard case .success(let outcome) = result else { return try RunSummary.finish(result.mapError(\.explainingFullDisk), json: json) }
        if json {
            FileHandle.standardOutput.write(try outcome.report.jsonData())
        } else {
            print("htdx preview of \(job): nothing was published\n")
            print(PreviewSummary.text(outcome.report, attributes: outcome.attributes), terminator: "")
        }
        guard !noHTML else { return }
        let page = PreviewPage(report: outcome.report, attributes: outcome.attributes, source: job,
                               policyFile: outcome.policyFile, policyText: outcome.policyText)
        do {
            try Data(page.html().utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        } catch {
            throw RunError.configuration("cannot write the page to \(html): \(WriteFailure.reason(error))")
        }
        if !json { print("\nwrote \(html)") }
    }
}
