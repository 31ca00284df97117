import Foundation
import Ingest
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// The shipped profiles accept the variants partners' exports are known to take
/// (Examples/partners/variants/), and still reject a value that is genuinely unknown.
@Suite struct ProfileVariantTests {
    typealias F = ProfileFixtures

    static func variant(_ name: String) -> String { F.sample("variants/\(name)") }

    /// Every record of an XML export or submissions directory through a shipped profile.
    static func readXML(_ profile: PartnerProfile, _ path: String) throws -> [ProfiledRecord] {
        var reader = try ProfiledXMLReader(profile: profile, path: path, codeBook: StandardCodeBook())
        var out: [ProfiledRecord] = []
        while try reader.next() {
            var values: [String: String] = [:]
            if reader.rejection == nil {
                for (n, v) in zip(profile.canonicalFields, reader.values) { values[n] = v }
            }
            out.append(ProfiledRecord(line: reader.line, reference: reader.reference, values: values, rejection: reader.rejection))
        }
        return out
    }

    static func read(_ profile: String, _ path: String) throws -> [ProfiledRecord] {
        let p = try F.shipped(profile)
        if case .csv = p.format { return try F.readAll(p, path) }
        return try readXML(p, path)
    }

    @Test(arguments: [("casemgmt", "casemgmt.csv", 5), ("hotline", "hotline.xml", 3),
                      ("htcds-csv", "htcds-template.csv", 3), ("htcds-xform", "xform", 2)])
    func everyVariantRecordIsAccepted(profile: String, file: String, count: Int) throws {
        let records = try Self.read(profile, Self.variant(file))
        #expect(records.count == count)
        #expect(records.allSatisfy { $0.rejection == nil }, "\(records.compactMap(\.rejection).map(\.category))")
    }

    @Test func casemgmtVariantsMeanWhatTheirUsualFormsMean() throws {
        let records = try Self.read("casemgmt", Self.variant("casemgmt.csv"))
        try #require(records.count == 5)
        let byRef = Dictionary(uniqueKeysWithValues: records.map { ($0.reference, $0.values) })
        let first = try #require(byRef["CMV-000001"])
        // ISO and dd/MM/yyyy cannot be confused: their separators differ.
        #expect(first["prs_Birthdate"] == "1990-03-14")
        #expect(first["ext_IdentificationDate"] == "2015-01-07")
        #expect(first["vic_TypeOfExploitation"] == "Servitude")
        #expect(first["vic_ForcedLabourIndustry"] == "T_ActivitiesOfHouseholdsAsEmployers")
        #expect(first["vic_MethodsOfControl"]?.split(separator: ";").sorted() == ["PhysicalThreats", "WithholdsDocuments"])
        #expect(first["vic_RelationshipToTrafficker"] == "Acquainted")
        let second = try #require(byRef["CMV-000002"])
        #expect(second["prs_Birthdate"] == "1985-08-12")
        #expect(second["vic_TypeOfExploitation"]?.split(separator: ";").sorted() == ["ForcedBegging", "ForcedLabour"])
        #expect(second["vic_MethodsOfControl"]?.split(separator: ";").sorted() == ["DebtBondage", "TakesEarnings"])
        let third = try #require(byRef["CMV-000003"])
        #expect(third["vic_TypeOfExploitation"]?.split(separator: ";").sorted() == ["ForcedLabour", "SexualExploitation"])
        #expect(third["vic_MethodsOfControl"]?.split(separator: ";").count == 3)
    }

    @Test func theHotlinesReportedElementIsIgnored() throws {
        let records = try Self.read("hotline", Self.variant("hotline.xml"))
        try #require(records.count == 3)
        #expect(records[0].values["ext_IdentificationDate"] == "2015-01-02", "the date is the call's, not <reported>")
        #expect(records[0].values["vic_RelationshipToTrafficker"] == "Acquainted")
        #expect(records[1].values["vic_RelationshipToTrafficker"] == "Acquainted")
        #expect(records[1].values["vic_TypeOfExploitation"]?.split(separator: ";").sorted() == ["ForcedBegging", "ForcedLabour"])
    }

    @Test func dateTimesKeepTheirDateAndCommaListsSplit() throws {
        let csv = try Self.read("htcds-csv", Self.variant("htcds-template.csv"))
        try #require(csv.count == 3)
        #expect(csv[0].values["prs_Birthdate"] == "2000-04-21")
        #expect(csv[0].values["vic_TypeOfExploitation"]?.split(separator: ";").sorted() == ["ForcedLabour", "SexualExploitation"])
        #expect(csv[1].values["cas_IncomingReferralDate"] == "2024-06-21")
        #expect(csv[2].values["prs_Citizenship"]?.split(separator: ";").sorted() == ["GT", "MX"])
        let xform = try Self.read("htcds-xform", Self.variant("xform"))
        try #require(xform.count == 2)
        #expect(xform.map { $0.values["cas_IncomingReferralDate"] } == ["2015-03-16", "2015-04-04"])
        #expect(xform[1].values["prs_Birthdate"] == "1988-08-01")
    }

    /// A copy of a variants fixture with `old` replaced by `new`, read through its profile: the
    /// categories of its rejections.
    func rejections(_ profile: String, _ file: String, _ old: String, _ new: String) throws -> [String] {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = try String(contentsOfFile: Self.variant(file), encoding: .utf8)
        let path = try scratch.write((file as NSString).lastPathComponent, try F.replacing(old, with: new, in: text))
        return try Self.read(profile, path).compactMap(\.rejection?.category)
    }

    @Test func aGenuinelyUnknownValueIsStillRejected() throws {
        #expect(try rejections("casemgmt", "casemgmt.csv", "forced_marriage", "smuggling")
                == ["vic_TypeOfExploitation: a value the profile's value map does not cover"])
        #expect(try rejections("casemgmt", "casemgmt.csv", ",partner,", ",neighbour,")
                == ["vic_RelationshipToTrafficker: a value the profile's value map does not cover"])
        // A birth date in neither layout, and one whose layout is known but whose month is not.
        #expect(try rejections("casemgmt", "casemgmt.csv", "17/04/1992", "1992.04.17").count == 1)
        #expect(try rejections("casemgmt", "casemgmt.csv", "1979-11-30", "1979-30-11").count == 1)
        // Lists split by a separator the profile does not name stay one unknown value.
        #expect(try rejections("casemgmt", "casemgmt.csv", "drugs;isolation;violence", "drugs/isolation/violence").count == 1)
        #expect(try rejections("hotline", "hotline.xml", "relation=\"family\"", "relation=\"neighbour\"").count == 1)
        #expect(try rejections("htcds-csv", "htcds-template.csv", "2024-06-21T09:30:00", "21 June 2024").count == 1)
        #expect(try rejections("htcds-csv", "htcds-template.csv", "\"ForcedLabour,SexualExploitation\"", "\"ForcedLabor,SexualExploitation\"").count == 1)
    }

    @Test func theVariantsPublishThroughThePartnersPolicyWithoutRejects() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let inputs = try ["casemgmt=\(Self.variant("casemgmt.csv"))", "hotline=\(Self.variant("hotline.xml"))",
                          "htcds-csv=\(Self.variant("htcds-template.csv"))", "htcds-xform=\(Self.variant("xform"))"]
            .map { try RunInput.parse($0, policyPath: F.partnersPolicy) }
        let out = scratch.path("drop")
        let outcome = try AnonymizeRun(policyPath: F.partnersPolicy, inputs: inputs, outputDirectory: out).run()
        let r = outcome.report
        #expect(r.records.in == 13)
        #expect(r.records.rejected == 0)
        #expect(r.partners.mapValues(\.accepted) == ["casemgmt": 5, "hotline": 3, "htcds-csv": 3, "htcds-xform": 2])
        #expect(FileManager.default.fileExists(atPath: out + "/anonymized.csv"))
    }
}
