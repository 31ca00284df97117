import Anonymize
import Foundation
import Ingest
import Recode
import Tabular
import TestSupport
import Testing

/// The shipped crosswalks (`Policies/ctdc/*.csv`), the CTDC layout reference in
/// `../shared/reference/ctdc` (tests that need it skip without it), and helpers to load both.
private enum CTDCFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policies = root.appendingPathComponent("Policies/ctdc")
    static let reference = root.deletingLastPathComponent().appendingPathComponent("shared/reference/ctdc/release-columns.json")
    static var hasReference: Bool { FileManager.default.fileExists(atPath: reference.path) }

    static let singleSelect = ["gender.csv", "datasource.csv"]
    static let multiSelect = ["means-of-control.csv", "exploitation.csv", "labour.csv", "sexual-exploitation.csv", "recruiter-relation.csv"]

    /// The rows of a shipped CSV as header → cell, read with the project's reader.
    static func rows(_ file: String) throws -> [[String: String]] {
        let path = policies.appendingPathComponent(file).path
        var reader = try CSVReader(path: path)
        var header: [String]?
        var rows: [[String: String]] = []
        while try reader.next() {
            #expect(reader.rejectReason == nil, "\(file):\(reader.line): \(reader.rejectReason ?? "")")
            let cells = reader.strings()
            guard let header else { header = cells; continue }
            #expect(cells.count == header.count, "\(file):\(reader.line): \(cells.count) cells, header has \(header.count)")
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, cells)))
        }
        return rows
    }

    static func crosswalk(_ file: String) throws -> Crosswalk {
        try Crosswalk(name: "Policies/ctdc/\(file)", rows: rows(file))
    }

    static func multiSelect(_ file: String) throws -> MultiSelectCrosswalk {
        try MultiSelectCrosswalk(name: "Policies/ctdc/\(file)", rows: rows(file))
    }

    static func crosswalks() throws -> CTDCLayout.Crosswalks {
        CTDCLayout.Crosswalks(
            gender: try crosswalk("gender.csv"), dataSource: try crosswalk("datasource.csv"),
            meansOfControl: try multiSelect("means-of-control.csv"), exploitation: try multiSelect("exploitation.csv"),
            labour: try multiSelect("labour.csv"), sexualExploitation: try multiSelect("sexual-exploitation.csv"),
            recruiterRelation: try multiSelect("recruiter-relation.csv"))
    }

    /// The k-anonymised release's columns: name → listed values (empty when the reference lists none).
    static func releaseColumns() throws -> [(name: String, values: [String])] {
        let data = try Data(contentsOf: reference)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let release = try #require(json["global_dataset_k_anonymized"] as? [String: Any])
        let columns = try #require(release["columns"] as? [[String: Any]])
        return try columns.map { column in
            (try #require(column["name"] as? String), column["values"] as? [String] ?? [])
        }
    }
}

/// A lookup over a dictionary, missing fields empty, as canonical records have them.
private func record(_ values: [String: String]) -> (String) -> String { { values[$0] ?? "" } }

/// Every suite of this file, so that `--filter DerivedColumn` selects them all.
@Suite struct DerivedColumnTests {
    // MARK: - Ages

    @Suite struct AgeBandTests {
        @Test func ctdcBandEdges() {
            let bands = AgeBand.ctdc
            let expected: [(Int, String)] = [
                (0, "0--8"), (8, "0--8"), (9, "9--17"), (17, "9--17"), (18, "18--20"), (20, "18--20"), (21, "21--23"),
                (29, "27--29"), (30, "30--38"), (38, "30--38"), (39, "39--47"), (47, "39--47"), (48, "48+"), (120, "48+"),
            ]
            for (age, label) in expected { #expect(bands.label(forAge: age) == label, "age \(age)") }
            #expect(bands.label(forAge: nil) == "")
            #expect(bands.label(forAge: -1) == "")
            #expect(bands.labels == ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"])
        }

        @Test func bandsAreConfigurable() throws {
            let decades = try AgeBand(lowerBounds: [0, 10, 20], separator: "-")
            #expect(decades.labels == ["0-9", "10-19", "20+"])
            #expect(decades.label(forAge: 9) == "0-9" && decades.label(forAge: 10) == "10-19" && decades.label(forAge: 64) == "20+")
            #expect(throws: DerivedColumnError.self) { try AgeBand(lowerBounds: [5, 10]) }
            #expect(throws: DerivedColumnError.self) { try AgeBand(lowerBounds: [0, 10, 10]) }
            #expect(throws: DerivedColumnError.self) { try AgeBand(lowerBounds: []) }
        }

        @Test(.enabled(if: CTDCFiles.hasReference, "needs ../shared/reference/ctdc/release-columns.json"))
        func ctdcLabelsAreTheReleaseValues() throws {
            let ageBroad = try #require(try CTDCFiles.releaseColumns().first { $0.name == "ageBroad" })
            #expect(AgeBand.ctdc.labels == ageBroad.values)
            let majority = try #require(try CTDCFiles.releaseColumns().first { $0.name == "majorityStatus" })
            #expect(MajorityStatus.allCases.map(\.rawValue) == majority.values)
        }
    }

    @Suite struct AgeAtRegistrationTests {
        let rule = AgeAtRegistration.ctdc

        func age(_ birth: String, _ registered: String, _ reported: String = "") -> Int?? {
            try? rule.age(birthDate: birth, registrationDate: registered, reportedAge: reported).get()
        }

        @Test func wholeYearsCountOnTheBirthdayItself() {
            #expect(age("2000-06-15", "2018-06-14") == 17)
            #expect(age("2000-06-15", "2018-06-15") == 18)
            #expect(age("2000-06-15", "2000-06-15") == 0)
            #expect(age("2000-12-31", "2001-01-01") == 0)
        }

        @Test func leapDayBirthdaysCountFromTheFirstOfMarchInCommonYears() {
            #expect(age("2000-02-29", "2001-02-28") == 0)
            #expect(age("2000-02-29", "2001-03-01") == 1)
            #expect(age("2000-02-29", "2004-02-28") == 3)
            #expect(age("2000-02-29", "2004-02-29") == 4)
        }

        @Test func reportedAgeIsTheFallback() {
            #expect(age("2000-06-15", "2018-06-15", "30") == 18, "both dates win over the reported age")
            #expect(age("2000-06-15", "", "30") == 30, "no registration date")
            #expect(age("", "2018-06-15", "30") == 30, "no birth date")
            #expect(age("", "", "0") == 0)
            #expect(age("", "", "") == .some(nil), "neither: unknown, not an error")
            #expect(age("2000-06-15", "", "") == .some(nil))
        }

        @Test func impossibleAgesReject() {
            let cases: [(String, String, String, AgeAtRegistration.Problem)] = [
                ("2018-06-15", "2000-06-15", "", .registrationBeforeBirth),
                ("1890-01-01", "2015-01-01", "", .outOfRange(field: "prs_Birthdate")),
                ("", "", "121", .outOfRange(field: "ext_ReportedAge")),
                ("", "", "-1", .outOfRange(field: "ext_ReportedAge")),
                ("", "", "17.5", .notWholeYears(field: "ext_ReportedAge")),
                ("", "", "about 20", .notWholeYears(field: "ext_ReportedAge")),
                ("15/06/2000", "2018-06-15", "", .notADate(field: "prs_Birthdate")),
                ("2000-06-15", "2018-02-30", "", .notADate(field: "ext_IdentificationDate")),
            ]
            for (birth, registered, reported, problem) in cases {
                let result = rule.age(birthDate: birth, registrationDate: registered, reportedAge: reported)
                #expect(result == .failure(problem), "\(birth) \(registered) \(reported)")
            }
            #expect(age("1898-01-01", "2018-01-01") == 120, "120 is the oldest age accepted")
            #expect(age("", "", "120") == 120)
        }

        @Test func isoDatesAreCheckedAgainstTheCalendar() {
            #expect(ISODate("2016-02-29")?.year == 2016)
            #expect(ISODate.year(of: "2019-12-31") == 2019)
            for bad in ["2015-02-29", "1900-02-29", "2000-13-01", "2000-00-10", "2000-1-01", "2000-01-011", "2000/01/01", "", "２０００-01-01"] {
                #expect(ISODate(bad) == nil, "\(bad)")
            }
            #expect(ISODate("2000-02-29") != nil, "2000 is a leap year")
        }

        @Test func derivedAgeColumnsRejectWithoutQuotingTheRecord() throws {
            let column = try DerivedColumn(name: "ageBroad", kind: .ageBand(.ctdc, .ctdc))
            #expect(column.sourceFields == ["prs_Birthdate", "ext_IdentificationDate", "ext_ReportedAge"])
            #expect(column.evaluate(record: record(["prs_Birthdate": "2000-06-15", "ext_IdentificationDate": "2018-06-14"])) == .success("9--17"))
            #expect(column.evaluate(record: record(["ext_ReportedAge": "48"])) == .success("48+"))
            #expect(column.evaluate(record: record([:])) == .success(""))
            let result = column.evaluate(record: record(["prs_Birthdate": "2019-03-04", "ext_IdentificationDate": "2018-06-14"]))
            guard case .failure(let rejection) = result else { Issue.record("expected a rejection, got \(result)"); return }
            #expect(rejection.column == "ageBroad" && rejection.field == "prs_Birthdate")
            #expect(rejection.description.contains("after ext_IdentificationDate"))
            #expect(!rejection.description.contains("2019-03-04") && !rejection.description.contains("2018-06-14"), "\(rejection)")
        }
    }

    @Suite struct MajorityStatusTests {
        @Test func minorBelowEighteenAdultFromEighteen() {
            #expect(MajorityStatus(age: 0) == .minor)
            #expect(MajorityStatus(age: 17) == .minor)
            #expect(MajorityStatus(age: 18) == .adult)
            #expect(MajorityStatus(age: 90) == .adult)
            #expect(MajorityStatus(age: nil) == .unknown)
            #expect(MajorityStatus(age: 15, ageOfMajority: 16) == .minor && MajorityStatus(age: 16, ageOfMajority: 16) == .adult)
        }

        @Test func columnsPublishUnknownForAnUnknownAge() throws {
            let atRegistration = try DerivedColumn(name: "majorityStatus", kind: .majorityStatus(.ctdc))
            #expect(atRegistration.evaluate(record: record(["prs_Birthdate": "2000-06-15", "ext_IdentificationDate": "2018-06-14"])) == .success("Minor"))
            #expect(atRegistration.evaluate(record: record(["prs_Birthdate": "2000-06-15", "ext_IdentificationDate": "2018-06-15"])) == .success("Adult"))
            #expect(atRegistration.evaluate(record: record([:])) == .success("Unknown"))
            let entry = try DerivedColumn(name: "majorityEntry", kind: .majorityStatus(CTDCLayout.ageAtEntry))
            #expect(entry.sourceFields == ["vic_AgeWhenTrafficked"])
            #expect(entry.evaluate(record: record(["vic_AgeWhenTrafficked": "16"])) == .success("Minor"))
            #expect(entry.evaluate(record: record(["ext_ReportedAge": "16"])) == .success("Unknown"))
            let blankWhenUnknown = try DerivedColumn(name: "m", kind: .majorityStatus(.ctdc, unknown: ""))
            #expect(blankWhenUnknown.evaluate(record: record([:])) == .success(""))
            #expect(throws: DerivedColumnError.self) {
                try DerivedColumn(name: "m", kind: .majorityStatus(AgeAtRegistration(birthDate: "prs_Birthdate")))
            }
        }
    }

    // MARK: - Dates and countries

    @Suite struct YearAndCountryTests {
        @Test func yearOfRegistration() throws {
            let year = try DerivedColumn(name: "yearOfRegistration", kind: .year(field: "ext_IdentificationDate"))
            #expect(year.evaluate(record: record(["ext_IdentificationDate": "2016-03-01"])) == .success("2016"))
            #expect(year.evaluate(record: record([:])) == .success(""))
            guard case .failure(let r) = year.evaluate(record: record(["ext_IdentificationDate": "2016-13-01"])) else {
                Issue.record("a malformed date must reject"); return
            }
            #expect(r.field == "ext_IdentificationDate" && r.code == nil)
        }

        @Test func countriesPassThroughOrBecomeAlpha3() throws {
            #expect(CountryForm.alpha2.publish("UA") == .success("UA"))
            #expect(CountryForm.alpha2.publish("RU;UA") == .success("RU;UA"))
            let table = Dictionary(uniqueKeysWithValues: ISO3166.countries.map { ($0.alpha2, $0.alpha3) })
            let alpha3 = CountryForm.alpha3(table)
            #expect(alpha3.publish("UA") == .success("UKR"))
            #expect(alpha3.publish("XK") == .success("XKX"))
            #expect(alpha3.publish("RU;UA") == .success("RUS;UKR"))
            #expect(alpha3.publish("") == .success(""))
            let partial = CountryForm.alpha3(["UA": "UKR"])
            #expect(partial.publish("RU;UA") == .failure(CountryFormMiss(code: "RU")))
            let column = try DerivedColumn(name: "citizenship", kind: .country(field: "prs_Citizenship", partial))
            guard case .failure(let r) = column.evaluate(record: record(["prs_Citizenship": "MD"])) else {
                Issue.record("an unmapped country must reject"); return
            }
            #expect(r.column == "citizenship" && r.field == "prs_Citizenship" && r.code == "MD")
        }
    }

    // MARK: - Crosswalks

    @Suite struct CrosswalkTests {
        let gender = try! Crosswalk(name: "gender.csv", field: "prs_Gender", column: "gender",
                                    table: ["Feminine": "Female", "Masculine": "Male"])

        @Test func mappedMissingAndUnmappedCodes() throws {
            #expect(gender.value(of: "Feminine") == .success("Female"))
            #expect(gender.value(of: "") == .success(""), "missing stays missing")
            let unmapped = gender.value(of: "Agender")
            guard case .failure(let r) = unmapped else { Issue.record("an unmapped code must reject, got \(unmapped)"); return }
            #expect(r.column == "gender" && r.field == "prs_Gender" && r.code == "Agender")
            #expect(r.description == "gender: prs_Gender code \"Agender\" is not in the crosswalk gender.csv; fix: add a row for \"Agender\" to gender.csv")
            #expect(r.category == "gender: prs_Gender code is not in the crosswalk gender.csv", "no code in the category reports count")
            guard case .failure(let several) = gender.value(of: "Feminine;Masculine") else { Issue.record("several codes must reject"); return }
            #expect(several.code == nil)
        }

        @Test func derivedColumnRenamesTheRejection() throws {
            let column = try DerivedColumn(name: "sex", kind: .category(gender))
            #expect(column.evaluate(record: record(["prs_Gender": "Masculine"])) == .success("Male"))
            guard case .failure(let r) = column.evaluate(record: record(["prs_Gender": "X"])) else { Issue.record("must reject"); return }
            #expect(r.column == "sex")
        }

        @Test func malformedTablesAreRefused() {
            #expect(throws: DerivedColumnError.self) {
                try Crosswalk(name: "t", rows: [["field": "f", "code": "A", "column": "c", "value": "1"],
                                                 ["field": "f", "code": "A", "column": "c", "value": "2"]])
            }
            #expect(throws: DerivedColumnError.self) {
                try Crosswalk(name: "t", rows: [["field": "f", "code": "A", "column": "c", "value": "1"],
                                                 ["field": "g", "code": "B", "column": "c", "value": "2"]])
            }
            #expect(throws: DerivedColumnError.self) { try Crosswalk(name: "t", rows: [["field": "f", "code": "A", "column": "c"]]) }
            #expect(throws: DerivedColumnError.self) { try Crosswalk(name: "t", rows: []) }
            #expect(throws: DerivedColumnError.self) { try Crosswalk(name: "t", field: "f", column: "c", table: ["A;B": "x"]) }
        }
    }

    @Suite struct MultiSelectCrosswalkTests {
        /// A small family: two columns set by codes, one with an unknown code, one conjunction, one
        /// without a source, and codes that set nothing.
        let family = try! MultiSelectCrosswalk(name: "family.csv", rules: [
            .init(column: "isLabour", word: "Labour", field: "f", codes: ["Labour", "Begging"]),
            .init(column: "isSex", word: "Sex", field: "f", codes: ["Sex"]),
            .init(column: "isOther", word: "Other", field: "f", codes: ["Other"], unknownCodes: ["Vague"]),
            .init(column: "isBoth", word: "Both", requires: ["isLabour", "isSex"]),
            .init(column: "isNever", word: "Never"),
            .init(column: "", field: "f", codes: ["Inert"]),
        ])

        func indicator(_ column: String, _ value: String?) -> Result<MultiSelectCrosswalk.Indicator, DerivedColumnRejection> {
            family.indicator(column, record: record(value.map { ["f": $0] } ?? [:]))
        }

        @Test func missingEmptyAndPresent() {
            #expect(indicator("isLabour", nil) == .success(.empty), "field missing from the record")
            #expect(indicator("isLabour", "") == .success(.empty), "field empty")
            #expect(indicator("isLabour", ";") == .success(.empty), "separators only: no code")
            #expect(indicator("isLabour", "Sex") == .success(.no), "recorded without the code")
            #expect(indicator("isLabour", "Inert") == .success(.no), "a code that sets nothing still records the field")
            #expect(indicator("isLabour", "Begging") == .success(.yes), "any code of the group")
            #expect(indicator("isLabour", "Other;Labour") == .success(.yes))
            #expect(indicator("isNever", "Labour") == .success(.empty), "no source: always empty")
            #expect(indicator("isNever", nil) == .success(.empty))
        }

        @Test func unknownCodesLeaveTheColumnEmpty() {
            #expect(indicator("isOther", "Vague") == .success(.empty))
            #expect(indicator("isOther", "Vague;Other") == .success(.yes))
            #expect(indicator("isOther", "Sex") == .success(.no))
        }

        @Test func conjunctionIsThreeValued() {
            #expect(indicator("isBoth", "Labour;Sex") == .success(.yes))
            #expect(indicator("isBoth", "Labour") == .success(.no))
            #expect(indicator("isBoth", nil) == .success(.empty))
            let split = try! MultiSelectCrosswalk(name: "t", rules: [
                .init(column: "a", word: "A", field: "f", codes: ["A"]),
                .init(column: "b", word: "B", field: "g", codes: ["B"]),
                .init(column: "ab", word: "AB", requires: ["a", "b"]),
            ])
            #expect(split.indicator("ab", record: record(["f": "A"])) == .success(.empty), "1 and missing: unknown")
            #expect(split.indicator("ab", record: record(["g": "X"])) == .failure(DerivedColumnRejection(
                column: "ab", field: "g", reason: "not in the crosswalk t", code: "X",
                fix: "add \"X\" to a row of t for g: to a column's codes, or to the row without a column if it sets none")))
            guard case .failure(let r) = split.indicator("ab", record: record(["f": "Z", "g": "B"])) else {
                Issue.record("an unmapped code in either field rejects"); return
            }
            #expect(r.field == "f" && r.code == "Z")
        }

        @Test func anUnmappedCodeRejectsInsteadOfGivingEmpty() {
            let result = indicator("isSex", "Labour;Mystery")
            guard case .failure(let r) = result else { Issue.record("expected a rejection, got \(result)"); return }
            #expect(r.column == "isSex" && r.field == "f" && r.code == "Mystery")
            #expect(r.description.contains("family.csv") && r.description.contains("fix:"))
        }

        @Test func concatenationFollowsTheTableOrder() throws {
            let concatenated = try DerivedColumn(name: "concat", kind: .concatenation(family))
            #expect(concatenated.evaluate(record: record(["f": "Sex;Other;Labour"])) == .success("Labour;Sex;Other;Both"))
            #expect(concatenated.evaluate(record: record(["f": "Labour;Sex;Other"])) == .success("Labour;Sex;Other;Both"), "input order does not matter")
            #expect(concatenated.evaluate(record: record(["f": "Other"])) == .success("Other"))
            #expect(concatenated.evaluate(record: record(["f": "Inert"])) == .success(""), "recorded, but no column is 1")
            #expect(concatenated.evaluate(record: record([:])) == .success(""))
            let spaced = try DerivedColumn(name: "concat", kind: .concatenation(family, separator: "; "))
            #expect(spaced.evaluate(record: record(["f": "Sex;Labour"])) == .success("Labour; Sex; Both"))
            guard case .failure(let r) = concatenated.evaluate(record: record(["f": "Sex;Nope"])) else { Issue.record("must reject"); return }
            #expect(r.column == "concat" && r.code == "Nope")
        }

        @Test func contradictoryTablesAreRefused() {
            let bad: [[MultiSelectCrosswalk.Rule]] = [
                [.init(column: "a", word: "A", field: "f", codes: ["X"]), .init(column: "a", word: "A", field: "f", codes: ["Y"])],
                [.init(column: "a", field: "f", codes: ["X"])],
                [.init(column: "a", word: "A", field: "f")],
                [.init(column: "a", word: "A", codes: ["X"])],
                [.init(column: "a", word: "A", field: "f", codes: ["X"], unknownCodes: ["X"])],
                [.init(column: "a", word: "A", field: "f", codes: ["X"]), .init(column: "", field: "f", codes: ["X"])],
                [.init(column: "a", word: "A", requires: ["b"])],
                [.init(column: "a", word: "A", field: "f", codes: ["X"]), .init(column: "b", word: "B", requires: ["a"]),
                 .init(column: "c", word: "C", requires: ["b"])],
                [.init(column: "", field: "f", codes: ["X"])],
            ]
            for rules in bad {
                #expect(throws: DerivedColumnError.self, "\(rules)") { try MultiSelectCrosswalk(name: "t", rules: rules) }
            }
        }

        @Test func boundColumnsReadTheirFieldsByPosition() throws {
            let column = try DerivedColumn(name: "isSex", kind: .indicator(family, column: "isSex"))
            #expect(column.sourceFields == ["f"])
            let bound = try column.bind(to: ["other": 0, "f": 1])
            #expect(bound.evaluate(record: ["Sex", "Labour"]) == .success("0"))
            #expect(bound.evaluate(record: ["", "Sex"]) == .success("1"))
            #expect(bound.evaluate(record: ["Sex", ""]) == .success(""))
            #expect(throws: DerivedColumnError.self) { try column.bind(to: ["other": 0]) }
            #expect(throws: DerivedColumnError.self) { try DerivedColumn(name: "x", kind: .indicator(family, column: "isMissing")) }
            #expect(try DerivedColumn(name: "isBoth", kind: .indicator(family, column: "isBoth")).sourceFields == ["f"])
            #expect(try DerivedColumn(name: "isNever", kind: .indicator(family, column: "isNever")).sourceFields == [])
        }
    }

    // MARK: - The shipped crosswalks and the CTDC layout

    @Suite struct ShippedCrosswalkTests {
        /// HTCDS fields and `ext_` fields by name; `ext_DataSource`'s codes are the ones its meaning lists.
        func codes(of field: String) -> [String]? {
            if field == ExtensionField.dataSource.rawValue { return ["CaseManagement", "Hotline"] }
            return HTCDS.field(named: field).map(\.codes)
        }

        @Test func dataSourceCodesAreTheDocumentedOnes() {
            for code in codes(of: "ext_DataSource") ?? [] {
                #expect(ExtensionField.dataSource.meaning.contains(code), "\(code)")
            }
        }

        @Test func everyShippedCrosswalkLoads() throws {
            let files = try FileManager.default.contentsOfDirectory(atPath: CTDCFiles.policies.path).filter { $0.hasSuffix(".csv") }
            #expect(Set(files) == Set(CTDCFiles.singleSelect + CTDCFiles.multiSelect), "a new crosswalk needs a place in these tests")
            for file in CTDCFiles.singleSelect { _ = try CTDCFiles.crosswalk(file) }
            for file in CTDCFiles.multiSelect { _ = try CTDCFiles.multiSelect(file) }
            for file in CTDCFiles.singleSelect + CTDCFiles.multiSelect {
                for (i, row) in try CTDCFiles.rows(file).enumerated() {
                    #expect(!(row["basis"] ?? "").isEmpty, "\(file) row \(i + 1) has no basis")
                }
            }
        }

        @Test func everyCodeOfEverySourceFieldIsCovered() throws {
            for file in CTDCFiles.singleSelect {
                let crosswalk = try CTDCFiles.crosswalk(file)
                let list = try #require(codes(of: crosswalk.field), "\(file): \(crosswalk.field) is not an HTCDS or ext_ field")
                #expect(!list.isEmpty)
                #expect(Set(crosswalk.table.keys) == Set(list), "\(file): \(crosswalk.field)")
            }
            for file in CTDCFiles.multiSelect {
                let crosswalk = try CTDCFiles.multiSelect(file)
                for field in crosswalk.fields {
                    let list = try #require(codes(of: field), "\(file): \(field) is not an HTCDS field")
                    #expect(!list.isEmpty)
                    let listed = crosswalk.codes(of: field)
                    #expect(listed.subtracting(list).isEmpty, "\(file): \(field) has no codes \(listed.subtracting(list).sorted())")
                    #expect(Set(list).subtracting(listed).isEmpty, "\(file): \(field) codes not covered: \(Set(list).subtracting(listed).sorted())")
                }
            }
        }

        @Test func theLayoutReadsOnlyCanonicalFields() throws {
            let known = Set(HTCDS.fields.map(\.name)).union(ExtensionField.allCases.map(\.rawValue))
            let columns = try CTDCLayout.columns(crosswalks: CTDCFiles.crosswalks())
            #expect(columns.map(\.name) == CTDCLayout.columnNames)
            #expect(columns.count == 63)
            for column in columns {
                for field in column.sourceFields { #expect(known.contains(field), "\(column.name) reads \(field)") }
            }
            // Single-select crosswalks read single-select fields; multi-select ones may read either
            // (a single value is a set of one).
            for crosswalk in [try CTDCFiles.crosswalk("gender.csv")] {
                #expect(HTCDS.field(named: crosswalk.field)?.isMultiSelect == false)
            }
        }

        @Test(.enabled(if: CTDCFiles.hasReference, "needs ../shared/reference/ctdc/release-columns.json"))
        func crosswalksNameOnlyReleaseColumnsAndValues() throws {
            let release = try CTDCFiles.releaseColumns()
            #expect(CTDCLayout.columnNames == release.map(\.name))
            let values = Dictionary(uniqueKeysWithValues: release.map { ($0.name, $0.values) })
            for file in CTDCFiles.singleSelect {
                let crosswalk = try CTDCFiles.crosswalk(file)
                let allowed = try #require(values[crosswalk.column], "\(file): \(crosswalk.column) is not a release column")
                #expect(!allowed.isEmpty)
                for value in Set(crosswalk.table.values) { #expect(allowed.contains(value), "\(file): \(value) is not a value of \(crosswalk.column)") }
            }
            for file in CTDCFiles.multiSelect {
                for column in try CTDCFiles.multiSelect(file).columns {
                    #expect(values[column] != nil, "\(file): \(column) is not a release column")
                }
            }
        }

        @Test func aRecordThroughAllSixtyThreeColumns() throws {
            let columns = try CTDCLayout.columns(crosswalks: CTDCFiles.crosswalks())
            let fields = Array(Set(columns.flatMap(\.sourceFields))).sorted()
            let index = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })
            let bound = try columns.map { try $0.bind(to: index) }
            let values: [String: String] = [
                "ext_IdentificationDate": "2017-05-02", "ext_DataSource": "Hotline", "prs_Gender": "TransgenderMasculine",
                "prs_Birthdate": "1999-05-03", "vic_AgeWhenTrafficked": "16", "prs_Citizenship": "MD",
                "vic_MethodsOfControl": "WithholdsDocuments;ThreatensChildrenFamily;DebtBondage",
                "vic_TypeOfExploitation": "SexualExploitation;ForcedBegging", "vic_ForcedLabourIndustry": "",
                "vic_TypeOfSexExploitation": "Prostitution", "vic_RelationshipToTrafficker": "Acquainted",
                "ext_CountryOfExploitation": "UA",
            ]
            let row = fields.map { values[$0] ?? "" }
            var out: [String: String] = [:]
            for b in bound { out[b.column.name] = try b.evaluate(record: row).get() }
            let expected: [String: String] = [
                "yearOfRegistration": "2017", "Datasource": "Hotline", "gender": "Transgender/NonConforming",
                "ageBroad": "9--17", "majorityStatus": "Minor", "majorityStatusAtExploit": "", "majorityEntry": "Minor",
                "citizenship": "MD", "CountryOfExploitation": "UA",
                "meansOfControlDebtBondage": "1", "meansOfControlThreats": "1", "meansOfControlWithholdsDocuments": "1",
                "meansOfControlUsesChildren": "", "meansOfControlRestrictsMovement": "", "meansOfControlOther": "0",
                "meansOfControlConcatenated": "Debt bondage;Threats;Withholds documents",
                "isForcedLabour": "1", "isSexualExploit": "1", "isSexAndLabour": "1", "isOtherExploit": "0",
                "typeOfExploitConcatenated": "Forced labour;Sexual exploitation;Combined sexual and labour exploitation",
                "typeOfLabourBegging": "1", "typeOfLabourAgriculture": "", "typeOfLabourConcatenated": "Begging",
                "typeOfSexProstitution": "1", "typeOfSexPornography": "0", "typeOfSexConcatenated": "Prostitution",
                "isAbduction": "", "RecruiterRelationship": "", "recruiterRelationFamily": "0", "recruiterRelationOther": "",
                "recruiterRelationFriend": "", "recruiterRelationUnknown": "",
            ]
            for (column, value) in expected { #expect(out[column] == value, "\(column): \(out[column] ?? "nil")") }

            var stranger = row
            stranger[index["vic_RelationshipToTrafficker"]!] = "Unaquainted"
            let relation = try #require(bound.first { $0.column.name == "RecruiterRelationship" })
            #expect(relation.evaluate(record: stranger) == .success("Other"))
            var unknownIndustry = row
            unknownIndustry[index["vic_ForcedLabourIndustry"]!] = "Z_Mystery"
            let agriculture = try #require(bound.first { $0.column.name == "typeOfLabourAgriculture" })
            guard case .failure(let r) = agriculture.evaluate(record: unknownIndustry) else { Issue.record("must reject"); return }
            #expect(r.field == "vic_ForcedLabourIndustry" && r.code == "Z_Mystery" && r.description.contains("Policies/ctdc/labour.csv"))
        }

        /// The set evaluates a whole record as the columns do one by one, first rejection included,
        /// on records drawn from the code lists with some bad values mixed in.
        @Test func aColumnSetAgreesWithTheColumnsOneByOne() throws {
            let columns = try CTDCLayout.columns(crosswalks: CTDCFiles.crosswalks())
            let fields = Array(Set(columns.flatMap(\.sourceFields))).sorted()
            let index = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })
            let set = try DerivedColumnSet(columns, fieldIndex: index)
            let bound = try columns.map { try $0.bind(to: index) }
            var random = SplitMix64(seed: 42)
            func pick(_ options: [String]) -> String { options[Int(random.next() % UInt64(options.count))] }
            func codes(_ field: String) -> [String] { HTCDS.field(named: field)?.codes ?? [] }
            var values: [String] = []
            var rejected = 0
            for _ in 0..<2_000 {
                var row = [String](repeating: "", count: fields.count)
                for (i, field) in fields.enumerated() where random.next() % 5 != 0 {
                    switch field {
                    case "prs_Birthdate": row[i] = pick(["1990-02-28", "2004-02-29", "2010-12-31", "1870-01-01", "2001-02-29"])
                    case "ext_IdentificationDate": row[i] = pick(["2016-03-01", "2008-07-15", "2019-13-01"])
                    case "ext_ReportedAge", "vic_AgeWhenTrafficked": row[i] = pick(["0", "9", "17", "18", "47", "48", "121", "x"])
                    case "ext_DataSource": row[i] = pick(["CaseManagement", "Hotline"])
                    case "prs_Citizenship", "ext_CountryOfExploitation": row[i] = pick(["UA", "MD", "RU;UA"])
                    default:
                        let list = codes(field) + (random.next() % 50 == 0 ? ["Unlisted"] : [])
                        let n = HTCDS.field(named: field)?.isMultiSelect == true ? 1 + Int(random.next() % 3) : 1
                        row[i] = Set((0..<n).map { _ in pick(list) }).sorted().joined(separator: ";")
                    }
                }
                var expected: Result<[String], DerivedColumnRejection> = .success([])
                var cells: [String] = []
                for b in bound {
                    switch b.evaluate(record: row) {
                    case .success(let v): cells.append(v)
                    case .failure(let r): expected = .failure(r)
                    }
                    if case .failure = expected { break }
                }
                if case .success = expected { expected = .success(cells) }
                let rejection = set.evaluate(record: row, into: &values)
                switch expected {
                case .success(let cells): #expect(rejection == nil && values == cells, "\(row)")
                case .failure(let r): #expect(rejection == r, "\(row)"); rejected += 1
                }
            }
            #expect(rejected > 100 && rejected < 1_900, "the draw should mix accepted and rejected records: \(rejected)")
        }

        /// The README's table lists the 63 columns in order, and says "no HTCDS source" for exactly the
        /// columns the layout publishes empty.
        @Test func readmeDocumentsEveryColumn() throws {
            let text = try String(contentsOf: CTDCFiles.policies.appendingPathComponent("README.md"), encoding: .utf8)
            var documented: [String] = []
            var unsourced: Set<String> = []
            for line in text.split(separator: "\n") where line.hasPrefix("| ") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count > 3, Int(cells[1]) != nil else { continue }
                let name = cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                documented.append(name)
                if line.contains("no HTCDS source: published empty") { unsourced.insert(name) }
            }
            #expect(documented == CTDCLayout.columnNames)
            let columns = try CTDCLayout.columns(crosswalks: CTDCFiles.crosswalks())
            #expect(unsourced == Set(columns.filter { $0.sourceFields.isEmpty }.map(\.name)))
        }
    }
}
