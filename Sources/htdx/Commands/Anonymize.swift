import ArgumentParser
import Export
import Foundation
import Pipeline

struct Anonymize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Anonymise case records into a verified, publishable directory.",
        discussion: """
            The inputs are a plain CSV file whose header names the columns, or partner exports \
            read through their profiles (--input casemgmt=exports/2024.csv, repeated for several \
            partners), merged into one run. They are read twice: once to count quasi-identifier \
            combinations, once to write. Between the passes htdx finds the optimal generalisation \
            that meets the policy's k within its suppression limit. The drop is written beside \
            DIR, checked, then moved into place: DIR holds anonymized.csv and report.json. \
            Rejected records are listed in the rejects file, by partner, file, line, reference, \
            field and reason, with no other value; the rejects file is never inside DIR.

            htdx replaces only what it wrote: DIR must be absent, empty, or an htdx release that \
            still verifies, and the rejects file absent, empty, or an htdx rejects file. Neither \
            may be an input, the policy, a hierarchy, a crosswalk or a profile, nor hold one, \
            however the path is spelt, nor a system directory. An input may be a pipe or - for \
            standard input: it is copied once to a private temporary file, then read twice.

            Exit codes: 0 published · 1 internal error · 2 usage or configuration · \
            3 unreadable input · 4 privacy constraints cannot be met.
            """)

    @Option(name: .long, help: "The policy file (YAML).")
    var policy: String

    @Option(name: .long, help: "The directory to publish into: new, empty, or an htdx release, replaced whole; anything else is refused.")
    var out: String

    @Option(name: .long, help: "Where to list rejected records (default: DIR.rejects.csv beside DIR).")
    var rejects: String?

    @Option(name: .long, help: ArgumentHelp(
        "The release history, kept private: what each release published, so that the next is not differenced against it (default: DIR.history beside DIR).",
        valueName: "DIR"))
    var history: String?

    @Flag(name: .customLong("allow-outside"), help: "Read hierarchy and crosswalk files the policy names outside its own folder.")
    var allowOutside = false

    @OptionGroup var keys: KeyOptions

    @Flag(name: .long, help: "Print the report as JSON on standard output.")
    var json = false

    @Option(name: .customLong("input"), help: ArgumentHelp(
        "A partner export read through its profile, as PROFILE=PATH; repeat for several partners.",
        valueName: "PROFILE=PATH"))
    var inputs: [String] = []

    @Argument(help: "A plain CSV file whose header names the columns; - reads standard input.")
    var input: String?

    func validate() throws {
        guard input != nil || !inputs.isEmpty else {
            throw ValidationError("give an input: a CSV file, or --input PROFILE=PATH")
        }
    }

    func run() throws {
        let result = Result { () throws(RunError) in
            let sources = try (input.map { [RunInput.csv($0)] } ?? []) + inputs.map { (argument) throws(RunError) in
                try RunInput.parse(argument, policyPath: policy)
            }
            var run = AnonymizeRun(policyPath: policy, inputs: sources, outputDirectory: out, rejectsPath: rejects)
            run.allowOutside = allowOutside
            run.historyPath = history
            keys.apply(to: &run)
            run.progress = ProgressMeter.forTerminal()
            return try run.run()
        }
        try RunSummary.finish(result.mapError(\.explainingFullDisk), json: json)
    }
}
