import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// End-to-end runs of `htdx anonymize` through the library, on small files and the shipped example.
@Suite struct AnonymizeRunTests {
    /// A small case file: two quasi-identifiers with hierarchy files, one identifying, one sensitive.
    struct Fixture {
        let scratch: Scratch
        let policy: String

        init(k: Int = 2, limit: String = "0.5", extraAttributes: String = "") throws {
            scratch = try Scratch()
            try scratch.write("h/gender.csv", "F;*\nM;*\n")
            try scratch.write("h/country.csv", "UA;Europe;*\nMD;Europe;*\nPH;Asia;*\nVN;Asia;*\n")
            policy = try scratch.write("policy.yaml", """
                version: 1
                attributes:
                  name: identifying
                  gender: {type: quasi-identifying, hierarchy: h/gender.csv}
                  country: {type: quasi-identifying, hierarchy: h/country.csv}
                  exploitation: sensitive
                \(extraAttributes)
                privacy: {k: \(k), suppressionLimit: \(limit)}
                """)
        }

        func input(_ csv: String) throws -> String { try scratch.write("in.csv", csv) }
        var out: String { scratch.path("out") }
        func run(_ input: String, rejects: String? = nil) throws -> AnonymizeRun.Outcome {
            try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: out, rejectsPath: rejects).run()
        }
    }

    static let cases = """
        name,gender,country,exploitation
        Ana,F,UA,Sexual
        Bea,F,MD,Labour
        Cid,M,PH,Labour
        Dan,M,VN,Labour
        Eve,F,UA,"Sexual, forced"
        Fay,F,MD,Labour

        """

    func expectRunError(_ body: () throws -> Void, exitCode: Int32, mentioning fragments: [String]) {
        do {
            try body()
            Issue.record("expected exit \(exitCode), but the run succeeded")
        } catch let error as RunError {
            #expect(error.exitCode == exitCode, "\(error)")
            for f in fragments { #expect(error.description.contains(f), "\(error) should mention \(f)") }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func publishesGeneralisedRecordsWithoutIdentifiers() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let outcome = try f.run(try f.input(Self.cases))
        let rows = try readSimpleCSV(f.out + "/anonymized.csv", delimiter: ",")
        #expect(rows[0] == ["gender", "country", "exploitation"])
        #expect(!rows.joined().joined().contains("Ana"))
        #expect(rows.dropFirst().contains(["F", "Europe", "Sexual, forced"]))
        let r = outcome.report
        #expect(r.records.in == 6 && r.records.in == r.records.rejected + r.records.excluded + r.records.suppressed + r.records.published)
        #expect(r.transformation == ["gender": 0, "country": 1])
        #expect(r.dropped == ["name"])
        #expect(FileManager.default.fileExists(atPath: f.out + ".rejects.csv"))
        #expect(try Report.decode(Data(contentsOf: URL(fileURLWithPath: f.out + "/report.json"))) == r)
    }

    @Test func theSameInputGivesByteIdenticalFiles() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input(Self.cases)
        _ = try f.run(input)
        let first = try ["anonymized.csv", "report.json"].map { try Data(contentsOf: URL(fileURLWithPath: f.out + "/" + $0)) }
        // Without the first run's history, whose entry the second would report comparing against.
        try FileManager.default.removeItem(atPath: f.out + ".history")
        _ = try f.run(input)
        let second = try ["anonymized.csv", "report.json"].map { try Data(contentsOf: URL(fileURLWithPath: f.out + "/" + $0)) }
        #expect(first == second)
    }

    @Test func rowsWithTheWrongFieldCountAreRejectedWithoutTheirValues() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input(Self.cases + "Zed,F,UA\nYul,M,PH,Labour,extra\n")
        // Two rejects in eight records: more than the default maxRejectedShare, allowed here.
        var run = AnonymizeRun(policyPath: f.policy, inputPath: input, outputDirectory: f.out)
        run.maxRejectedShare = 1
        let outcome = try run.run()
        #expect(outcome.report.records.rejected == 2)
        #expect(outcome.report.records.in == 8)
        #expect(outcome.report.rejections == ["wrong number of fields": 2])
        let rejects = try String(contentsOfFile: f.out + ".rejects.csv", encoding: .utf8)
        let rows = try readSimpleCSV(f.out + ".rejects.csv", delimiter: ",")
        #expect(rows[0] == ["partner", "file", "line", "reference", "field", "reason"])
        #expect(rows.dropFirst().map { [$0[0], $0[2], $0[5]] } == [
            ["csv:in.csv", "8", "has 3 fields; the header has 4"], ["csv:in.csv", "9", "has 5 fields; the header has 4"],
        ])
        #expect(!rejects.contains("Zed") && !rejects.contains("Yul"))
        #expect(!FileManager.default.fileExists(atPath: f.out + "/rejects.csv"))
    }

    @Test func rejectsCannotBeWrittenInsideTheDrop() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input(Self.cases)
        expectRunError({ _ = try f.run(input, rejects: f.out + "/rejects.csv") }, exitCode: 2, mentioning: ["inside"])
    }

    @Test func anUnlistedColumnStopsTheRunAndPublishesNothing() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input("name,gender,country,exploitation,phone\nAna,F,UA,Sexual,555\n")
        expectRunError({ _ = try f.run(input) }, exitCode: 2, mentioning: ["column 5 of the header", "not listed"])
        #expect(!FileManager.default.fileExists(atPath: f.out))
        #expect(!FileManager.default.fileExists(atPath: f.out + ".rejects.csv"))
    }

    @Test func aFileWithoutItsHeaderIsRefusedWithoutQuotingItsFirstLine() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input("SecretName,F,UA,Labour\nOther,M,PH,Labour\n")
        expectRunError({ _ = try f.run(input) }, exitCode: 2, mentioning: ["4 of the 4 columns", "header"])
        do { _ = try f.run(input) } catch { #expect(!"\(error)".contains("SecretName")) }
    }

    @Test func aValueMissingFromItsHierarchyStopsTheRunNamingValueAndFile() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input(Self.cases + "Gus,M,XX,Labour\n")
        expectRunError({ _ = try f.run(input) }, exitCode: 2, mentioning: ["column country", "country.csv", "in.csv:8", "--show-values"])
        do { _ = try f.run(input) } catch { #expect(!"\(error)".contains("XX"), "the value is not quoted") }
        #expect(!FileManager.default.fileExists(atPath: f.out))
    }

    @Test func identifyingValuesNeverAppearInMessages() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input("name,gender,country,exploitation\nSecretName,F,XX,Labour\n")
        do {
            _ = try f.run(input)
            Issue.record("expected a failure")
        } catch {
            #expect(!"\(error)".contains("SecretName"))
        }
    }

    @Test func kLargerThanTheRecordsIsAPrivacyFailure() throws {
        let f = try Fixture(k: 7, limit: "1")
        defer { f.scratch.remove() }
        let input = try f.input(Self.cases)
        expectRunError({ _ = try f.run(input) }, exitCode: 4, mentioning: ["k = 7", "6 records"])
        #expect(!FileManager.default.fileExists(atPath: f.out))
    }

    @Test func aHierarchyWithoutATopGroupCanMakeKUnreachable() throws {
        let f = try Fixture(k: 2, limit: "0")
        defer { f.scratch.remove() }
        try f.scratch.write("h/country.csv", "UA;Europe\nMD;Europe\nPH;Asia\nVN;Asia\n")
        let input = try f.input("name,gender,country,exploitation\na,F,UA,x\nb,F,MD,x\nc,M,PH,x\n")
        expectRunError({ _ = try f.run(input) }, exitCode: 4, mentioning: ["gender=1, country=1", "suppresses 1", "top level"])
        #expect(!FileManager.default.fileExists(atPath: f.out))
    }

    @Test func unreadableInputIsADataError() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let input = try f.input(Self.cases + "Hal,M,\"PH,Labour\n")
        expectRunError({ _ = try f.run(input) }, exitCode: 3, mentioning: ["in.csv:8", "quote"])
        let nul = try f.input("name,gender,country,exploitation\nA\u{0},F,UA,Labour\n")
        expectRunError({ _ = try f.run(nul) }, exitCode: 3, mentioning: ["in.csv:2", "NUL"])
    }

    @Test func anExistingDropIsReplacedWholeOrLeftUntouched() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        // A directory htdx did not publish is never replaced.
        try FileManager.default.createDirectory(atPath: f.out, withIntermediateDirectories: true)
        try f.scratch.write("out/stale.txt", "old")
        expectRunError({ _ = try f.run(try f.input(Self.cases)) }, exitCode: 2, mentioning: ["not an htdx release"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.out) == ["stale.txt"])
        try FileManager.default.removeItem(atPath: f.out)
        _ = try f.run(try f.input(Self.cases))
        let first = try Data(contentsOf: URL(fileURLWithPath: f.out + "/manifest.json"))
        // A failing run leaves the old drop as it was.
        let bad = try f.input("name,gender,country,exploitation,phone\n")
        #expect(throws: RunError.self) { _ = try f.run(bad) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.out + "/manifest.json")) == first)
        // A successful one replaces it whole.
        _ = try f.run(try f.input(Self.cases + "Gil,F,UA,Sexual\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.out + "/manifest.json")) != first)
        #expect(FileManager.default.fileExists(atPath: f.out + "/anonymized.csv"))
        #expect(try ReleaseVerifier.verify(directory: f.out).records > 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.scratch.url.path).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func aQuasiIdentifierWithoutHierarchyIsPublishedRawOrStarred() throws {
        let f = try Fixture(k: 3, limit: "0", extraAttributes: "  region: quasi-identifying")
        defer { f.scratch.remove() }
        let input = try f.input("""
            name,gender,country,exploitation,region
            a,F,UA,x,North
            b,F,UA,x,North
            c,F,MD,x,South
            d,M,PH,x,North
            e,M,VN,x,South
            f,M,VN,x,North

            """)
        let outcome = try f.run(input)
        let rows = try readSimpleCSV(f.out + "/anonymized.csv", delimiter: ",")
        #expect(outcome.report.records.published == 6)
        #expect(Set(rows.dropFirst().map { $0[3] }).isSubset(of: ["North", "South", "*"]))
    }

    @Test func theShippedExampleIsKAnonymousFromThePublishedFileAlone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outcome = try AnonymizeRun(
            policyPath: Repo.root.appendingPathComponent("Policies/example.yaml").path,
            inputPath: Repo.root.appendingPathComponent("Examples/cases.csv").path,
            outputDirectory: scratch.path("drop")).run()
        let r = outcome.report
        #expect(r.records.in >= 2000 && r.k >= 5)
        #expect(r.records.in == r.records.rejected + r.records.excluded + r.records.suppressed + r.records.published)
        let rows = try readSimpleCSV(scratch.path("drop/anonymized.csv"), delimiter: ",")
        let header = rows[0]
        for identifying in ["caseId", "fullName", "dateOfBirth", "notes", "registrationDate"] {
            #expect(!header.contains(identifying))
        }
        let qi = r.quasiIdentifiers.map { header.firstIndex(of: $0)! }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }
        #expect(rows.count - 1 == r.records.published)
        #expect(classes.values.allSatisfy { $0 >= r.k })
        #expect(classes.count == r.equivalenceClasses.count)
        #expect(classes.values.min() == r.equivalenceClasses.smallest)

        // The risk after anonymisation, recomputed from the published file alone.
        let risk = try #require(r.risk)
        let publishedRows = rows.count - 1
        #expect(risk.after.records == publishedRows && risk.after.classes == classes.count)
        #expect(abs(risk.after.highestRisk - 1.0 / Double(classes.values.min()!)) < 1e-12)
        #expect(abs(risk.after.averageRisk - Double(classes.count) / Double(publishedRows)) < 1e-12)
        #expect(risk.after.sampleUniques == 0 && risk.before.sampleUniques > 0)
        #expect(risk.after.highestRisk <= 1.0 / Double(r.k) && risk.before.highestRisk == 1.0)
        for (q, name) in r.quasiIdentifiers.enumerated() {
            var frequencies: [String: Int] = [:]
            for row in rows.dropFirst() { frequencies[row[qi[q]], default: 0] += 1 }
            let utility = try #require(risk.attributes.first { $0.name == name })
            #expect(utility.after == frequencies)
            // Raw frequencies stay out of the published report: rare values are what it hides.
            #expect(utility.before.isEmpty && utility.distinctBefore >= utility.distinctAfter)
        }

        // The example's rules, checked from the input and the published file: no record without a
        // recorded consent or found not to be a victim is published, and no minor's row carries
        // the detail of sexual exploitation.
        let input = try readSimpleCSV(Repo.root.appendingPathComponent("Examples/cases.csv").path, delimiter: ",")
        let h = input[0]
        let (consent, status, age) = (h.firstIndex(of: "consent")!, h.firstIndex(of: "traffickingStatus")!,
                                      h.firstIndex(of: "ageAtRegistration")!)
        let refused = input.dropFirst().filter { $0[consent] != "TRUE" }.count
        let notVictims = input.dropFirst().filter { $0[consent] == "TRUE" && $0[status] == "NotAVictimOfTrafficking" }.count
        #expect(refused > 0 && notVictims > 0)
        #expect(r.exclusions == ["no-consent": refused, "not-a-victim": notVictims])
        #expect(r.records.excluded == refused + notVictims)
        let (published, detail) = (header.firstIndex(of: "consent")!, header.firstIndex(of: "typeOfSexualExploitation")!)
        #expect(rows.dropFirst().allSatisfy { $0[published] == "TRUE" && $0[header.firstIndex(of: "traffickingStatus")!] != "NotAVictimOfTrafficking" })
        let kept = input.dropFirst().filter { $0[consent] == "TRUE" && $0[status] != "NotAVictimOfTrafficking" }
        let minorsWithDetail = kept.filter { Int($0[age])! < 18 && !$0[h.firstIndex(of: "typeOfSexualExploitation")!].isEmpty }.count
        #expect(minorsWithDetail > 0)
        #expect(r.rules.first { $0.name == "minors-sex-detail" }?.cells == minorsWithDetail)
        // Ages are generalised in the drop, so a minor is any row whose age label lies below 18.
        let ageColumn = header.firstIndex(of: "ageAtRegistration")!
        for row in rows.dropFirst() where !row[detail].isEmpty {
            let label = row[ageColumn]
            let upper = label.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.max()
            if let upper { #expect(upper >= 18, "a published minor keeps sexual-exploitation detail: \(label)") }
        }
    }
}
