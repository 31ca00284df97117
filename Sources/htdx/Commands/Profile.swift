import ArgumentParser
import Foundation
import ProfileDraft

/// `htdx profile draft`: a first profile for a partner export nobody has described yet.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with partner profiles.",
        subcommands: [ProfileDraftCommand.self])
}

struct ProfileDraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "draft", abstract: "Draft a partner profile from an export.")

    @Argument(help: "The partner's export: a CSV file, an XML file, or a directory of XML submissions.")
    var export: String

    func run() throws {
        throw ValidationError("profile draft is not yet built")
    }
}
