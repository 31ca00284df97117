import Anonymize
import Foundation
import Pipeline
@testable import PolicyFile
import TestSupport
import Testing

/// Record filters: the condition language, its checks in the policy, and exclusion in a run.
@Suite struct RecordFilterTests {
    func holds(_ text: String, _ values: [String: String]) throws -> Bool {
        try ConditionParser.parse(text).holds { values[$0] ?? "" }
    }

    @Test func comparisonsAndMissingValues() throws {
        #expect(try holds("a = x", ["a": "x"]))
        #expect(try !holds("a = x", ["a": "y"]))
        #expect(try holds("a != x", ["a": "y"]))
        #expect(try !holds("a != x", [:]), "a missing value is its own case, not 'not x'")
        #expect(try holds("a != x or a is missing", [:]))
        #expect(try holds("a in [x, y]", ["a": "y"]))
        #expect(try holds("n < 18", ["n": "9"]), "numbers compare as numbers")
        #expect(try !holds("n < 18", ["n": "100"]))
        #expect(try holds("d > 2019-12-31", ["d": "2020-01-01"]), "ISO dates compare as text")
        #expect(try holds("a = \"two words\"", ["a": "two words"]))
    }

    @Test func precedenceIsNotThenAndThenOr() throws {
        // a or (b and c), not (a or b) and c
        #expect(try holds("a = 1 or b = 1 and c = 1", ["a": "1"]))
        #expect(try !holds("(a = 1 or b = 1) and c = 1", ["a": "1"]))
        #expect(try holds("not a = 1 and c = 1", ["a": "2", "c": "1"]))
        #expect(try !holds("not (a = 1 or c = 1)", ["c": "1"]))
    }

    @Test(arguments: ["a =", "a ~ b", "(a = 1", "a in [x", "a is there", "= x", "a = 1 b", "a ! b", "a = \"open"])
    func malformedConditionsAreRefused(_ text: String) {
        #expect(throws: ConditionParser.Failure.self) { try ConditionParser.parse(text) }
    }

    func policyError(_ when: String) throws -> PolicyError? {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("p.yaml", """
            version: 1
            attributes:
              prs_Gender: {type: quasi-identifying}
              con_Consent: insensitive
            rules:
              exclude:
                - {name: f, when: "\(when)"}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        do { _ = try PolicyDocument.load(path: path); return nil } catch { return error }
    }

    @Test func conditionsAreCheckedAgainstThePolicyAndTheCodeLists() throws {
        let unknown = try #require(try policyError("con_Concent = TRUE"))
        #expect(unknown.line == 7 && unknown.message.contains("con_Consent"), "\(unknown)")
        let value = try #require(try policyError("prs_Gender = Female"))
        #expect(value.line == 7 && value.message.contains("Female"), "\(value)")
        let boolean = try #require(try policyError("con_Consent = yes"))
        #expect(boolean.message.contains("TRUE") || boolean.message.contains("value"), "\(boolean)")
        let syntax = try #require(try policyError("con_Consent =="))
        #expect(syntax.key == "rules.exclude.when", "\(syntax)")
        #expect(try policyError("con_Consent != TRUE or con_Consent is missing") == nil)
    }

    @Test func excludedRecordsAppearNowhereAndTheRecordsBalance() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("h.csv", "F;*\nM;*\n")
        let policy = try scratch.write("p.yaml", """
            version: 1
            attributes:
              name: identifying
              sex: {type: quasi-identifying, hierarchy: h.csv}
              consent: insensitive
              note: sensitive
            rules:
              exclude:
                - {name: no-consent, when: "consent != yes or consent is missing"}
                - {name: typo, when: "note = Nothing-Matches-This"}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        let input = try scratch.write("in.csv", """
            name,sex,consent,note
            a,F,yes,kept-1
            b,F,yes,kept-2
            c,M,no,GONE-1
            d,M,,GONE-2
            e,M,yes,kept-3
            f,M,yes,kept-4

            """)
        let report = try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out")).run().report
        #expect(report.records.excluded == 2)
        #expect(report.exclusions == ["no-consent": 2, "typo": 0])
        #expect(report.rules.first { $0.name == "typo" }?.touchedNothing == true)
        #expect(report.records.in == report.records.rejected + report.records.excluded + report.records.suppressed + report.records.published)
        let published = try String(contentsOfFile: scratch.path("out/anonymized.csv"), encoding: .utf8)
        #expect(!published.contains("GONE"))
        #expect(published.contains("kept-4"))
    }

    @Test func blankingEmptiesFieldsWhereTheConditionHolds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("h.csv", "F;*\nM;*\n;*\n")
        let policy = try scratch.write("p.yaml", """
            version: 1
            attributes:
              name: identifying
              sex: {type: quasi-identifying, hierarchy: h.csv}
              age: insensitive
              detail: sensitive
            rules:
              blank:
                - {name: minors, fields: [detail], when: "age < 18"}
                - {name: hide-sex-of-minors, fields: [sex], when: "age < 18"}
                - {name: never, fields: [detail], when: "age > 200"}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        let input = try scratch.write("in.csv", """
            name,sex,age,detail
            a,F,15,SECRET-1
            b,M,16,SECRET-2
            c,F,30,kept-1
            d,F,40,kept-2
            e,M,50,kept-3
            f,M,60,kept-4

            """)
        let report = try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out")).run().report
        let rows = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ",")
        let published = rows.dropFirst().map { $0.joined(separator: "|") }.joined(separator: "\n")
        #expect(!published.contains("SECRET"))
        #expect(published.contains("kept-4"))
        // The minors' sex is blanked, so the two of them form a class of their own.
        #expect(rows.dropFirst().filter { $0[0] == "" && $0[2] == "" }.count == 2)
        let minors = try #require(report.rules.first { $0.name == "minors" })
        #expect(minors.kind == "blank" && minors.records == 2 && minors.cells == 2 && !minors.touchedNothing)
        #expect(report.rules.first { $0.name == "never" }?.touchedNothing == true)
        #expect(report.records.in == report.records.rejected + report.records.excluded + report.records.suppressed + report.records.published)
    }

    @Test func topAndBottomCodingRecodeBeyondTheirThresholds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("y.csv", "<2005;*\n2005;*\n2006;*\n")
        let policy = try scratch.write("p.yaml", """
            version: 1
            attributes:
              year: {type: quasi-identifying, hierarchy: y.csv}
              age: insensitive
            rules:
              topCode:
                - {name: age-60-plus, field: age, atOrAbove: 60, as: "60+"}
              bottomCode:
                - {name: before-2005, field: year, below: 2005, as: "<2005"}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        let input = try scratch.write("in.csv", """
            year,age
            2001,59
            2003,60
            2005,77
            2005,30
            2006,41
            2006,
            """ + "\n")
        let report = try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out")).run().report
        let rows = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ",").dropFirst()
        #expect(Set(rows.map { $0[1] }) == ["59", "60+", "30", "41", ""], "a missing age stays missing")
        #expect(!rows.contains { ["2001", "2003"].contains($0[0]) })
        #expect(report.rules.first { $0.name == "age-60-plus" }?.cells == 2)
        #expect(report.rules.first { $0.name == "before-2005" }?.cells == 2)
    }

    @Test func rareValuesAreFoldedFromFirstPassCountsAndAppearNowhere() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("c.csv", "UA;Europe;*\nMD;Europe;*\nPH;Asia;*\nVN;Asia;*\nOther;Other;*\n")
        let policy = try scratch.write("p.yaml", """
            version: 1
            attributes:
              citizenship: {type: quasi-identifying, hierarchy: c.csv}
              sector: insensitive
              consent: insensitive
            rules:
              exclude:
                - {name: no-consent, when: "consent != yes"}
              fold:
                - {name: rare-citizenship, field: citizenship, below: 3, as: Other}
                - {name: rare-sector, field: sector, below: 2, as: other}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        // MD has three records, but one is excluded: the fold counts what survives the filters.
        let input = try scratch.write("in.csv", """
            citizenship,sector,consent
            UA,farm,yes
            UA,farm,yes
            UA,fishing,yes
            MD,farm,yes
            MD,farm,yes
            MD,farm,no
            PH,mining,yes
            VN,farm,yes

            """)
        let report = try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out")).run().report
        let rows = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ",").dropFirst()
        let published = rows.flatMap { $0 }
        for rare in ["MD", "PH", "VN", "fishing", "mining"] { #expect(!published.contains(rare), "\(rare) was published") }
        #expect(rows.count + report.records.suppressed == 7)
        let citizenship = try #require(report.rules.first { $0.name == "rare-citizenship" })
        #expect(citizenship.kind == "fold" && citizenship.valuesFolded == 3 && citizenship.cells == 4)
        let sector = try #require(report.rules.first { $0.name == "rare-sector" })
        #expect(sector.valuesFolded == 2 && sector.cells == 2)
        #expect(report.records.in == report.records.rejected + report.records.excluded + report.records.suppressed + report.records.published)
    }
}
