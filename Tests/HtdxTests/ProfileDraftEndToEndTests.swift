import Foundation
import Testing
import TestSupport

/// From a partner export nobody described to a verified release: draft a profile, answer only its
/// TODOs from a fixed answer file, check it, publish, verify.
@Suite struct ProfileDraftEndToEndTests {
    typealias F = FrenchExportFixture
    static let k = 5    // Policies/partners.yaml's k

    /// What a data officer answers, and nothing else: a field for each column the draft left
    /// undecided (nil keeps it ignored), a code for each value left TODO, a value for each constant.
    struct Answers {
        var columns: [String: String?] = [
            "numero_dossier": nil, "nom": nil, "prenom": nil, "telephone": nil, "remarques": nil,
            "sexe": "prs_Gender: {from: \"sexe\", map: \(Answers.inline(F.sexes))}",
            "date_naissance": "prs_Birthdate: {from: \"date_naissance\", format: dd/MM/yyyy}",
            "nationalite": "prs_Citizenship: {from: \"nationalite\", map: \(Answers.inline(F.citizenships))}",
            "pays_exploitation": "ext_CountryOfExploitation: {from: \"pays_exploitation\", map: \(Answers.inline(F.exploitationCountries))}",
            "date_identification": "ext_IdentificationDate: {from: \"date_identification\", format: dd/MM/yyyy}",
            "type_exploitation": "vic_TypeOfExploitation: {from: \"type_exploitation\", split: \" + \", map: \(Answers.inline(F.exploitationTypes))}",
            "consentement": "con_Consent: {from: \"consentement\", map: \(Answers.inline(F.consents))}",
        ]
        var values: [String: [String: String]] = [
            "sexe": Answers.table(F.sexes), "nationalite": Answers.table(F.citizenships),
            "pays_exploitation": Answers.table(F.exploitationCountries), "type_exploitation": Answers.table(F.exploitationTypes),
            "consentement": Answers.table(F.consents),
        ]
        var constants = ["ext_DataSource": "CaseManagement", "con_Consent": "TRUE"]

        static func table(_ t: [(String, String, Int)]) -> [String: String] {
            Dictionary(t.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        }
        static func inline(_ t: [(String, String, Int)]) -> String {
            "{" + t.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ") + "}"
        }

        /// The draft with its TODOs answered; fails on a TODO the answers do not cover.
        func apply(to draft: String) throws -> String {
            var out: [String] = []
            var added: [String] = []
            var column: String?
            for line in draft.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("from: ") { column = Self.unquote(String(trimmed.dropFirst(6)).components(separatedBy: "    #")[0]) }
                if line.hasPrefix("  - "), line.contains("# TODO: decide") {
                    let name = Self.unquote(String(line.dropFirst(4)).components(separatedBy: "    #")[0])
                    guard let answer = columns[name] else { throw Unanswered(what: "column \(name)") }
                    if let field = answer { added.append("  " + field) } else { out.append(line.components(separatedBy: "#")[0]) }
                    continue
                }
                if line.hasPrefix("      \""), line.contains(": TODO") {
                    let key = Self.unquote(line.trimmingCharacters(in: .whitespaces).components(separatedBy: "\": ")[0] + "\"")
                    guard let c = column, let code = values[c]?[key] else { throw Unanswered(what: "a value of \(column ?? "?")") }
                    out.append(line.replacingOccurrences(of: ": TODO", with: ": \"\(code)\""))
                    continue
                }
                if line.hasPrefix("  "), !line.hasPrefix("   "), line.contains("{constant: TODO}") {
                    let name = String(line.dropFirst(2).prefix { $0 != ":" })
                    guard let value = constants[name] else { throw Unanswered(what: "constant \(name)") }
                    out.append("  \(name): {constant: \"\(value)\"}")
                    continue
                }
                out.append(line)
            }
            // Answered columns go under fields:, which the writer puts last.
            var text = out.joined(separator: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            return text + added.map { $0 + "\n" }.joined()
        }

        static func unquote(_ s: String) -> String {
            var t = s.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
            return t.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        }
    }

    struct Unanswered: Error, CustomStringConvertible {
        var what: String
        var description: String { "the answer file does not answer \(what)" }
    }

    @Test(.enabled(if: htdxExecutable != nil, "build htdx first"))
    func aFrenchLatin1ExportIsDraftedAnsweredAndPublishedWithNoRejects() throws {
        let scratch = try Scratch()
        defer { if ProcessInfo.processInfo.environment["HTDX_KEEP_SCRATCH"] == nil { scratch.remove() } }
        let fixture = F(records: 2000, seed: 14)
        let export = scratch.path("export-bureau.csv")
        try fixture.latin1().write(to: URL(fileURLWithPath: export))
        let profile = scratch.path("bureau.yaml")
        let policy = Repo.root.appendingPathComponent("Policies/partners.yaml").path

        let clock = ContinuousClock()
        let start = clock.now
        let drafted = try HtdxProcess.run(["profile", "draft", export, "--k", "\(Self.k)", "--out", profile], in: scratch.url.path)
        try #require(drafted.status == 0, "\(drafted.stderr)")
        let draft = try String(contentsOfFile: profile, encoding: .utf8)
        let attributes = try FileManager.default.attributesOfItem(atPath: profile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        #expect(draft.contains("csv: {delimiter: \";\", encoding: latin-1, headerRows: 1, nameRow: 1}"))
        let todos = draft.split(separator: "\n").filter { $0.contains("TODO") && !$0.hasPrefix("#") }.count
        print("profile draft left \(todos) TODO line(s): \(drafted.stderr.trimmingCharacters(in: .newlines))")
        #expect(todos <= 4, "the draft should decide most of this export itself")

        // Names, phone numbers and free text never reach the draft.
        for text in fixture.identifying {
            #expect(!draft.contains(fixture.latin1Text(text)), "an identifying value is in the draft")
        }
        // No value held by fewer than k records is written without the rare mark; the export has some.
        #expect(["sexe", "type_exploitation"].allSatisfy { fixture.counts(column: $0).values.contains { $0 < Self.k } })
        for column in F.header {
            for (value, n) in fixture.counts(column: column) where n < Self.k {
                for line in draft.split(separator: "\n") where line.contains("\"\(value)\"") {
                    #expect(line.contains("rare: fewer than \(Self.k) records"), "a rare value of \(column) is written unmarked")
                }
            }
        }

        let answered = try Answers().apply(to: draft)
        #expect(!answered.split(separator: "\n").contains { $0.contains("TODO") && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") })
        let filled = scratch.path("bureau-filled.yaml")
        try answered.write(toFile: filled, atomically: true, encoding: .utf8)

        let check = try HtdxProcess.run(["check", filled, "--sample", export], in: scratch.url.path)
        #expect(check.status == 0, "htdx check: \(check.stdout) \(check.stderr)")

        let run = try HtdxProcess.run(["anonymize", "--policy", policy, "--out", scratch.path("release"),
                                       "--input", "\(filled)=\(export)", "--json"], in: scratch.url.path)
        try #require(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let records = try #require(report["records"] as? [String: Any])
        #expect(records["rejected"] as? Int == 0)
        #expect((records["published"] as? Int ?? 0) > 1500)
        let verify = try HtdxProcess.run(["verify", scratch.path("release")], in: scratch.url.path)
        #expect(verify.status == 0, "\(verify.stderr)")
        print("profile draft → verified publish: \(clock.now - start) for \(fixture.rows.count) records")
    }

    @Test(.enabled(if: htdxExecutable != nil, "build htdx first"))
    func theCommandNeverReplacesAFileAndSaysWhyItStops() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let export = try scratch.write("export.csv", "id;sexe\n1;F\n2;M\n")
        let existing = try scratch.write("taken.yaml", "mine\n")
        let refused = try HtdxProcess.run(["profile", "draft", export, "--out", existing], in: scratch.url.path)
        #expect(refused.status == 2 && refused.stderr.contains("taken.yaml") && refused.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "mine\n")

        let missing = try HtdxProcess.run(["profile", "draft", scratch.path("absent.csv")], in: scratch.url.path)
        #expect(missing.status == 3 && missing.stderr.contains("absent.csv") && missing.stdout.isEmpty)
        let badFormat = try HtdxProcess.run(["profile", "draft", export, "--format", "json"], in: scratch.url.path)
        #expect(badFormat.status == 2)

        let printed = try HtdxProcess.run(["profile", "draft", export, "--partner", "bureau"], in: scratch.url.path)
        #expect(printed.status == 0 && printed.stdout.contains("partner: \"bureau\"") && printed.stdout.contains("delimiter: \";\""))
        #expect(printed.stderr.split(separator: "\n").count == 1 && printed.stderr.contains("TODO") && printed.stderr.contains("rare"))
        let written = try HtdxProcess.run(["profile", "draft", export, "--out", "new.yaml"], in: scratch.url.path)
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(try String(contentsOfFile: scratch.path("new.yaml"), encoding: .utf8) == printed.stdout.replacingOccurrences(of: "\"bureau\"", with: "\"export\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["export.csv", "new.yaml", "taken.yaml"])
    }
}
