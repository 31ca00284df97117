import Foundation
import Ingest
import PolicyFile
import ProfileDraft
import Testing
import TestSupport

/// The draft profile: read back by the profile parser exactly as meant, with every guess
/// explained, every open question marked, and every rare value said to be rare.
@Suite struct ProfileDraftWriterTests {
    typealias P = FieldProposal

    /// Text YAML would read differently if written plain.
    static let awkward = ["a\"b", "c: d", "# e", "  lead", "trail ", "Nationalité", "yes", "No", "null", "~", "back\\slash", "tab\there",
                          "-dash", "[x]", "{y}", "*star", "&amp", "!bang", "%pct", "@at", "`tick`", "'single'", ">fold", "|lit", "?q",
                          "1.5", "true", "0x1F", "ligne\nsuivante", "x #y", "\u{2028}sep"]

    static func summary(_ columns: [(String, [String: Int])], records: Int = 100) -> ExportSummary {
        ExportSummary(path: "/exports/bureau.csv", shape: .csv(CSVShape(delimiter: UInt8(ascii: ";"), encoding: .latin1)), records: records,
                      columns: columns.enumerated().map { i, c in
                          ColumnSummary(name: c.0, position: i, records: records, filled: c.1.values.reduce(0, +), values: c.1)
                      })
    }

    static func load(_ text: String) throws -> PartnerProfile {
        let s = try Scratch()
        defer { s.remove() }
        return try ProfileDocument.load(path: try s.write("draft.yaml", text)).profile
    }

    @Test func awkwardColumnNamesAndValuesReadBackExactly() throws {
        let names = Self.awkward
        let values = Dictionary(uniqueKeysWithValues: names.map { ($0, 50) })
        let summary = Self.summary(names.map { ($0, [:]) } + [("sexe", values)])
        var columns = names.enumerated().map { i, name in
            P(column: name, disposition: i == 0 ? .reference : .ignore("names"), confidence: 0.9)
        }
        columns.append(P(column: "sexe", disposition: .field("prs_Gender"), confidence: 0.9,
                         values: names.map { .init(source: $0, target: "Feminine", records: 50) }, missing: ["~", "No"]))
        let (text, stats) = ProfileDraftWriter.draft(summary: summary, proposal: ProfileProposal(columns: columns, derived: []),
                                                    partner: "bureau: \"Lyon\" #2", k: 11)
        #expect(stats.todos == 0 && stats.rareValues == 0)
        let profile = try Self.load(text)
        #expect(profile.name == "bureau: \"Lyon\" #2")
        #expect(profile.reference == names[0])
        #expect(profile.ignored == Array(names.dropFirst()))
        let gender = try #require(profile.fields.first { $0.canonical == "prs_Gender" })
        #expect(gender.source == .column("sexe"))
        #expect(gender.valueMap == Dictionary(uniqueKeysWithValues: names.map { ($0, "Feminine") }))
        #expect(gender.missing == ["", "~", "No"])
        guard case .csv(let layout) = profile.format else { Issue.record("not a CSV profile"); return }
        #expect(layout.delimiter == UInt8(ascii: ";") && layout.encoding == .latin1)
    }

    @Test func aValueHeldByFewerThanKRecordsIsWrittenOnlyWithTheRareMarkAndTheHeaderCountsThem() throws {
        let counts = ["travail forcé": 40, "mendicité": 3, "mariage": 11, "servitude": 10, "inconnu": 2]
        let summary = Self.summary([("type", counts)])
        let proposal = ProfileProposal(columns: [
            P(column: "type", disposition: .field("vic_TypeOfExploitation"), confidence: 0.8,
              values: [.init(source: "travail forcé", target: "ForcedLabour", records: 40), .init(source: "mendicité", target: "ForcedBegging", records: 3),
                       .init(source: "mariage", target: "ForcedMarriage", records: 11), .init(source: "servitude", target: nil, records: 10)],
              missing: ["inconnu"]),
        ], derived: [])
        let (text, stats) = ProfileDraftWriter.draft(summary: summary, proposal: proposal, partner: "p", k: 11)
        for (value, n) in counts {
            let lines = text.split(separator: "\n").filter { $0.contains("\"\(value)\"") }
            #expect(lines.count == 1)
            #expect(lines.allSatisfy { $0.contains("rare: fewer than 11 records") } == (n < 11), "\(n) records")
        }
        #expect(stats.rareValues == 3)
        #expect(text.contains("# 3 value(s) held by fewer than 11 records"))
        // Highest count first.
        let order = ["travail forcé", "mariage", "servitude", "mendicité"].map { v in text.range(of: "\"\(v)\"")!.lowerBound }
        #expect(order == order.sorted())
    }

    @Test func guessesCarryTheirReasonsAndOpenQuestionsAreMarked() throws {
        let summary = Self.summary([("sexe", ["F": 60, "M": 38, "?": 2]), ("nom", ["Dupont-Secret": 100]), ("code_x", ["zz-secret": 100]),
                                    ("pays", ["FR": 100])])
        let proposal = ProfileProposal(columns: [
            P(column: "sexe", disposition: .field("prs_Gender"), confidence: 0.4, reasons: ["name \"sexe\" (fr: sex)"],
              values: [.init(source: "F", target: "Feminine", records: 60), .init(source: "M", target: "Masculine", records: 38),
                       .init(source: "?", target: nil, records: 2)]),
            P(column: "nom", disposition: .ignore("names"), confidence: 0.9, reasons: ["column \"nom\" holds names"]),
            P(column: "code_x", disposition: .undecided),
            P(column: "pays", disposition: .field("ext_CountryOfExploitation"), confidence: 0.9, reasons: ["ISO codes"]),
        ], derived: [])
        let (text, stats) = ProfileDraftWriter.draft(summary: summary, proposal: proposal, partner: "p", k: 11)
        let lines = text.split(separator: "\n").map(String.init)
        let gender = try #require(lines.first { $0.hasPrefix("  prs_Gender:") })
        #expect(gender.contains("REVIEW") && gender.contains("name \"sexe\" (fr: sex)"))
        let country = try #require(lines.first { $0.hasPrefix("  ext_CountryOfExploitation:") })
        #expect(!country.contains("REVIEW") && country.contains("ISO codes"))
        let todo = try #require(lines.first { $0.contains("\"?\":") })
        #expect(todo.contains(": TODO") && todo.contains("2 records") && todo.contains("htdx codes prs_Gender") && todo.contains("rare"))
        #expect(lines.contains { $0.hasPrefix("  - \"code_x\"") && $0.contains("# TODO: decide") })
        #expect(lines.contains { $0.hasPrefix("  - \"nom\"") && $0.contains("# names") })
        #expect(!text.contains("secret") && !text.contains("Secret"), "an ignored or undecided column's values are never written")
        #expect(stats.todos == 2 && stats.reviews == 1 && stats.fieldsProposed == 2)
        #expect(text.contains("(2 TODO, 1 REVIEW)"))
        #expect(text.contains("htdx check PROFILE.yaml --sample EXPORT") && text.contains("as private as the export"))
        // Once the TODO is answered, the profile reads.
        let profile = try Self.load(text.replacingOccurrences(of: "\"?\": TODO", with: "\"?\": NonSpecifiedUnknown"))
        #expect(profile.ignored == ["nom", "code_x"])
    }

    @Test func datesListTheirFormatsAndSayWhenDayAndMonthCouldSwap() throws {
        let summary = Self.summary([("naissance", ["01/02/1990": 100]), ("identification", ["2024-03-04": 100])])
        let proposal = ProfileProposal(columns: [
            P(column: "naissance", disposition: .field("prs_Birthdate"), confidence: 0.9, dateFormats: ["dd/MM/yyyy", "yyyy-MM-dd"], dayMonthAmbiguous: true),
            P(column: "identification", disposition: .field("ext_IdentificationDate"), confidence: 0.9, dateFormats: ["yyyy-MM-dd"]),
        ], derived: [
            DerivedProposal(canonical: "ext_AgeAtIdentification", source: .age(birth: "prs_Birthdate", at: "ext_IdentificationDate"), reason: "both dates"),
            DerivedProposal(canonical: "ext_DataSource", source: .constant(nil), reason: "not in the export"),
            DerivedProposal(canonical: "con_Consent", source: .constant("TRUE"), reason: "agreement"),
        ])
        let (text, stats) = ProfileDraftWriter.draft(summary: summary, proposal: proposal, partner: "p", k: 11)
        #expect(text.contains("    format: [dd/MM/yyyy, yyyy-MM-dd]    # REVIEW: no day above 12"))
        #expect(text.contains("  ext_DataSource: {constant: TODO}"))
        #expect(stats.todos == 1 && stats.reviews == 1)
        let profile = try Self.load(text.replacingOccurrences(of: "{constant: TODO}", with: "{constant: Hotline}"))
        let birth = try #require(profile.fields.first { $0.canonical == "prs_Birthdate" })
        #expect(birth.kind == .date([DateFormat("dd/MM/yyyy")!, DateFormat("yyyy-MM-dd")!]))
        #expect(profile.fields.first { $0.canonical == "ext_AgeAtIdentification" }?.source == .ageInYears(birth: "prs_Birthdate", at: "ext_IdentificationDate"))
        #expect(profile.fields.first { $0.canonical == "con_Consent" }?.source == .constant("TRUE"))
    }

    @Test func anXMLDraftNamesItsRecordAndNamespaces() throws {
        let summary = ExportSummary(path: "/x/hotline.xml",
                                    shape: .xml(XMLShape(record: "p1:case", namespaces: ["p1": "urn:example:hotline:1"])), records: 10,
                                    columns: [ColumnSummary(name: "@ref", position: 0), ColumnSummary(name: "p1:victim/p1:gender", position: 1)])
        let proposal = ProfileProposal(columns: [
            P(column: "@ref", disposition: .reference, confidence: 0.9),
            P(column: "p1:victim/p1:gender", disposition: .field("prs_Gender"), confidence: 0.9),
        ], derived: [])
        let profile = try Self.load(ProfileDraftWriter.yaml(summary: summary, proposal: proposal, partner: "hotline", k: 11))
        guard case .xml(let layout) = profile.format else { Issue.record("not an XML profile"); return }
        #expect(layout.record == "p1:case" && layout.namespaces == ["p1": "urn:example:hotline:1"])
        #expect(profile.reference == "@ref")
        #expect(profile.fields.first?.source == .column("p1:victim/p1:gender"))
    }
}
