import Foundation
import Recode
import TestSupport
import Testing

/// `htdx codes`: the lists a profile's map targets must come from, and the reference page.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct CodesCommandTests {
    @Test func docsCodesIsTheCommandsOutput() throws {
        let result = try HtdxProcess.run(["codes", "--markdown", "--all"])
        #expect(result.status == 0, "\(result.stderr)")
        let committed = try String(contentsOfFile: Repo.root.appendingPathComponent("Docs/Codes.md").path, encoding: .utf8)
        #expect(committed == result.stdout, "Docs/Codes.md is stale; run `htdx codes --markdown --all > Docs/Codes.md`")
        #expect(result.stdout.contains("CC BY 4.0"))
    }

    @Test(arguments: ["prs_Gender", "vic_TypeOfExploitation", "vic_MethodsOfControl"])
    func aPicklistPrintsEveryCodeInOrder(field: String) throws {
        let result = try HtdxProcess.run(["codes", field])
        #expect(result.status == 0, "\(result.stderr)")
        let codes = try #require(HTCDS.field(named: field)).codes
        let printed = result.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(printed == codes)
    }

    @Test func extensionCodesAreListed() throws {
        let result = try HtdxProcess.run(["codes", "ext_DataSource"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("CaseManagement") && result.stdout.contains("Hotline"))
    }

    @Test(arguments: ["prs_Citizenship", "ext_CountryOfExploitation"])
    func countryFieldsPointAtTheCountryList(field: String) throws {
        let result = try HtdxProcess.run(["codes", field])
        #expect(result.status == 0)
        #expect(result.stdout.contains("ISO 3166-1 alpha-2 or alpha-3; see htdx codes --countries"))
    }

    @Test func countriesListsEveryCode() throws {
        let result = try HtdxProcess.run(["codes", "--countries"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == ISO3166.countries.count)
        #expect(lines.contains("SN  SEN  Senegal"))
    }

    @Test func withoutAFieldListsTheCodedFieldsOnly() throws {
        let result = try HtdxProcess.run(["codes"])
        #expect(result.status == 0)
        let listed = Set(result.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) })
        let picklists = HTCDS.fields.filter { $0.kind == .picklist }.map(\.name)
        #expect(!picklists.isEmpty && Set(picklists).isSubset(of: listed))
        #expect(listed.contains("ext_DataSource") && listed.contains("prs_Citizenship"))
        #expect(!listed.contains("prs_FirstName") && !listed.contains("ext_PartnerReference"))
    }

    @Test func anUnknownFieldExits2WithASuggestion() throws {
        let result = try HtdxProcess.run(["codes", "vic_TypeOfExploitaton"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean vic_TypeOfExploitation?"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let uncoded = try HtdxProcess.run(["codes", "prs_FirstName"])
        #expect(uncoded.status == 2)
        #expect(uncoded.stderr.contains("has no codes"))
    }
}
