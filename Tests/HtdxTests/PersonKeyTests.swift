import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// Records of one person, from one partner or several, are recognised by the profiles' person
/// key and counted once: rejected or kept by the policy's rule, with the accounting balanced.
@Suite struct PersonKeyTests {
    typealias F = PersonFixtures

    static func run(_ f: F, _ inputs: [(String, String)]) throws -> AnonymizeRun.Outcome {
        var run = try ReleaseJob.load(path: try f.job(inputs, key: "{file: secret/key}")).anonymizeRun()
        run.releaseDate = "2026-01-31"
        return try run.run()
    }

    static func balances(_ report: Report) -> Bool {
        let r = report.records
        return r.in == r.rejected + r.excluded + r.suppressed + (r.heldBack ?? 0) + r.published
    }

    /// One person in both exports, spelt differently (case, accents, order of names, spaces).
    static func twoPartners(_ f: F) throws {
        try f.keyFile()
        try f.profile("alpha")
        try f.profile("beta")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Masculine,30",
                               "A3,Bo,Ng,1970-07-07,VN,Masculine,40"])
        try f.export("beta", ["B1,SILVA, jose ,1990-01-02,UA,Feminine,25", "B2,Cy,Ode,1991-03-03,NG,Masculine,20",
                              "B3,Di,Roe,1992-04-04,US,Masculine,"])
    }

    @Test func theLaterRecordOfAPersonIsRejectedAcrossPartners() throws {
        let f = try F()
        defer { f.remove() }
        try Self.twoPartners(f)
        try f.policy(k: 2, suppressionLimit: 1)
        let report = try Self.run(f, [("alpha", "alpha.csv"), ("beta", "beta.csv")]).report
        #expect(Self.balances(report))
        #expect(report.records.in == 6)
        #expect(report.rejections["duplicate person"] == 1)
        #expect(report.partners["beta"]?.rejected["duplicate person"] == 1)
        #expect(report.persons == .init(rule: "reject", recordsWithKey: 6, recordsWithoutKey: 0, recordsNotChecked: 0, duplicates: 1,
                                        partnerPairs: [.init(partners: ["alpha", "beta"], persons: 1)]))
        // Reference duplicates are counted apart.
        #expect(report.duplicates?.rejected == 0)
        let rejects = try f.rejects()
        #expect(rejects.count == 1)
        #expect(rejects.first?[0] == "beta" && rejects.first?[2] == "2" && rejects.first?[5] == "duplicate person")
    }

    @Test func keepMostCompleteKeepsTheRecordWithMoreValuesAndTiesToTheEarlier() throws {
        let f = try F()
        defer { f.remove() }
        try Self.twoPartners(f)
        // A third record of the same person, as complete as beta's: the tie goes to beta's, the earlier.
        try f.export("gamma", ["C1,jose,silva,1990-01-02,UA,Feminine,26"])
        try f.profile("gamma")
        try f.policy(k: 2, suppressionLimit: 0, extra: "duplicatePersons: keepMostComplete")
        let outcome = try Self.run(f, [("alpha", "alpha.csv"), ("beta", "beta.csv"), ("gamma", "gamma.csv")])
        let report = outcome.report
        #expect(Self.balances(report))
        let reason = "duplicate person (kept a more complete record)"
        #expect(report.rejections[reason] == 2)
        #expect(report.persons?.duplicates == 2)
        #expect(report.persons?.partnerPairs == [.init(partners: ["alpha", "beta"], persons: 1), .init(partners: ["alpha", "gamma"], persons: 1),
                                                 .init(partners: ["beta", "gamma"], persons: 1)])
        // alpha's record lacks the age, so beta's is kept; gamma's ties with beta's and comes later.
        let rejected = try f.rejects().filter { $0[5] == reason }.map { "\($0[0]):\($0[2])" }
        #expect(Set(rejected) == ["alpha:2", "gamma:2"])
        // Pass 2 skipped exactly those: the kept record's age is published, the others' are not.
        let ages = try f.published("ext_ReportedAge")
        #expect(ages.contains("25") && !ages.contains("26"))
        #expect(ages.count == report.records.published)

        var explained = try ReleaseJob.load(path: f.path("job.yaml")).anonymizeRun()
        explained.sink = .explain(.every())
        let fates = try explained.run().fates
        #expect(fates.filter { $0.outcome == .rejected(field: "", reason: reason) }.count == 2)
    }

    /// Two records of one person would make the Feminine class reach k = 2; recognised as one
    /// person, the class holds one, and gender must be generalised.
    @Test func kCountsPeopleNotRecords() throws {
        let f = try F()
        defer { f.remove() }
        try Self.twoPartners(f)
        try f.policy(k: 2, suppressionLimit: 0)
        let recognised = try Self.run(f, [("alpha", "alpha.csv"), ("beta", "beta.csv")]).report
        #expect(recognised.transformation["prs_Gender"] == 1)
        #expect(Set(try f.published("prs_Gender")) == ["*"])

        // The same exports through profiles without a person key: the two records count twice. A
        // fresh start, so that the release history does not compare the two publications.
        for published in [f.path("out"), f.path("out.history")] { try? FileManager.default.removeItem(atPath: published) }
        try f.profile("alpha", personKey: false)
        try f.profile("beta", personKey: false)
        let unrecognised = try Self.run(f, [("alpha", "alpha.csv"), ("beta", "beta.csv")]).report
        #expect(unrecognised.transformation["prs_Gender"] == 0)
        #expect(unrecognised.persons == nil)
        #expect(unrecognised.records.published == recognised.records.published + 1)
    }

    @Test func aRecordMissingAFieldOfTheKeyIsNotMatchedButCounted() throws {
        let f = try F()
        defer { f.remove() }
        try f.keyFile()
        try f.profile("alpha")
        try f.profile("beta")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Masculine,30"])
        // The same person without a citizenship, and someone with no birth date.
        try f.export("beta", ["B1,José,Silva,1990-01-02,,Feminine,", "B2,Ann,Lee,,GB,Masculine,"])
        try f.policy(k: 2, suppressionLimit: 1)
        let report = try Self.run(f, [("alpha", "alpha.csv"), ("beta", "beta.csv")]).report
        #expect(report.persons?.recordsWithKey == 2)
        #expect(report.persons?.recordsWithoutKey == 2)
        #expect(report.persons?.duplicates == 0)
        #expect(report.rejections["duplicate person"] == nil)
        #expect(Self.balances(report))
    }

    @Test func aPersonSentTwiceByOnePartnerIsRecognisedToo() throws {
        let f = try F()
        defer { f.remove() }
        try f.keyFile()
        try f.profile("alpha")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Masculine,30",
                               "A3,jose,SILVA,1990-01-02,ua,Feminine,"])
        try f.policy(k: 2, suppressionLimit: 1)
        let report = try Self.run(f, [("alpha", "alpha.csv")]).report
        #expect(report.rejections["duplicate person"] == 1)
        #expect(report.persons?.partnerPairs == [])
        #expect(try f.rejects().map { $0[2] } == ["4"])
    }

    /// Spellings of one person's key that must agree, and keys that must not.
    @Test func thePersonKeysNormalFormsAgreeOnSpellingsOfOnePerson() {
        #expect(PseudonymText.names(["José  María", "Silva-Pérez"]) == "jose maria perez silva")
        #expect(PseudonymText.names(["SILVA PEREZ", "maria jose"]) == PseudonymText.names(["José  María", "Silva-Pérez"]))
        #expect(PseudonymText.names(["O'Brien", "Ａｎｎ"]) == "ann obrien")
        #expect(PseudonymText.names(["Ann"]) != PseudonymText.names(["Anne"]))
        #expect(PseudonymText.names([" ", "-"]) == "")
        #expect(PseudonymText.birthDate(" 1990-01-02 ") == "1990-01-02")
        #expect(PseudonymText.birthDate("02/01/1990") == nil && PseudonymText.birthDate("1990-01") == nil)
        #expect(PseudonymText.citizenship(" ua ") == "UA")
        #expect(PseudonymText.citizenship("UKR;md") == "MD;UKR" && PseudonymText.citizenship("MD;UKR") == "MD;UKR")
        #expect(PseudonymText.citizenship("Ukraine") == nil && PseudonymText.citizenship("") == nil)
    }

    /// The scan before pass 1 must leave repeated references out as pass 1 does: otherwise it
    /// would keep a record that pass 1 rejects as a duplicate reference, and lose the person.
    @Test func keepMostCompleteIgnoresARepeatedReferenceAsPassOneDoes() throws {
        let f = try F()
        defer { f.remove() }
        try f.keyFile()
        try f.profile("alpha")
        // A2 repeats A1's reference with more values: a duplicate reference, whatever its completeness.
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A1,José,Silva,1990-01-02,UA,Feminine,31",
                               "A3,Ann,Lee,1985-05-05,GB,Feminine,30"])
        try f.policy(k: 2, suppressionLimit: 0, extra: "duplicatePersons: keepMostComplete")
        let report = try Self.run(f, [("alpha", "alpha.csv")]).report
        #expect(report.rejections == ["duplicate reference": 1])
        #expect(report.persons?.recordsWithKey == 2 && report.persons?.duplicates == 0)
        #expect(report.records.published == 2)
        #expect(Self.balances(report))
    }

    @Test func aPersonKeyFieldTheProfileDoesNotFillIsRefused() throws {
        let f = try F()
        defer { f.remove() }
        let text = try String(contentsOfFile: try f.profile("alpha"), encoding: .utf8)
            .replacingOccurrences(of: "citizenship: prs_Citizenship", with: "citizenship: prs_Nationality")
        let p = try f.scratch.write("partners/alpha.yaml", text)
        let error = #expect(throws: RunError.self) { try RunInput.profiled(p, path: "unused.csv", policyPath: p, what: "test") }
        #expect(error?.description.contains("personKey: uses prs_Nationality, which this profile does not fill") == true)
    }
}
