import ArgumentParser
import Foundation
import Recode

/// `htdx codes FIELD`: one field's code list, as a profile's map targets must spell them.
struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the codes of an HTCDS v2 or ext_ field.")

    @Argument(help: "The canonical field, such as vic_TypeOfExploitation.")
    var field: String?

    func run() throws {
        throw ValidationError("codes is not yet built")
    }
}
