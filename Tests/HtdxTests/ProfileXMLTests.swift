import Foundation
import Ingest
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// The shipped XML profiles on their samples: exact canonical values, every record accepted, and
/// the same records whatever prefixes the document uses.
@Suite struct ProfileXMLTests {
    struct Read {
        var reference: String
        var file: String
        var values: [String: String]
        var rejection: Rejection?
    }

    func readAll(profile name: String, _ path: String) throws -> [Read] {
        let profile = try ProfileDocument.load(path: Repo.root.appendingPathComponent("Policies/partners/\(name).yaml").path).profile
        var reader = try ProfiledXMLReader(profile: profile, path: Repo.root.appendingPathComponent(path).path,
                                           codeBook: StandardCodeBook())
        var result: [Read] = []
        while try reader.next() {
            var values: [String: String] = [:]
            for (field, value) in zip(profile.canonicalFields, reader.values) { values[field] = value }
            result.append(Read(reference: reader.reference, file: reader.file, values: values, rejection: reader.rejection))
        }
        return result
    }

    @Test func hotlineBulkExport() throws {
        let records = try readAll(profile: "hotline", "Examples/partners/hotline.xml")
        #expect(records.count == 800)
        #expect(records.allSatisfy { $0.rejection == nil })
        let first = try #require(records.first)
        #expect(first.reference == "HL-000001")
        #expect(first.values == [
            "ext_IdentificationDate": "2015-01-02", "prs_Gender": "Feminine", "ext_ReportedAge": "43",
            "ext_AgeAtIdentification": "43", "prs_Citizenship": "TJ", "ext_CountryOfExploitation": "RU",
            "vic_TypeOfExploitation": "SexualExploitation", "vic_RelationshipToTrafficker": "Unaquainted",
            "ext_DataSource": "Hotline", "con_Consent": "TRUE",
        ])
        // Names and narratives are ignored at the door.
        let everything = records.flatMap { $0.values.values }.joined(separator: "|")
        #expect(!everything.contains("Madina") && !everything.contains("Toshmatov") && !everything.contains("flat"))
    }

    @Test func aDefaultNamespaceReadsTheSameAsAPrefix() throws {
        let records = try readAll(profile: "hotline", "Examples/partners/hotline-default-ns.xml")
        #expect(records.count == 50)
        #expect(records.allSatisfy { $0.rejection == nil && !$0.reference.isEmpty && $0.values["prs_Gender"] != "" })
    }

    @Test func xformSubmissionsOneRecordPerFile() throws {
        let records = try readAll(profile: "htcds-xform", "Examples/partners/xform")
        #expect(records.count == 150)
        #expect(records.allSatisfy { $0.rejection == nil })
        let first = try #require(records.first)
        #expect(first.file.hasSuffix("submission-0001.xml"))
        #expect(first.reference == "uuid:9a05fd58-7bf8-4aba-83b9-2fc1ed25a58d")
        #expect(first.values == [
            "con_Consent": "TRUE", "prs_Birthdate": "1998-04-29", "prs_Gender": "Feminine", "prs_Citizenship": "MM",
            "prs_MailingCountry": "", "vic_MethodOfRecruitment": "AtAPlaceOfBusiness",
            "vic_TraffickingStatus": "ActualVictimOfTrafficking", "vic_TraffickingStatusDecisionMakingOrg": "Police",
            "vic_MethodsOfControl": "WithholdsDocuments", "vic_TypeOfExploitation": "SexualExploitation",
            "vic_ForcedLabourIndustry": "", "vic_TypeOfSexExploitation": "Prostitution", "cas_Status": "FollowUp",
            "cas_IncomingReferralDate": "2015-03-16", "ext_DataSource": "CaseManagement",
        ])
        // A select_multiple answer is split on spaces into sorted codes.
        let multi = records.compactMap { $0.values["vic_MethodsOfControl"] }.filter { $0.contains(";") }
        #expect(!multi.isEmpty)
        for value in multi {
            let codes = value.split(separator: ";").map(String.init)
            #expect(codes == codes.sorted() && Set(codes).count == codes.count)
        }
    }

    @Test func allFourPartnersMergeIntoOneBalancedRun() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let policy = Repo.root.appendingPathComponent("Policies/partners.yaml").path
        let inputs = try [
            "casemgmt=Examples/partners/casemgmt.csv", "htcds-csv=Examples/partners/htcds-template.csv",
            "hotline=Examples/partners/hotline.xml", "htcds-xform=Examples/partners/xform",
        ].map { argument in
            let parts = argument.split(separator: "=", maxSplits: 1)
            return try RunInput.parse("\(parts[0])=\(Repo.root.appendingPathComponent(String(parts[1])).path)", policyPath: policy)
        }
        let report = try AnonymizeRun(policyPath: policy, inputs: inputs, outputDirectory: scratch.path("out")).run().report
        #expect(report.records.in == 1200 + 300 + 800 + 150)
        #expect(report.partners.values.map(\.read).reduce(0, +) == report.records.in)
        // Folding counts across the merged partners: a country rare in every partner is folded.
        let fold = try #require(report.rules.first { $0.name == "rare-exploitation-country" })
        #expect(fold.kind == "fold" && (fold.valuesFolded ?? 0) > 0 && (fold.cells ?? 0) > 0)
        for (_, p) in report.partners { #expect(p.read == p.accepted + p.rejected.values.reduce(0, +)) }
        #expect(report.records.in == report.records.rejected + report.records.excluded + report.records.suppressed + report.records.published)
        let rows = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ",")
        let qi = report.quasiIdentifiers.map { rows[0].firstIndex(of: $0)! }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }
        #expect(classes.values.allSatisfy { $0 >= report.k })
        #expect(rows.count - 1 == report.records.published)
    }
}
