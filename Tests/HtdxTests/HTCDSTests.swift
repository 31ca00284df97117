import Export
import Foundation
import Ingest
import Recode
import Tabular
import Testing

/// Where the generated tables come from: the repository (three levels above this file) and IOM's
/// reference sheets in `../shared/reference/htcds`, which the tests that need them skip without.
private enum HTCDSPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let reference = root.deletingLastPathComponent().appendingPathComponent("shared/reference/htcds")
    static func standard(_ version: String) -> String {
        reference.appendingPathComponent("field-standards-\(version).csv").path
    }
    static var hasReference: Bool {
        ["0.2", "1.0", "2.0"].allSatisfy { FileManager.default.fileExists(atPath: standard($0)) }
    }
    static func repo(_ path: String) -> String { root.appendingPathComponent(path).path }
}

/// Every record of a CSV file, header included, through the project's reader.
private func records(_ path: String) throws -> [[String]] {
    var reader = try CSVReader(path: path)
    var rows: [[String]] = []
    while try reader.next() {
        #expect(reader.rejectReason == nil, "\(path):\(reader.line): \(reader.rejectReason ?? "")")
        rows.append(reader.strings())
    }
    return rows
}

private func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

@Suite struct HTCDSCatalogueTests {
    /// Counts the 2.0 sheet's fields independently of the generator: a field row has an empty Section
    /// cell and a full name that is not the N/A of the example questions. The one stub row
    /// (`per_` `Organisation`, five cells) has no full name, so it is not counted.
    @Test(.enabled(if: HTCDSPaths.hasReference, "needs ../shared/reference/htcds"))
    func everyFieldOfTheV2SheetIsCatalogued() throws {
        let rows = try records(HTCDSPaths.standard("2.0")).dropFirst()
        let fieldRows = rows.filter { $0.count > 6 && $0[0].isEmpty && !trim($0[6]).isEmpty && trim($0[6]) != "N/A" }
        #expect(fieldRows.count == 83)
        #expect(HTCDS.fields.map(\.name) == fieldRows.map { trim($0[6]) })
        for row in fieldRows {
            let name = trim(row[6])
            guard let field = HTCDS.field(named: name) else {
                Issue.record("\(name) is in the 2.0 sheet but not in the catalogue")
                continue
            }
            #expect(field.label == trim(row[5]), "\(name)")
            #expect(field.isMultiSelect == (trim(row[7]) == "Multiselect Picklist"), "\(name)")
            if field.kind == .picklist {
                let codes = row[9].split(separator: "\n").map { trim(String($0)) }.filter { !$0.isEmpty }
                #expect(field.codes == codes, "\(name)")
                #expect(field.labels.count == codes.count, "\(name)")
            } else {
                #expect(field.codes.isEmpty, "\(name)")
            }
        }
    }

    @Test func genderHasTheSixV2CodesWithTrimmedLabels() throws {
        let gender = try #require(HTCDS.field(named: "prs_Gender"))
        #expect(gender.kind == .picklist && !gender.isMultiSelect && gender.isCore)
        #expect(gender.section == "Person")
        #expect(gender.codes == ["Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine",
                                 "NonConforming", "NonSpecifiedUnknown"])
        // The sheet ends five of these labels with a no-break space.
        #expect(gender.labels.first == "Feminine")
        #expect(gender.label(of: "NonConforming") == "Non-Conforming")
        #expect(gender.label(of: "NonSpecifiedUnknown") == "Not Specified/Unknown")
        #expect(gender.label(of: "Male") == nil)
    }

    @Test func multiSelectFlagsFollowTheFieldType() throws {
        let exploitation = try #require(HTCDS.field(named: "vic_TypeOfExploitation"))
        #expect(exploitation.isMultiSelect && exploitation.kind == .picklist)
        #expect(exploitation.codes.contains("SexualExploitation") && exploitation.codes.contains("ForcedLabour"))
        #expect(exploitation.codes.count == 11)
        #expect(exploitation.section == "Person - Victim Context")

        #expect(HTCDS.field(named: "vic_MethodsOfControl")?.isMultiSelect == true)
        let citizenship = try #require(HTCDS.field(named: "prs_Citizenship"))
        #expect(citizenship.kind == .country && citizenship.isMultiSelect && citizenship.codes.isEmpty)
        // Multi-select in 0.2, a single picklist since 1.0.
        let industry = try #require(HTCDS.field(named: "vic_ForcedLabourIndustry"))
        #expect(!industry.isMultiSelect && industry.codes.count == 21)
        #expect(HTCDS.field(named: "cas_Status")?.isMultiSelect == false)
    }

    @Test func kindsComeFromTypeValuesAndNotes() {
        #expect(HTCDS.field(named: "prs_Birthdate")?.kind == .date)
        #expect(HTCDS.field(named: "prs_Deceased")?.kind == .boolean)
        #expect(HTCDS.field(named: "prs_NumberOfChildren")?.kind == .number)
        #expect(HTCDS.field(named: "cco_CaseComment")?.kind == .longText)
        #expect(HTCDS.field(named: "org_ShippingLatitude")?.kind == .geolocation)
        #expect(HTCDS.field(named: "prs_MailingLatitude")?.kind == .number)  // the sheet types it Number
        #expect(HTCDS.field(named: "prs_MobilePhone")?.kind == .phone)
        #expect(HTCDS.field(named: "org_Phone")?.kind == .phone)
        #expect(HTCDS.field(named: "prs_Email")?.kind == .email)
        #expect(HTCDS.field(named: "prs_MailingCountry")?.kind == .country)
        #expect(HTCDS.field(named: "org_ShippingCountry")?.kind == .country)
        #expect(HTCDS.field(named: "org_ShippingState")?.kind == .text)
        #expect(HTCDS.field(named: "prs_PrimaryLanguage")?.kind == .language)
        #expect(HTCDS.field(named: "prs_PrimaryLanguage")?.codes == [])
        #expect(HTCDS.field(named: "vic_LocationOfRecruitment")?.kind == .lookup)
        #expect(HTCDS.field(named: "vic_LocationOfRecruitment")?.lookupTarget == "organisation")
        #expect(HTCDS.field(named: "cas_CaseOwner")?.lookupTarget == "user")
    }

    @Test func quirksOfTheSheetAreHandled() {
        // spl_Type's codes end in a line break; no empty code survives.
        #expect(HTCDS.field(named: "spl_Type")?.codes.count == 9)
        #expect(HTCDS.fields.allSatisfy { !$0.codes.contains("") })
        // The standard's own spelling is kept: it is the code partners' systems hold.
        #expect(HTCDS.field(named: "vic_RelationshipToTrafficker")?.codes.contains("Unaquainted") == true)
        // The per_ Organisation stub row is not a field; 0.2's prs_Nationality is not a 2.0 name.
        #expect(HTCDS.field(named: "per_Organisation") == nil)
        #expect(HTCDS.field(named: "prs_Nationality") == nil)
        #expect(HTCDS.field(named: "prs_gender") == nil)
        #expect(HTCDS.field(named: "vic_Vulnerabilities")?.isDeprecated == true)
        #expect(HTCDS.field(named: "vic_TypeOfExploitation")?.isDeprecated == false)
        #expect(Set(HTCDS.fields.map(\.name)).count == HTCDS.fields.count)
    }
}

@Suite struct HTCDSTranslationTests {
    @Test func v02CodesThatChanged() {
        #expect(HTCDS.translate("Male", field: "prs_Gender", from: .v0_2) == .translated("Masculine"))
        #expect(HTCDS.translate("Unknown", field: "prs_Gender", from: .v0_2) == .translated("NonSpecifiedUnknown"))
        #expect(HTCDS.translate("Work", field: "vic_MethodOfRecruitment", from: .v0_2) == .translated("AtWork"))
        #expect(HTCDS.translate("Transgender/NonConforming", field: "prs_Gender", from: .v0_2) == .noEquivalent)
        #expect(HTCDS.translate("IllegalAdoption", field: "vic_TypeOfExploitation", from: .v0_2) == .noEquivalent)
        #expect(HTCDS.translate("SexualExploitation", field: "vic_TypeOfExploitation", from: .v0_2) == .unchanged)
        // Exports leave trailing spaces, and no-break spaces from spreadsheets.
        #expect(HTCDS.translate("Male ", field: "prs_Gender", from: .v0_2) == .translated("Masculine"))
        #expect(HTCDS.translate("\u{00A0}Female\u{00A0}", field: "prs_Gender", from: .v0_2) == .translated("Feminine"))
        // Codes are exact otherwise, and 2.0's codes are not 0.2's.
        #expect(HTCDS.translate("male", field: "prs_Gender", from: .v0_2) == .unknownCode)
        #expect(HTCDS.translate("Masculine", field: "prs_Gender", from: .v0_2) == .unknownCode)
        #expect(HTCDS.translate("", field: "prs_Gender", from: .v0_2) == .unknownCode)
    }

    /// 1.0's picklists are 2.0's, code for code: no 1.0 code changes, so the 1.0 cases of "changed"
    /// and "no equivalent" are whole fields (the consent questions 2.0 folded into con_Consent).
    @Test func v10CodesAreAllUnchanged() {
        let mappings = HTCDS.codeMappings(from: .v1_0)
        #expect(mappings.count == 174)
        #expect(mappings.allSatisfy { $0.basis == .sameCode && $0.v2Code == $0.code })
        #expect(HTCDS.translate("SexualExploitation", field: "vic_TypeOfExploitation", from: .v1_0) == .unchanged)
        #expect(HTCDS.translate("NonSpecifiedUnknown", field: "prs_Gender", from: .v1_0) == .unchanged)
        #expect(HTCDS.translate("Male", field: "prs_Gender", from: .v1_0) == .unknownCode)
        #expect(HTCDS.translate("true", field: "con_PurposeOfInterview", from: .v1_0) == .noEquivalent)
        #expect(HTCDS.fieldMapping("con_PurposeOfInterview", from: .v1_0)?.basis == .noEquivalent)
        #expect(HTCDS.translate("true", field: "con_PurposeOfInterview", from: .v2_0) == .unknownField)
        #expect(HTCDS.translate("Agriculture", field: "prs_Sex", from: .v1_0) == .unknownField)
    }

    @Test func v02BasisCounts() {
        var counts: [HTCDSMappingBasis: Int] = [:]
        for m in HTCDS.codeMappings(from: .v0_2) { counts[m.basis, default: 0] += 1 }
        #expect(counts == [.sameCode: 136, .manual: 5, .noEquivalent: 8])
        #expect(HTCDS.codeMappings(from: .v2_0).isEmpty)
    }

    @Test func renamedAndNarrowedFields() throws {
        let nationality = try #require(HTCDS.fieldMapping("prs_Nationality", from: .v0_2))
        #expect(nationality.v2Name == "prs_Citizenship" && nationality.basis == .manual)
        #expect(HTCDS.translate(" UKR", field: "prs_Nationality", from: .v0_2) == .unchanged)
        #expect(HTCDS.translate("XK", field: "prs_Nationality", from: .v0_2) == .unchanged)
        #expect(HTCDS.translate("ZZ", field: "prs_Nationality", from: .v0_2) == .unknownCode)
        #expect(HTCDS.fieldMapping("prs_Citizenship", from: .v0_2) == nil)

        #expect(HTCDS.fieldMapping("vic_ForcedLabourIndustry", from: .v0_2)?.narrowsToSingleSelect == true)
        #expect(HTCDS.fieldMapping("vic_ForcedLabourIndustry", from: .v1_0)?.narrowsToSingleSelect == false)
        #expect(HTCDS.fieldMapping("vic_TypeOfExploitation", from: .v0_2)?.narrowsToSingleSelect == false)
        #expect(HTCDS.fieldMapping("prs_FirstName", from: .v2_0)?.v2Name == "prs_FirstName")
        #expect(HTCDS.translate("Amina", field: "prs_FirstName", from: .v0_2) == .unchanged)
    }

    @Test func v20ValuesAreCheckedNotTranslated() {
        #expect(HTCDS.translate("Masculine", field: "prs_Gender", from: .v2_0) == .unchanged)
        #expect(HTCDS.translate("Male", field: "prs_Gender", from: .v2_0) == .unknownCode)
        #expect(HTCDS.translate("ua", field: "prs_Citizenship", from: .v2_0) == .unchanged)
        #expect(HTCDS.translate("Ukraine", field: "prs_Citizenship", from: .v2_0) == .unknownCode)
    }

    /// The CSV tables under Policies/htcds are the reviewable copy of the generated Swift tables; both
    /// come from one run of the generator, and must agree row for row.
    @Test(arguments: [HTCDSVersion.v0_2, .v1_0])
    func shippedCSVMatchesTheTables(version: HTCDSVersion) throws {
        let rows = try records(HTCDSPaths.repo("Policies/htcds/translations-\(version.rawValue)-to-2.0.csv"))
        #expect(rows.first == ["field", "old_code", "new_code", "basis"])
        let expected = HTCDS.codeMappings(from: version).map { [$0.field, $0.code, $0.v2Code ?? "", $0.basis.rawValue] }
        #expect(Array(rows.dropFirst()) == expected)

        let fieldRows = try records(HTCDSPaths.repo("Policies/htcds/fields-\(version.rawValue)-to-2.0.csv"))
        #expect(fieldRows.first == ["old_field", "new_field", "basis", "note"])
        #expect(fieldRows.dropFirst().map { [$0[0], $0[1], $0[2]] }
                == HTCDS.fieldMappings(from: version).map { [$0.name, $0.v2Name ?? "", $0.basis.rawValue] })
    }

    @Test func lookupsAreSafeFromManyTasks() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    i.isMultiple(of: 2)
                        ? HTCDS.translate("Male", field: "prs_Gender", from: .v0_2) == .translated("Masculine")
                        : ISO3166.alpha2("ukr") == "UA"
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}

@Suite struct HTCDSISO3166Tests {
    @Test func alpha2AcceptsEitherCodeInAnyCase() {
        #expect(ISO3166.alpha2("UKR") == "UA")
        #expect(ISO3166.alpha2("ua") == "UA")
        #expect(ISO3166.alpha2("PHL ") == "PH")
        #expect(ISO3166.alpha2("\u{00A0}phl\t") == "PH")
        #expect(ISO3166.alpha3("UA") == "UKR")
        #expect(ISO3166.alpha3("ukr") == "UKR")
        #expect(ISO3166.name("UA") == "Ukraine")
        #expect(ISO3166.name("CIV") == "Côte d'Ivoire")
        #expect(ISO3166.country("UA")?.numeric == "804")
        #expect(ISO3166.country("AF")?.numeric == "004")
    }

    @Test func kosovoIsADocumentedAddition() throws {
        let kosovo = try #require(ISO3166.country("XK"))
        #expect(kosovo.alpha3 == "XKX" && kosovo.name == "Kosovo" && kosovo.numeric == nil && !kosovo.isISOAssigned)
        #expect(ISO3166.alpha2("xkx") == "XK")
        #expect(ISO3166.countries.filter { !$0.isISOAssigned }.map(\.alpha2) == ["XK"])
        #expect(ISO3166.countries.count == 250)  // iso-codes 4.15's 249, and Kosovo
    }

    @Test func anythingElseIsUnknown() {
        for code in ["ZZ", "ZZZ", "", " ", "U", "UKRA", "804", "Ukraine", "ÜA", "U A", "uk"] {
            #expect(ISO3166.alpha2(code) == nil, "\(code)")
        }
        #expect(ISO3166.alpha3("ZZ") == nil)
        #expect(ISO3166.name("ZZ") == nil)
    }

    @Test func tableIsSortedAndUnique() {
        let codes = ISO3166.countries.map(\.alpha2)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(Set(ISO3166.countries.map(\.alpha3)).count == codes.count)
    }
}

@Suite struct HTCDSGeneratedFileTests {
    private static func header(_ file: String) throws -> String {
        let text = try String(contentsOfFile: HTCDSPaths.repo("Sources/Recode/HTCDS/\(file)"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { $0.hasPrefix("//") || $0.isEmpty })
            .joined(separator: "\n")
    }

    /// Running the generator takes longer than a test should; instead the headers name the command
    /// and the sources, so a reader can re-run it and compare.
    @Test func headersNameTheGeneratorSourcesAndLicence() throws {
        let catalogue = try Self.header("HTCDSCatalogue+Generated.swift")
        #expect(catalogue.contains("swift Tools/htcds/generate.swift ../shared/reference/htcds Sources/Recode/HTCDS"))
        for file in ["field-standards-0.2.csv", "field-standards-1.0.csv", "field-standards-2.0.csv"] {
            #expect(catalogue.contains(file))
        }
        #expect(catalogue.contains("by IOM, licensed under CC BY 4.0"))
        #expect(!catalogue.contains("/work/") && !catalogue.contains("/tmp/"))

        let iso = try Self.header("ISO3166+Generated.swift")
        #expect(iso.contains("Tools/htcds/generate.swift") && iso.contains("iso_3166-1.json") && iso.contains("Kosovo"))
    }

    /// When the reference sheets are at hand, the hashes in the header must be theirs: otherwise the
    /// sheets changed and the tables need regenerating.
    @Test(.enabled(if: HTCDSPaths.hasReference, "needs ../shared/reference/htcds"))
    func catalogueWasGeneratedFromTheseSheets() throws {
        let catalogue = try Self.header("HTCDSCatalogue+Generated.swift")
        for version in ["0.2", "1.0", "2.0"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: HTCDSPaths.standard(version)))
            let line = "field-standards-\(version).csv  \(SHA256.hex(data))"
            #expect(catalogue.contains(line), "regenerate: swift Tools/htcds/generate.swift ../shared/reference/htcds Sources/Recode/HTCDS")
        }
    }
}
