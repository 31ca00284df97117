import ArgumentParser
import Foundation
import Ingest
import Pipeline
import Recode

/// `htdx codes FIELD`: one field's code list, as a profile's map targets must spell them.
struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the codes of an HTCDS v2 or ext_ field.",
        discussion: """
            Without FIELD, lists the fields that have codes. `--markdown --all` prints the reference \
            page shipped as Docs/Codes.md.
            """)

    @Argument(help: "The canonical field, such as vic_TypeOfExploitation.")
    var field: String?

    @Flag(help: "List the ISO 3166-1 countries (alpha-2, alpha-3, name) that country fields accept.")
    var countries = false

    @Flag(help: "Print every field's codes (with --markdown: the reference page).")
    var all = false

    @Flag(help: "Print Markdown instead of plain text.")
    var markdown = false

    func validate() throws {
        if field != nil && (countries || all) { throw ValidationError("give a FIELD, --countries or --all, not several") }
        if countries && all { throw ValidationError("give --countries or --all, not both") }
    }

    func run() throws {
        let page: CodePage = markdown ? MarkdownCodePage() : TextCodePage()
        if countries {
            print(page.countries(), terminator: "")
        } else if all {
            print(page.all(CodeList.lists), terminator: "")
        } else if let field {
            print(page.list(try CodeList.named(field)), terminator: "")
        } else {
            print(page.index(CodeList.lists), terminator: "")
        }
    }
}

/// One field that holds codes: an HTCDS v2 picklist, country or language field, or an ext_ field.
struct CodeList {
    enum Codes {
        case picklist(codes: [String], labels: [String])
        case country
        case language
    }

    var name: String
    var label: String
    var codes: Codes
    var isMultiSelect: Bool
    var isDeprecated: Bool
    var isExtension: Bool

    var summary: String {
        switch codes {
        case .picklist(let codes, _): return "\(codes.count) codes"
        case .country: return "country"
        case .language: return "language"
        }
    }

    var note: String {
        var words: [String] = []
        if isMultiSelect { words.append("several values allowed") }
        if isDeprecated { words.append("deprecated in HTCDS 2.0") }
        switch codes {
        case .picklist: break
        case .country: words.append("ISO 3166-1 alpha-2 or alpha-3; see htdx codes --countries")
        case .language: words.append("ISO 639-2 language codes; htdx does not list them")
        }
        return words.joined(separator: "; ")
    }

    /// HTCDS v2's coded fields in the standard's order, then htdx's coded ext_ fields.
    static let lists: [CodeList] = {
        var lists: [CodeList] = []
        for f in HTCDS.fields {
            let codes: Codes
            switch f.kind {
            case .picklist: codes = .picklist(codes: f.codes, labels: f.labels)
            case .country: codes = .country
            case .language: codes = .language
            default: continue
            }
            lists.append(CodeList(name: f.name, label: f.label, codes: codes, isMultiSelect: f.isMultiSelect,
                                  isDeprecated: f.isDeprecated, isExtension: false))
        }
        for e in ExtensionField.allCases {
            // A switch without default, so a new extension field must say whether it has codes.
            let codes: Codes
            let label: String
            switch e {
            case .countryOfExploitation: (codes, label) = (.country, "Country of Exploitation")
            // The codes Policies/partners/*.yaml set and Policies/ctdc/datasource.csv translates.
            case .dataSource: (codes, label) = (.picklist(codes: ["CaseManagement", "Hotline"],
                                                          labels: ["Case Management", "Hotline"]), "Data Source")
            case .identificationDate, .reportedAge, .ageAtIdentification, .partnerReference: continue
            }
            lists.append(CodeList(name: e.rawValue, label: label, codes: codes, isMultiSelect: false,
                                  isDeprecated: false, isExtension: true))
        }
        return lists
    }()

    /// The list of `name` (case aside), or a configuration error that says why there is none and
    /// what the user probably meant.
    static func named(_ name: String) throws -> CodeList {
        if let exact = lists.first(where: { $0.name == name }) ?? lists.first(where: { $0.name.lowercased() == name.lowercased() }) {
            return exact
        }
        if let f = HTCDS.field(named: name) {
            throw RunError.configuration("\(f.name) is a \(f.kind.rawValue) field and has no codes; `htdx codes` lists the fields that have them")
        }
        if let e = ExtensionField(rawValue: name) {
            throw RunError.configuration("\(e.rawValue) holds \(e.meaning) and has no codes; `htdx codes` lists the fields that have them")
        }
        let hint = closest(to: name, among: lists.map(\.name)).map { "did you mean \($0)? " } ?? ""
        throw RunError.configuration("no HTCDS v2 or ext_ field \(name) has codes; \(hint)`htdx codes` lists the fields that have them")
    }

    /// The candidate fewest edits away from `word`, when it is close enough to be a typo.
    static func closest(to word: String, among candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let w = Array(word.lowercased())
        guard let (best, d) = candidates.map({ ($0, distance(w, Array($0.lowercased()))) }).min(by: { $0.1 < $1.1 }),
              d <= max(3, w.count / 3) else { return nil }
        return best
    }
}

/// How `htdx codes` renders the lists.
protocol CodePage {
    func index(_ lists: [CodeList]) -> String
    func list(_ list: CodeList) -> String
    func all(_ lists: [CodeList]) -> String
    func countries() -> String
}

struct TextCodePage: CodePage {
    private func padded(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    func index(_ lists: [CodeList]) -> String {
        let width = (lists.map(\.name.count).max() ?? 0) + 2
        var s = "Fields with codes (htdx codes FIELD prints one):\n"
        for l in lists { s += "  " + padded(l.name, width) + padded(l.summary, 10) + l.label + "\n" }
        return s
    }

    func list(_ l: CodeList) -> String {
        var s = "\(l.name) (\(l.label))" + (l.note.isEmpty ? "" : ": \(l.note)") + "\n"
        if case .picklist(let codes, let labels) = l.codes {
            let width = (codes.map(\.count).max() ?? 0) + 2
            for (code, label) in zip(codes, labels) { s += "  " + padded(code, width) + label + "\n" }
        }
        return s
    }

    func all(_ lists: [CodeList]) -> String { lists.map(list).joined(separator: "\n") }

    func countries() -> String {
        ISO3166.countries.map { "\($0.alpha2)  \($0.alpha3)  \($0.name)\n" }.joined()
    }
}

/// Markdown; `--markdown --all` is Docs/Codes.md, which a test compares with this output.
struct MarkdownCodePage: CodePage {
    /// A table cell: a `|` would end the cell.
    private func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    private func anchor(_ name: String) -> String { "#" + name.lowercased() }

    func index(_ lists: [CodeList]) -> String {
        var s = "| Field | Label | Codes |\n|---|---|---|\n"
        for l in lists { s += "| [`\(l.name)`](\(anchor(l.name))) | \(cell(l.label)) | \(l.summary) |\n" }
        return s
    }

    func list(_ l: CodeList) -> String {
        var s = "### \(l.name)\n\n\(cell(l.label))" + (l.note.isEmpty ? "" : ": \(l.note.replacingOccurrences(of: "htdx codes --countries", with: "`htdx codes --countries`, [Countries](#countries) below")).") + "\n"
        if case .picklist(let codes, let labels) = l.codes {
            s += "\n| Code | Label |\n|---|---|\n"
            for (code, label) in zip(codes, labels) { s += "| `\(cell(code))` | \(cell(label)) |\n" }
        }
        return s
    }

    func all(_ lists: [CodeList]) -> String {
        var s = """
            <!-- GENERATED by `htdx codes --markdown --all`. Do not edit: CodesCommandTests fails when this
                 file and the command's output differ; change the catalogue or the command and regenerate. -->
            # Code lists

            A profile's value maps (`map:`) must point at these codes, spelled exactly as the Code column
            has them. `htdx codes FIELD` prints one list; `htdx codes` lists the fields.

            Human Trafficking Case Data Standard (HTCDS) by IOM, licensed under CC BY 4.0
            (http://creativecommons.org/licenses/by/4.0/). Field names, labels and codes are IOM's; IOM
            does not endorse htdx. Country codes are ISO 3166-1, as Debian's iso-codes lists them, plus
            Kosovo (XK, XKX), which ISO has not assigned.


            """
        s += index(lists) + "\n## HTCDS v2 fields\n\n"
        s += lists.filter { !$0.isExtension }.map(list).joined(separator: "\n")
        s += "\n## htdx extension fields (ext_)\n\n"
        s += lists.filter(\.isExtension).map(list).joined(separator: "\n")
        s += "\n" + countries()
        return s
    }

    func countries() -> String {
        var s = "## Countries\n\nCountry fields accept either code, in any case.\n\n| Alpha-2 | Alpha-3 | Name |\n|---|---|---|\n"
        for c in ISO3166.countries { s += "| `\(c.alpha2)` | `\(c.alpha3)` | \(cell(c.name)) |\n" }
        return s
    }
}
