import ArgumentParser
import Foundation
import Pipeline

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say what a job does to one input record.",
        discussion: """
            Finds the record by its partner reference (--record), or by its file and line \
            (--line, for inputs without references), runs the job without publishing, and says \
            what happened to it: its published labels and class size, or why it was suppressed \
            (the size of its class under the chosen transformation), excluded (which filter) or \
            rejected (which field and reason). It never prints the record's own values.

            Exit codes: 0 found · 2 usage, configuration, or no such record · others as `htdx run`.
            """)

    @Argument(help: "The job file (YAML).")
    var job: String

    @Option(name: .long, help: ArgumentHelp("The partner's reference of the record.", valueName: "REF"))
    var record: String?

    @Option(name: .long, help: ArgumentHelp("The record's input file and line, as the rejects file gives them.", valueName: "FILE:LINE"))
    var line: String?

    @Option(name: .long, help: ArgumentHelp("Only this partner's records (a profile's name, or csv:FILE).", valueName: "NAME"))
    var partner: String?

    func validate() throws {
        guard (record == nil) != (line == nil) else {
            throw ValidationError("give --record REF or --line FILE:LINE")
        }
        if let record, record.isEmpty {
            throw ValidationError("--record needs a reference")
        }
        if let line, Self.fileAndLine(line) == nil {
            throw ValidationError("--line \(line): give FILE:LINE, such as partners/casemgmt.csv:42")
        }
    }

    /// `FILE:LINE` with a file and a line number of at least 1.
    static func fileAndLine(_ text: String) -> (file: String, line: Int)? {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let line = Int(text[text.index(after: colon)...]), line >= 1 else { return nil }
        return (String(text[..<colon]), line)
    }

    @Flag(name: .customLong("allow-outside"), help: "Read hierarchy and crosswalk files the policy names outside its own folder.")
    var allowOutside = false

    @OptionGroup var keys: KeyOptions

    func run() throws {
        var selector = RecordSelector(reference: record, partner: partner)
        if let line, let (file, number) = Self.fileAndLine(line) {
            selector.file = file
            selector.line = number
        }
        PreviewDirectory.removeOnSignal()
        let outcome = try Result { () throws(RunError) in
            var run = try ReleaseJob.load(path: job).anonymizeRun()
            run.sink = .explain(selector)
            run.allowOutside = allowOutside
            keys.apply(to: &run)
            return try run.run()
        }.mapError(\.explainingFullDisk).get()
        let asked = record.map { "reference \($0)" } ?? "line \(line ?? "")"
        guard !outcome.fates.isEmpty else {
            throw RunError.configuration("no input record of \(job) has \(asked)\(partner.map { " from partner \($0)" } ?? ""); give the reference as the partner's export has it, or --line FILE:LINE as the rejects file gives it")
        }
        // A line holds one record in a CSV file, but an XML export can hold many on one line.
        if line != nil && outcome.fates.count > 1 {
            throw RunError.configuration("\(asked) holds \(outcome.fates.count) records; explain one of them by --record REF")
        }
        let k = outcome.report.k
        for fate in outcome.fates {
            print(fate.explanation(k: k, cellSuppression: outcome.report.cellSuppression != nil))
        }
    }
}
