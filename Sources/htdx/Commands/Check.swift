import ArgumentParser
import Foundation
import Pipeline

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint a policy, a job or a partner profile without running it.",
        discussion: """
            Prints one `file:line:col: error|warning: message` per problem: unknown keys (with a \
            suggestion), missing files, hierarchies that are not functional or do not cover a \
            sample's values, published identifiers, rules on unknown fields or values, a \
            quasi-identifier without a hierarchy (warning), and k below the portal's 11 (warning). \
            A job's plain CSV inputs are checked as samples. Every mistake in a policy is listed, \
            except after a YAML syntax error or a missing attributes section, past which nothing \
            can be read. At most 20 findings are printed, then how many more there are.

            A partner profile (top-level partner, format and fields) is linted in one pass: unknown \
            keys, unknown canonical fields, bad types, formats and paths, and map targets or \
            constants that are not codes of their field (the valid codes listed). With --sample \
            EXPORT (CSV or XML, read in the profile's layout and encoding) it also reports header \
            columns or XML paths neither mapped nor ignored, mapped columns the export lacks, and per \
            field the values the map does not cover, dates that do not parse (naming the format to \
            set), codes outside their list, countries that are not ISO codes and non-integers, with \
            counts and first lines, at the profile's line. A job's profiled inputs are linted so, \
            each with its input as the sample.

            No finding quotes a sample's values or a header the policy does not list (the file may \
            have no header, and output is shared): they are named by line and column, and shown \
            only with --show-values. A file that is not a policy or job (no mapping at the top, or \
            mostly unknown keys) is one finding, without its content.

            Exit codes: 0 no errors (warnings allowed) · 2 errors.
            """)

    @Argument(help: "The policy, job or partner profile file (YAML).")
    var file: String

    @Option(name: .customLong("sample"), help: ArgumentHelp("A CSV file whose values a policy's hierarchies must cover, or an export (CSV or XML) a profile must read; repeatable.", valueName: "FILE"))
    var samples: [String] = []

    @Flag(name: .customLong("show-values"), help: """
        Show the sample values a hierarchy or a profile does not cover, and unknown column names, in the findings. \
        Without it a finding gives the line and column only, so that its output can be shared.
        """)
    var showValues = false

    @Flag(name: .customLong("allow-outside"), help: "Read hierarchy and crosswalk files the policy names outside its own folder.")
    var allowOutside = false

    /// The most findings printed; the rest are counted.
    static let shownFindings = 20

    func run() throws {
        let found = PolicyCheck.check(path: file, samples: samples, showValues: showValues, allowOutside: allowOutside)
        for d in found.prefix(Self.shownFindings) { print(d) }
        if found.count > Self.shownFindings { print("… and \(found.count - Self.shownFindings) more") }
        if found.contains(where: { $0.severity == .error }) { throw ExitCode(2) }
    }
}
