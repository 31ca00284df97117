import Foundation
import Ingest
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// One record as a profiled reader yields it, copied out of the noncopyable reader.
struct ProfiledRecord {
    var line: Int
    var reference: String
    /// Canonical values by field name; empty when the record was rejected.
    var values: [String: String]
    var rejection: Rejection?
}

/// The shipped profiles and samples, and a way to read a whole file through a profile.
enum ProfileFixtures {
    static func sample(_ name: String) -> String { Repo.root.appendingPathComponent("Examples/partners/\(name)").path }
    static func profilePath(_ name: String) -> String { Repo.root.appendingPathComponent("Policies/partners/\(name).yaml").path }
    static var partnersPolicy: String { Repo.root.appendingPathComponent("Policies/partners.yaml").path }

    static func load(_ path: String) throws -> PartnerProfile { try ProfileDocument.load(path: path).profile }
    static func shipped(_ name: String) throws -> PartnerProfile { try load(profilePath(name)) }
    static func shippedText(_ name: String) throws -> String { try String(contentsOfFile: profilePath(name), encoding: .utf8) }

    /// Every record of `path` through `profile`, with the standard code book.
    static func readAll(_ profile: PartnerProfile, _ path: String) throws -> [ProfiledRecord] {
        var reader = try ProfiledCSVReader(profile: profile, path: path, codeBook: StandardCodeBook())
        let names = profile.canonicalFields
        var out: [ProfiledRecord] = []
        while try reader.next() {
            var values: [String: String] = [:]
            if reader.rejection == nil {
                precondition(reader.values.count == names.count, "a record must have one value per canonical field")
                for (n, v) in zip(names, reader.values) { values[n] = v }
            }
            out.append(ProfiledRecord(line: reader.line, reference: reader.reference, values: values, rejection: reader.rejection))
        }
        return out
    }

    /// The sample parsed independently of htdx's readers, as rows of column name → value.
    static func independentRows(_ path: String, headerRows: Int = 1) throws -> (names: [String], rows: [[String: String]]) {
        let rows = try readSimpleCSV(path, delimiter: ",")
        let names = rows[0]
        return (names, rows.dropFirst(headerRows).map { row in
            precondition(row.count == names.count, "the sample rows have the header's width")
            var d: [String: String] = [:]
            for (n, v) in zip(names, row) where !n.isEmpty { d[n] = v }
            return d
        })
    }

    /// `text` with `old` replaced by `new`, failing the test if `old` is not there exactly once.
    static func replacing(_ old: String, with new: String, in text: String) throws -> String {
        let parts = text.components(separatedBy: old)
        try #require(parts.count == 2, "the shipped profile should contain \(old) once")
        return parts.joined(separator: new)
    }
}

// MARK: - casemgmt

@Suite struct CaseManagementProfileTests {
    typealias F = ProfileFixtures

    static let fields = [
        "prs_Gender", "prs_Birthdate", "prs_Citizenship", "ext_CountryOfExploitation", "ext_IdentificationDate",
        "ext_AgeAtIdentification", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry", "vic_MethodsOfControl",
        "vic_RelationshipToTrafficker", "ext_DataSource", "con_Consent",
    ]

    @Test func theFirstRecordsHaveTheirCanonicalValues() throws {
        let profile = try F.shipped("casemgmt")
        #expect(profile.name == "casemgmt")
        #expect(profile.reference == "case_id")
        #expect(profile.ignored == ["full_name", "phone", "notes"])
        #expect(profile.canonicalFields == Self.fields)
        let records = try F.readAll(profile, F.sample("casemgmt.csv"))
        // CM-000001,"Wilson, Emily",10/05/1999,F,USA,ARE,2015-01-07,labour,fishing,false promises + threats,stranger,…
        let first = try #require(records.first)
        #expect(first.rejection == nil)
        #expect(first.reference == "CM-000001")
        #expect(first.line == 2)
        #expect(first.values == [
            "prs_Gender": "Feminine",
            "prs_Birthdate": "1999-05-10",
            "prs_Citizenship": "US",
            "ext_CountryOfExploitation": "AE",
            "ext_IdentificationDate": "2015-01-07",
            "ext_AgeAtIdentification": "15",  // 16 calendar years, but 7 January is before 10 May
            "vic_TypeOfExploitation": "ForcedLabour",
            "vic_ForcedLabourIndustry": "A_AgricultureForestryAndFishing",
            "vic_MethodsOfControl": "FalsePromises;PhysicalThreats",
            "vic_RelationshipToTrafficker": "Unaquainted",
            "ext_DataSource": "CaseManagement", "con_Consent": "TRUE",
        ])
        // CM-000004: sexual;criminal (mapped, then sorted), no sector, "violence + drugs", intimate partner.
        #expect(records[3].reference == "CM-000004")
        #expect(records[3].values == [
            "prs_Gender": "Feminine", "prs_Birthdate": "1995-02-24", "prs_Citizenship": "ID",
            "ext_CountryOfExploitation": "MY", "ext_IdentificationDate": "2015-01-28", "ext_AgeAtIdentification": "19",
            "vic_TypeOfExploitation": "Other;SexualExploitation", "vic_ForcedLabourIndustry": "",
            "vic_MethodsOfControl": "PhysicalAbuse;PsychoactiveSubstance", "vic_RelationshipToTrafficker": "Acquainted",
            "ext_DataSource": "CaseManagement", "con_Consent": "TRUE",
        ])
        // CM-000009: no nationality, born 1942, "domestic work", sexual;domestic.
        #expect(records[8].reference == "CM-000009")
        #expect(records[8].values == [
            "prs_Gender": "Feminine", "prs_Birthdate": "1942-07-03", "prs_Citizenship": "",
            "ext_CountryOfExploitation": "DE", "ext_IdentificationDate": "2015-02-20", "ext_AgeAtIdentification": "72",
            "vic_TypeOfExploitation": "Servitude;SexualExploitation",
            "vic_ForcedLabourIndustry": "T_ActivitiesOfHouseholdsAsEmployers",
            "vic_MethodsOfControl": "DebtBondage;FalsePromises", "vic_RelationshipToTrafficker": "Unaquainted",
            "ext_DataSource": "CaseManagement", "con_Consent": "TRUE",
        ])
        // CM-000014: no birth date, so no derived age; three means of control.
        #expect(records[13].reference == "CM-000014")
        #expect(records[13].values == [
            "prs_Gender": "Masculine", "prs_Birthdate": "", "prs_Citizenship": "NG",
            "ext_CountryOfExploitation": "NG", "ext_IdentificationDate": "2015-02-27", "ext_AgeAtIdentification": "",
            "vic_TypeOfExploitation": "Other", "vic_ForcedLabourIndustry": "",
            "vic_MethodsOfControl": "PhysicalThreats;ThreatensChildrenFamily;WithholdsNecessities",
            "vic_RelationshipToTrafficker": "Familial", "ext_DataSource": "CaseManagement", "con_Consent": "TRUE",
        ])
    }

    /// Every record is accepted, and for every record the values follow from its source row, parsed
    /// independently: references, dates, gender, derived age and both lists.
    @Test func everyRecordIsAcceptedAndFollowsItsSourceRow() throws {
        let profile = try F.shipped("casemgmt")
        let records = try F.readAll(profile, F.sample("casemgmt.csv"))
        let source = try F.independentRows(F.sample("casemgmt.csv"))
        #expect(records.count == 1200)
        #expect(source.rows.count == 1200)
        #expect(records.filter { $0.rejection != nil }.isEmpty, "\(records.compactMap(\.rejection).prefix(3))")
        let gender = ["F": "Feminine", "M": "Masculine", "X": "NonSpecifiedUnknown", "": ""]
        let types = ["sexual": "SexualExploitation", "labour": "ForcedLabour", "begging": "ForcedBegging",
                     "marriage": "ForcedMarriage", "domestic": "Servitude", "criminal": "Other", "other": "Other"]
        let means = ["confiscated documents": "WithholdsDocuments", "debt bondage": "DebtBondage",
                     "denied medical care": "RestrictsMedicalCare", "drugs": "PsychoactiveSubstance",
                     "excessive hours": "ExcessiveWorkingHours", "false promises": "FalsePromises",
                     "food withheld": "WithholdsNecessities", "isolation": "PsychologicalAbuse",
                     "no access to money": "RestrictsFinancialAccess", "sexual abuse": "SexualAbuse",
                     "threat of deportation": "ThreatsLawEnforcement", "threats": "PhysicalThreats",
                     "threats to family": "ThreatensChildrenFamily", "violence": "PhysicalAbuse",
                     "withheld wages": "TakesEarnings"]
        func list(_ text: String, _ separator: String, _ map: [String: String]) -> String? {
            var out = Set<String>()
            for piece in text.components(separatedBy: separator) where !piece.isEmpty {
                guard let v = map[piece] else { return nil }
                out.insert(v)
            }
            return out.sorted().joined(separator: ";")
        }
        var checked = 0
        for (i, (record, row)) in zip(records, source.rows).enumerated() {
            let v = record.values
            #expect(record.reference == row["case_id"] && record.reference == String(format: "CM-%06d", i + 1))
            #expect(v["prs_Gender"] == gender[row["sex"]!], "\(record.reference)")
            #expect(v["ext_IdentificationDate"] == row["date_identified"], "\(record.reference)")
            let dob = row["date_of_birth"]!
            if dob.isEmpty {
                #expect(v["prs_Birthdate"] == "" && v["ext_AgeAtIdentification"] == "", "\(record.reference)")
            } else {
                let d = dob.split(separator: "/").map { Int($0)! }  // dd/MM/yyyy
                let at = row["date_identified"]!.split(separator: "-").map { Int($0)! }
                #expect(v["prs_Birthdate"] == String(format: "%04d-%02d-%02d", d[2], d[1], d[0]), "\(record.reference)")
                let age = at[0] - d[2] - ((at[1], at[2]) < (d[1], d[0]) ? 1 : 0)
                #expect(v["ext_AgeAtIdentification"] == String(age), "\(record.reference)")
            }
            #expect(v["prs_Citizenship"]!.isEmpty == row["nationality"]!.isEmpty, "\(record.reference)")
            for country in [v["prs_Citizenship"]!, v["ext_CountryOfExploitation"]!] where !country.isEmpty {
                #expect(country.count == 2 && country.allSatisfy { $0.isASCII && $0.isUppercase }, "\(record.reference): \(country)")
            }
            #expect(v["vic_TypeOfExploitation"] == list(row["exploitation_types"]!, ";", types), "\(record.reference)")
            #expect(v["vic_MethodsOfControl"] == list(row["means_of_control"]!, " + ", means), "\(record.reference)")
            #expect(v["ext_DataSource"] == "CaseManagement")
            checked += 1
        }
        #expect(checked == 1200)
        // The first 3-letter codes do become their alpha-2 codes, by an independent table of the sample's commonest.
        let alpha2 = ["UKR": "UA", "PHL": "PH", "NGA": "NG", "VNM": "VN", "GBR": "GB", "USA": "US", "THA": "TH", "MYS": "MY"]
        for (record, row) in zip(records, source.rows) {
            if let a2 = alpha2[row["nationality"]!] { #expect(record.values["prs_Citizenship"] == a2) }
            if let a2 = alpha2[row["country_of_exploitation"]!] { #expect(record.values["ext_CountryOfExploitation"] == a2) }
        }
    }

    @Test func theIdentifyingColumnsReachNoCanonicalValue() throws {
        let records = try F.readAll(try F.shipped("casemgmt"), F.sample("casemgmt.csv"))
        let source = try F.independentRows(F.sample("casemgmt.csv"))
        var identifying = Set<String>()
        for row in source.rows {
            for c in ["full_name", "phone", "notes"] where !row[c]!.isEmpty { identifying.insert(row[c]!) }
        }
        #expect(identifying.count > 2000)
        #expect(identifying.contains("Wilson, Emily") && identifying.contains("+000 499 149 4556"))
        for (record, row) in zip(records, source.rows) {
            for value in record.values.values {
                #expect(!identifying.contains(value))
                for piece in value.split(separator: ";") { #expect(!identifying.contains(String(piece))) }
                // Nor inside a value: the record's own name and phone, and each word of its name.
                for c in ["full_name", "phone"] where !row[c]!.isEmpty { #expect(!value.contains(row[c]!)) }
                for word in row["full_name"]!.split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
                    #expect(!value.contains(word), "\(record.reference): \(value) holds \(word)")
                }
            }
        }
    }

    /// Lists are mapped, then deduplicated and sorted: several source words that map to one code
    /// give that code once, and empty pieces are dropped.
    @Test func listsAreMappedDeduplicatedAndSorted() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let header = "case_id,full_name,date_of_birth,sex,nationality,country_of_exploitation,date_identified,exploitation_types,labour_sector,means_of_control,recruiter_relation,phone,notes"
        let csv = try scratch.write("lists.csv", header + "\n"
            + "L-1,A B,29/02/2000,X,UA,UKR,2020-02-28,criminal;other;criminal,,threats + violence + threats,,,\n"
            + "L-2,C D,01/03/2000,M,MDA,MD,2020-03-01,sexual;;labour,mining,debt bondage + debt bondage,friend,,\n")
        let records = try F.readAll(try F.shipped("casemgmt"), csv)
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.rejection == nil }, "\(records.compactMap(\.rejection))")
        #expect(records[0].values["vic_TypeOfExploitation"] == "Other")
        #expect(records[0].values["vic_MethodsOfControl"] == "PhysicalAbuse;PhysicalThreats")
        #expect(records[0].values["prs_Birthdate"] == "2000-02-29")  // a real leap day
        #expect(records[0].values["ext_AgeAtIdentification"] == "19")  // a day before the 20th birthday
        #expect(records[0].values["prs_Gender"] == "NonSpecifiedUnknown")
        #expect(records[0].values["prs_Citizenship"] == "UA" && records[0].values["ext_CountryOfExploitation"] == "UA")
        #expect(records[1].values["vic_TypeOfExploitation"] == "ForcedLabour;SexualExploitation")
        #expect(records[1].values["vic_MethodsOfControl"] == "DebtBondage")
        #expect(records[1].values["ext_AgeAtIdentification"] == "20")  // on the birthday itself
        #expect(records[1].values["prs_Citizenship"] == "MD" && records[1].values["vic_ForcedLabourIndustry"] == "B_MiningAndQuarrying")
        #expect(records[1].values["vic_RelationshipToTrafficker"] == "Acquainted")
    }
}

// MARK: - encodings

@Suite struct ProfileEncodingTests {
    typealias F = ProfileFixtures

    /// The casemgmt profile, but Latin-1 and with `full_name` mapped to `prs_FirstName` instead of
    /// ignored, so that the decoding of names can be seen.
    static func latin1Profile(_ scratch: Scratch, encoding: String = "latin-1") throws -> PartnerProfile {
        var text = try F.shippedText("casemgmt")
        text = try F.replacing("encoding: utf-8", with: "encoding: \(encoding)", in: text)
        text = try F.replacing("ignore: [full_name, phone, notes]", with: "ignore: [phone, notes]", in: text)
        if !text.hasSuffix("\n") { text += "\n" }
        text += "  prs_FirstName: {from: full_name, type: text}\n"
        let profile = try F.load(try scratch.write("casemgmt-\(encoding).yaml", text))
        guard case .csv(let layout) = profile.format else { throw ProfileTestFailure("not a csv profile") }
        #expect(layout.encoding == TextEncoding(rawValue: encoding))
        #expect(profile.ignored == ["phone", "notes"])
        #expect(profile.canonicalFields == CaseManagementProfileTests.fields + ["prs_FirstName"])
        return profile
    }

    @Test func latin1NamesDecodeAndEveryRecordIsRead() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = F.sample("casemgmt-latin1.csv")
        // The sample, decoded as Latin-1 by Foundation and re-saved as UTF-8, is the independent truth.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(String(data: bytes, encoding: .utf8) == nil, "the sample is not valid UTF-8")
        #expect(bytes.contains(13) && !bytes.contains(where: { (0x80...0x9F).contains($0) }))
        let decoded = try #require(String(data: bytes, encoding: .isoLatin1))
        let truth = try F.independentRows(try scratch.write("decoded.csv", decoded))
        #expect(truth.rows.count == 60)
        let names = truth.rows.map { $0["full_name"]! }
        for accent in ["é", "ñ", "ü", "ç"] { #expect(names.contains { $0.contains(accent) }, "some name has \(accent)") }

        let records = try F.readAll(try Self.latin1Profile(scratch), path)
        #expect(records.count == 60)
        #expect(records.filter { $0.rejection != nil }.isEmpty, "\(records.compactMap(\.rejection).prefix(3))")
        #expect(records.map(\.reference) == truth.rows.map { $0["case_id"]! })
        #expect(records.map { $0.values["prs_FirstName"] ?? "?" } == names)
        // Named, from the file: CM-000001, CM-000013, CM-000024.
        #expect(names[0] == "In\u{E9}s Hern\u{E1}ndez" && records[0].values["prs_FirstName"] == "Inés Hernández")
        #expect(names[12] == "M\u{FC}ge \u{C7}elik" && records[12].values["prs_FirstName"] == "Müge Çelik")
        #expect(names[23] == "I\u{F1}igo Ib\u{E1}\u{F1}ez" && records[23].values["prs_FirstName"] == "Iñigo Ibáñez")
        #expect(records.allSatisfy { !($0.values["prs_FirstName"] ?? "").contains("\u{FFFD}") })
        // The quoted "Family, Given" form keeps its comma; CRLF line ends leave no CR behind.
        #expect(records[33].values["prs_FirstName"] == "Hernández, Iñigo")
        #expect(records.allSatisfy { r in r.values.values.allSatisfy { !$0.contains("\r") && !$0.contains("\n") } })
        // The other fields are read as in the UTF-8 export: CM-000001 is F, 02/11/1990, HND, USA, 2015-01-30.
        #expect(records[0].values["prs_Gender"] == "Feminine" && records[0].values["prs_Birthdate"] == "1990-11-02")
        #expect(records[0].values["prs_Citizenship"] == "HN" && records[0].values["ext_CountryOfExploitation"] == "US")
        #expect(records[0].values["ext_AgeAtIdentification"] == "24" && records[0].values["vic_RelationshipToTrafficker"] == "Acquainted")
    }

    /// Windows-1252 agrees with Latin-1 on this file (it has no byte in 0x80–0x9F).
    @Test func windows1252ReadsTheLatin1SampleIdentically() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = F.sample("casemgmt-latin1.csv")
        let latin1 = try F.readAll(try Self.latin1Profile(scratch), path)
        let cp1252 = try F.readAll(try Self.latin1Profile(scratch, encoding: "windows-1252"), path)
        #expect(latin1.map(\.values) == cp1252.map(\.values))
        #expect(cp1252.count == 60)
    }

    @Test func theLatin1SampleReadAsUTF8IsAnInvalidUTF8DataError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = F.sample("casemgmt-latin1.csv")
        var reader = try ProfiledCSVReader(profile: try Self.latin1Profile(scratch, encoding: "utf-8"), path: path,
                                           codeBook: StandardCodeBook())
        var read = 0
        do {
            while try reader.next() { read += 1 }
            Issue.record("expected invalid UTF-8, but \(read) records were read")
        } catch {
            // The reader throws CSVError, typed: CM-000001's name is the first non-ASCII byte: line 2, field 2.
            #expect(error.problem == .invalidUTF8(field: 2), "\(error)")
            #expect(error.line == 2)
            #expect(error.description.contains("casemgmt-latin1.csv:2") && error.description.contains("UTF-8"))
        }
        #expect(read == 0)
    }

    @Test func aBOMDoesNotSpoilTheFirstColumnName() throws {
        let path = F.sample("casemgmt-bom.csv")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let records = try F.readAll(try F.shipped("casemgmt"), path)
        #expect(records.count == 40)
        #expect(records.filter { $0.rejection != nil }.isEmpty, "\(records.compactMap(\.rejection).prefix(3))")
        #expect(records.map(\.reference) == (1...40).map { String(format: "CM-%06d", $0) })
        // CM-000001,Megan Taylor,06/02/1979,F,GBR,GBR,2015-11-18,criminal;labour,manufacturing,isolation + threats + drugs,family
        #expect(records[0].values == [
            "prs_Gender": "Feminine", "prs_Birthdate": "1979-02-06", "prs_Citizenship": "GB",
            "ext_CountryOfExploitation": "GB", "ext_IdentificationDate": "2015-11-18", "ext_AgeAtIdentification": "36",
            "vic_TypeOfExploitation": "ForcedLabour;Other", "vic_ForcedLabourIndustry": "C_Manufacturing",
            "vic_MethodsOfControl": "PhysicalThreats;PsychoactiveSubstance;PsychologicalAbuse",
            "vic_RelationshipToTrafficker": "Familial", "ext_DataSource": "CaseManagement", "con_Consent": "TRUE",
        ])
    }
}

// MARK: - the HTCDS template

@Suite struct HTCDSTemplateProfileTests {
    typealias F = ProfileFixtures

    /// Canonical field → the template column that fills it, as the sample's header names it.
    static let sources: [String: String] = [
        "con_Consent": "con_Consent", "prs_Birthdate": "prs_Birthdate", "prs_Gender": "prs_Gender",
        "prs_Citizenship": "prs_Citizenship", "prs_MailingCountry": "prs_MailingCountry",
        "vic_TraffickingStatus": "vic_TraffickingStatus",
        "vic_TraffickingStatusDecisionMakingOrg": "vic_TraffickinStatusDecisionMakingOrg",
        "vic_MethodOfRecruitment": "vic_MethodOfRecruitment", "vic_MethodsOfControl": "vic_MethodsOfControl",
        "vic_TypeOfExploitation": "vic_TypeOfExploitation", "vic_ForcedLabourIndustry": "vic_ForcedLabourIndustry",
        "vic_TypeOfSexExploitation": "vic_TypeOfSexExploitation", "cas_Status": "cas_Status",
        "cas_IncomingReferralDate": "cas_IncomingReferralDate",
        "cas_ReasonForIncomingReferral": "cas_ReasonForIncomingReferral",
        "cas_OutgoingReferralDate": "cas_OutgoingReferralDate",
    ]
    static let multi: Set<String> = ["prs_Citizenship", "vic_MethodOfRecruitment", "vic_MethodsOfControl",
                                     "vic_TypeOfExploitation", "vic_TypeOfSexExploitation"]

    @Test func everyRecordIsReadWithTheTemplatesQuirksHandled() throws {
        let path = F.sample("htcds-template.csv")
        let records = try F.readAll(try F.shipped("htcds-csv"), path)
        #expect(records.count == 300)
        #expect(records.filter { $0.rejection != nil }.isEmpty, "\(records.compactMap(\.rejection).prefix(3))")
        // Data starts on line 3, after the two header rows.
        #expect(records.first?.line == 3)

        // The first record, by hand from the file.
        #expect(records[0].values == [
            "con_Consent": "TRUE", "prs_Birthdate": "1994-06-15", "prs_Gender": "Masculine", "prs_Citizenship": "GT",
            "prs_MailingCountry": "US", "vic_TraffickingStatus": "ActualVictimOfTrafficking",
            "vic_TraffickingStatusDecisionMakingOrg": "NonPoliceGovernmentalOrganization",
            "vic_MethodOfRecruitment": "ThroughAnOnlineAdvertisement", "vic_MethodsOfControl": "WithholdsDocuments",
            "vic_TypeOfExploitation": "ForcedLabour", "vic_ForcedLabourIndustry": "C_Manufacturing",
            "vic_TypeOfSexExploitation": "", "cas_Status": "ClosedReferred", "cas_IncomingReferralDate": "",
            "cas_ReasonForIncomingReferral": "", "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired",
            "cas_OutgoingReferralDate": "2023-12-16",
            "ext_DataSource": "CaseManagement",
        ])
        // Record 71: citizenship "SY;RU" becomes sorted.
        #expect(records[70].values["prs_Citizenship"] == "RU;SY")
        // Trailing spaces: record 3 "F_Construction ", record 8 "Masculine ",
        // record 79 "RestrictsFinancialAccess ;ExcessiveWorkingHours".
        #expect(records[2].values["vic_ForcedLabourIndustry"] == "F_Construction")
        #expect(records[7].values["prs_Gender"] == "Masculine")
        #expect(records[78].values["vic_MethodsOfControl"] == "ExcessiveWorkingHours;RestrictsFinancialAccess")
    }

    /// For every record and field, the canonical value is the source cell of the column the profile
    /// names (the misspelt one, and the nameless 36th), trimmed, and for a multi-select split, sorted
    /// and deduplicated. The sample is parsed independently.
    @Test func everyValueFollowsItsSourceCell() throws {
        let path = F.sample("htcds-template.csv")
        let records = try F.readAll(try F.shipped("htcds-csv"), path)
        let all = try readSimpleCSV(path, delimiter: ",")
        let header = all[0]
        let rows = Array(all.dropFirst(2))
        #expect(rows.count == 300 && header.count == 39)
        #expect(header[0] == "" && header[35] == "" && header[19] == "vic_TraffickinStatusDecisionMakingOrg")
        #expect(all[1][35] == "Reason for Outgoing Referral")
        func expected(_ cell: String, multi: Bool) -> String {
            let pieces = (multi ? cell.components(separatedBy: ";") : [cell])
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return multi ? Set(pieces).sorted().joined(separator: ";") : (pieces.first ?? "")
        }
        var trailing = 0, dual = 0, outgoing = 0, decision = 0
        for (record, row) in zip(records, rows) {
            for (canonical, column) in Self.sources {
                let cell = row[try #require(header.firstIndex(of: column))]
                if cell != cell.trimmingCharacters(in: .whitespaces) || cell.contains(" ;") { trailing += 1 }
                #expect(record.values[canonical] == expected(cell, multi: Self.multi.contains(canonical)),
                        "line \(record.line) \(canonical): \(cell)")
            }
            #expect(record.values["cas_ReasonForOutgoingReferral"] == expected(row[35], multi: false))
            #expect(record.values["ext_DataSource"] == "CaseManagement")
            if row[8].contains(";") { dual += 1 }
            if !row[35].isEmpty { outgoing += 1 }
            if !row[19].isEmpty { decision += 1 }
        }
        // The properties above were exercised, not vacuous.
        #expect(trailing >= 20 && dual >= 10 && outgoing >= 10 && decision >= 100, "\(trailing) \(dual) \(outgoing) \(decision)")
        #expect(records.allSatisfy { r in r.values.values.allSatisfy { $0 == $0.trimmingCharacters(in: .whitespaces) } })
    }

    @Test func theIgnoredColumnsReachNoCanonicalValue() throws {
        let path = F.sample("htcds-template.csv")
        let profile = try F.shipped("htcds-csv")
        let records = try F.readAll(profile, path)
        let all = try readSimpleCSV(path, delimiter: ",")
        let header = all[0]
        var ignored = Set<String>()
        for row in all.dropFirst(2) {
            for (i, name) in header.enumerated() where profile.ignored.contains(name.isEmpty ? "#\(i + 1)" : name) {
                let v = row[i].trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { ignored.insert(v) }
            }
        }
        #expect(ignored.contains("Carlos") && ignored.contains("74 Chapel Walk") && ignored.count > 500)
        for record in records {
            for value in record.values.values {
                #expect(!ignored.contains(value), "line \(record.line): \(value)")
            }
        }
    }
}

// MARK: - rejections

@Suite struct ProfileRejectionTests {
    typealias F = ProfileFixtures

    static let profile = """
        version: 1
        partner: tiny
        format: csv
        reference: id
        fields:
          prs_Gender: {from: sex, map: {F: Feminine, M: Masculine}}
          prs_Birthdate: {from: dob, format: dd/MM/yyyy}
          prs_Citizenship: {from: nat}
          ext_IdentificationDate: {from: seen}
          ext_AgeAtIdentification: {age: {birth: prs_Birthdate, at: ext_IdentificationDate}}
          vic_TypeOfExploitation: {from: types, split: ";"}

        """

    @Test func rejectionsNameFieldAndReasonButNoValue() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try F.load(try scratch.write("tiny.yaml", Self.profile))
        let csv = try scratch.write("tiny.csv", """
            id,sex,dob,nat,seen,types
            T-1,F,01/02/2000,UKR,2020-05-01,ForcedLabour
            T-2,Q,01/02/2000,UKR,2020-05-01,ForcedLabour
            T-3,M,31/02/2020,UKR,2020-05-01,ForcedLabour
            T-4,M,01/02/2000,ZZZ,2020-05-01,ForcedLabour
            T-5,M,01/02/2000,UKR,2020-05-01,Slavery
            T-6,F,29/02/2020,UA,2020-05-01,ForcedLabour;SexualExploitation;ForcedLabour
            T-7,F,01/02/2021,UA,2020-05-01,ForcedLabour
            T-8,F,01/02/2000,UA,05/01/2020,ForcedLabour

            """)
        let records = try F.readAll(profile, csv)
        #expect(records.map(\.reference) == (1...8).map { "T-\($0)" })
        #expect(records.map(\.line) == Array(2...9))
        #expect(records[0].rejection == nil)
        #expect(records[0].values == ["prs_Gender": "Feminine", "prs_Birthdate": "2000-02-01", "prs_Citizenship": "UA",
                                      "ext_IdentificationDate": "2020-05-01", "ext_AgeAtIdentification": "20",
                                      "vic_TypeOfExploitation": "ForcedLabour"])
        #expect(records[5].rejection == nil)
        #expect(records[5].values["prs_Birthdate"] == "2020-02-29")
        #expect(records[5].values["vic_TypeOfExploitation"] == "ForcedLabour;SexualExploitation")

        let unmapped = try #require(records[1].rejection)
        #expect(unmapped.field == "prs_Gender")
        #expect(unmapped.reason.contains("value map"))
        #expect(!unmapped.reason.contains("Q") && !unmapped.category.contains("Q"))
        #expect(records[1].values.isEmpty)

        let date = try #require(records[2].rejection)
        #expect(date.field == "prs_Birthdate" && date.reason.contains("dd/MM/yyyy"))
        #expect(!date.reason.contains("31/02") && !date.reason.contains("2020"))

        let country = try #require(records[3].rejection)
        #expect(country.field == "prs_Citizenship" && country.reason.contains("ISO 3166"))
        #expect(!country.reason.contains("ZZZ"))

        let code = try #require(records[4].rejection)
        #expect(code.field == "vic_TypeOfExploitation" && code.reason.contains("code list"))
        #expect(!code.reason.contains("Slavery"))

        // Born after identification: the derived age is refused rather than published negative.
        let age = try #require(records[6].rejection)
        #expect(age.field == "ext_AgeAtIdentification")

        let identified = try #require(records[7].rejection)
        #expect(identified.field == "ext_IdentificationDate" && identified.reason.contains("yyyy-MM-dd"))
    }

    @Test func v02CodesAreTranslatedOrRejected() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try F.load(try scratch.write("old.yaml", """
            version: 1
            partner: legacy
            format: csv
            standard: "0.2"
            reference: id
            fields:
              prs_Gender: sex
              vic_TypeOfExploitation: {from: types, split: ";"}

            """))
        #expect(profile.standard == "0.2")
        let csv = try scratch.write("old.csv", """
            id,sex,types
            V-1,Male,ForcedLabour
            V-2,Female,SexualExploitation;Other
            V-3,Unknown,ForcedBegging
            V-4,Transgender/NonConforming,ForcedLabour
            V-5,Male,IllicitActivities
            V-6,Masculine,ForcedLabour

            """)
        let records = try F.readAll(profile, csv)
        #expect(records.count == 6)
        #expect(records[0].rejection == nil && records[0].values["prs_Gender"] == "Masculine")
        #expect(records[0].values["vic_TypeOfExploitation"] == "ForcedLabour")
        #expect(records[1].rejection == nil && records[1].values["prs_Gender"] == "Feminine")
        #expect(records[1].values["vic_TypeOfExploitation"] == "Other;SexualExploitation")
        #expect(records[2].rejection == nil && records[2].values["prs_Gender"] == "NonSpecifiedUnknown")
        let trans = try #require(records[3].rejection)
        #expect(trans.field == "prs_Gender" && trans.reason.contains("no v2.0 equivalent"))
        #expect(!trans.reason.contains("Transgender"))
        let illicit = try #require(records[4].rejection)
        #expect(illicit.field == "vic_TypeOfExploitation" && illicit.reason.contains("no v2.0 equivalent"))
        // A v2 code is not a v0.2 code: a partner who says 0.2 must send 0.2.
        let v2 = try #require(records[5].rejection)
        #expect(v2.field == "prs_Gender")
    }

    /// HTCDS 1.0 changed no picklist code on the way to 2.0 (Policies/htcds/README.md), so a 1.0
    /// partner's codes arrive unchanged; what the 1.0 table decides is what a 1.0 partner may send.
    /// A 0.2 word is not a 1.0 code and is rejected, where a 0.2 profile would have translated it.
    @Test func v10CodesGoThroughTheirOwnTable() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try F.load(try scratch.write("v1.yaml", """
            version: 1
            partner: v1
            format: csv
            standard: "1.0"
            reference: id
            fields:
              prs_Gender: sex
              vic_TypeOfExploitation: {from: types, split: ";"}
              prs_MaritalStatus: marital

            """))
        #expect(profile.standard == "1.0")
        let csv = try scratch.write("v1.csv", """
            id,sex,types,marital
            V-1,TransgenderFeminine,ForcedLabour;SexualExploitation,
            V-2,NonSpecifiedUnknown,ForcedMarriage,
            V-3,Male,ForcedLabour,
            V-4,Feminine,IllicitActivities,

            """)
        let records = try F.readAll(profile, csv)
        #expect(records.count == 4)
        #expect(records[0].rejection == nil && records[0].values["prs_Gender"] == "TransgenderFeminine")
        #expect(records[0].values["vic_TypeOfExploitation"] == "ForcedLabour;SexualExploitation")
        #expect(records[1].rejection == nil && records[1].values["prs_Gender"] == "NonSpecifiedUnknown")
        let male = try #require(records[2].rejection)
        #expect(male.field == "prs_Gender" && male.reason.contains("1.0"))
        let illicit = try #require(records[3].rejection)
        #expect(illicit.field == "vic_TypeOfExploitation")
    }

    /// A byte the encoding leaves undefined rejects the record instead of becoming a replacement character.
    @Test func undefinedWindows1252BytesRejectTheRecord() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try F.load(try scratch.write("w.yaml", """
            version: 1
            partner: w
            format: csv
            csv: {encoding: windows-1252}
            reference: id
            fields:
              prs_FirstName: {from: name, type: text}

            """))
        let path = scratch.path("w.csv")
        // 0xE9 is é, 0x81 is one of the five bytes Windows-1252 leaves undefined, 0x80 is €.
        let bytes = Array("id,name\nW-1,Ren".utf8) + [0xE9] + Array("\nW-2,Bad".utf8) + [0x81]
            + Array("\nW-3,".utf8) + [0x80] + Array("\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let records = try F.readAll(profile, path)
        #expect(records.count == 3)
        #expect(records[0].values["prs_FirstName"] == "René")
        let undefined = try #require(records[1].rejection)
        #expect(undefined.reason.contains("windows-1252") && !undefined.reason.contains("Bad"))
        #expect(records[1].reference == "W-2" && records[1].values.isEmpty)
        // Rejection documents its field as the canonical field, as every other rejection gives it.
                #expect(undefined.field == "prs_FirstName")
        #expect(records[2].values["prs_FirstName"] == "€")
    }
}

// MARK: - profile mistakes caught when the file is opened

@Suite struct ProfileColumnCheckTests {
    typealias F = ProfileFixtures

    static let header = "case_id,full_name,date_of_birth,sex,nationality,country_of_exploitation,date_identified,exploitation_types,labour_sector,means_of_control,recruiter_relation,phone,notes"
    static let row = "C-1,Ana Example,01/02/2000,F,UKR,UKR,2020-01-01,labour,,threats,,+000 111 222 3333,a note"

    func openError(_ profile: PartnerProfile, _ path: String) -> ProfileError? {
        do {
            _ = try ProfiledCSVReader(profile: profile, path: path, codeBook: StandardCodeBook())
            return nil
        } catch {
            return error  // typed: ProfileError
        }
    }

    @Test func aColumnNeitherMappedNorIgnoredStopsTheReader() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let csv = try scratch.write("extra.csv", Self.header + ",passport_no\n" + Self.row + ",P1234567\n")
        let error = try #require(openError(try F.shipped("casemgmt"), csv))
        #expect(!error.isData)
        // Its position, not its name: a header may be a line of data.
        #expect(error.message.contains("column 14 of the header") && error.message.contains("ignore"), "\(error.message)")
        #expect(!error.message.contains("passport_no"))
        #expect(error.message.contains("extra.csv:1"))
        #expect(!error.message.contains("P1234567"))
    }

    @Test func aMappedColumnTheFileLacksStopsTheReader() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let header = Self.header.replacingOccurrences(of: ",labour_sector", with: "")
        let row = Self.row.replacingOccurrences(of: "labour,,threats", with: "labour,threats")
        let csv = try scratch.write("short.csv", header + "\n" + row + "\n")
        let error = try #require(openError(try F.shipped("casemgmt"), csv))
        #expect(!error.isData)
        #expect(error.message.contains("\"labour_sector\"") && error.message.contains("does not have"))
    }

    /// `#N` names a column by position. A position past the header's last column cannot be read, so
    /// the profile does not fit the file: it must stop the reader like a missing named column, not
    /// give an empty value on every record.
    @Test func aPositionalColumnPastTheHeaderStopsTheReader() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var text = try F.shippedText("htcds-csv")
        text = try F.replacing("cas_ReasonForOutgoingReferral: \"#36\"", with: "cas_ReasonForOutgoingReferral: \"#63\"", in: text)
        text = try F.replacing("  - \"#1\"\n", with: "  - \"#1\"\n  - \"#36\"\n", in: text)
        let profile = try F.load(try scratch.write("htcds-63.yaml", text))
        let error = openError(profile, F.sample("htcds-template.csv"))
        var filled = -1
        if error == nil, let records = try? F.readAll(profile, F.sample("htcds-template.csv")) {
            filled = records.filter { !($0.values["cas_ReasonForOutgoingReferral"] ?? "").isEmpty }.count
        }
                #expect(error != nil, "opened; records with cas_ReasonForOutgoingReferral filled: \(filled)")
        #expect(error == nil || error!.message.contains("63"))
    }

    /// `#N` is for a column without a name. A profile that ignores `full_name` but reads the same
    /// column as `#2` would carry names past the door.
    @Test func aPositionalColumnCannotReadANamedIgnoredColumn() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var text = try F.shippedText("casemgmt")
        if !text.hasSuffix("\n") { text += "\n" }
        text += "  prs_FirstName: {from: \"#2\", type: text}\n"
        let profile = try F.load(try scratch.write("casemgmt-2.yaml", text))
        #expect(profile.ignored.contains("full_name"))
        let csv = try scratch.write("c.csv", Self.header + "\n" + Self.row + "\n")
        let error = openError(profile, csv)
        var leaked: String?
        if error == nil, let records = try? F.readAll(profile, csv) { leaked = records.first?.values["prs_FirstName"] }
                #expect(error != nil, "leaked: \(leaked ?? "nil")")
    }
}

struct ProfileTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
