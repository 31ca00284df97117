import Foundation
import Ingest
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// `htdx check` on partner profiles: every mistake of an undrafted profile and every value of its
/// sample that a run would reject, in one run, at the profile's lines.
@Suite struct ProfileCheckTests {
    typealias F = ProfileFixtures

    /// A field office's export as it arrives: `;`, Latin-1, French headers and words, dd/MM/yyyy.
    static let sampleRows = [
        "ref;nom;sexe;naissance;nationalite;types;identifie",
        "A1;Renée Dupont;F;25/12/1990;FRA;travail;2020-01-05",
        "A2;Jérôme Martin;M;13/01/1985;SEN;sexuelle;2020-02-05",
        "A3;Zoé Petit;X;01/02/2001;SEN;travail;2020-03-05",
        "A4;Anaïs Morel;F;31/03/1999;MLI;mendicité;2020-04-05",
        "A5;Noé Blanc;Qwzx;30/04/1970;NER;Vbnmk;2020-05-05",
    ]

    /// The profile written before anyone ran check: a misspelt key, a target that is no code, a
    /// TODO left by the draft, day and month swapped in the date format, no encoding, and a map
    /// that misses some of the sample's words.
    static let undrafted = """
        version: 1
        partner: bureau
        format: csv
        csv: {delimiter: ";"}
        reference: ref
        ignore: [nom]
        fields:
          prs_Gender:
            from: sexe
            map: {F: Feminine, M: Masculine, X: TODO}
          prs_Birthdate: {from: naissance, format: MM/dd/yyyy}
          prs_Citizenship: nationalite
          vic_TypeOfExploitation:
            from: types
            split: ";"
            map: {travail: ForcedLabor, sexuelle: SexualExploitation, mendicité: ForcedBegging}
          ext_IdentificationDate: {from: identifie, fromat: yyyy-MM-dd}

        """

    /// The 1-based line and column where `needle` starts in `text`.
    static func place(of needle: String, in text: String) throws -> String {
        let lines = text.components(separatedBy: "\n")
        let i = try #require(lines.firstIndex { $0.contains(needle) }, "\(needle) is in the profile")
        let column = lines[i].distance(from: lines[i].startIndex, to: lines[i].range(of: needle)!.lowerBound) + 1
        return "\(i + 1):\(column)"
    }

    static func writeSample(_ scratch: Scratch, _ rows: [String] = sampleRows) throws -> String {
        let path = scratch.path("export.csv")
        var bytes: [UInt8] = []
        // Latin-1: every character of these rows is below U+0100, one byte each.
        for scalar in (rows.joined(separator: "\n") + "\n").unicodeScalars { bytes.append(UInt8(scalar.value)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func check(_ profile: String, rows: [String] = sampleRows, showValues: Bool = false) throws -> [String] {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("bureau.yaml", profile)
        let sample = try Self.writeSample(scratch, rows)
        return PolicyCheck.check(path: path, samples: [sample], showValues: showValues).map {
            $0.description.replacingOccurrences(of: scratch.url.path + "/", with: "")
        }
    }

    @Test func theUndraftedProfileHasEveryProblemListedInOneRun() throws {
        let found = try check(Self.undrafted)
        let text = Self.undrafted
        func has(_ prefix: String, _ parts: String...) -> Bool {
            found.contains { $0.hasPrefix(prefix) && parts.allSatisfy($0.contains) }
        }
        // Mistakes of the file itself.
        #expect(has("bureau.yaml:\(try Self.place(of: "fromat", in: text)): error: ", "fromat", "not a known key"), "\(found)")
        #expect(has("bureau.yaml:\(try Self.place(of: "ForcedLabor", in: text)): error: ", "ForcedLabor", "ForcedLabour, SexualExploitation"), "\(found)")
        #expect(has("bureau.yaml:\(try Self.place(of: "TODO", in: text)): error: ", "still TODO", "Feminine, Masculine"), "\(found)")
        // The sample, read as Latin-1 once the encoding is named.
        #expect(has("bureau.yaml:\(try Self.place(of: "{delimiter", in: text)): error: ", "export.csv:2", "encoding: latin-1"), "\(found)")
        #expect(has("bureau.yaml:\(try Self.place(of: "MM/dd/yyyy", in: text)): error: ", "4 distinct value(s)", "export.csv:2", "format: dd/MM/yyyy"), "\(found)")
        // X is the TODO (already reported); Qwzx is the one value the map does not cover.
        #expect(has("bureau.yaml:\(try Self.place(of: "prs_Gender", in: text)): error: ", "1 distinct value(s)", "not covered", "export.csv:6"), "\(found)")
        // travail maps to a non-code (already reported); mendicité is covered, read as Latin-1; Vbnmk is not.
        #expect(has("bureau.yaml:\(try Self.place(of: "vic_TypeOfExploitation", in: text)): error: ", "1 distinct value(s)", "not covered", "export.csv:6"), "\(found)")
        #expect(found.count == 7, "\(found)")
    }

    /// The run refuses the same profile, naming every mistake of the file, not only the first.
    @Test func theRunRefusesTheProfileNamingEveryMistake() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("bureau.yaml", Self.undrafted)
        let error = try #require(throws: PolicyError.self) { try ProfileDocument.load(path: path) }
        #expect(error.more.count == 2)
        for needle in ["fromat", "ForcedLabor", "TODO"] {
            #expect(error.description.contains("bureau.yaml:\(try Self.place(of: needle, in: Self.undrafted))"), "\(error.description)")
        }
        guard htdxExecutable != nil else { return }
        let sample = try Self.writeSample(scratch)
        let run = try HtdxProcess.run(["anonymize", "--policy", F.partnersPolicy, "--out", scratch.path("out"),
                                       "--input", "\(path)=\(sample)"])
        #expect(run.status == 2, "\(run.stderr)")
        for needle in ["fromat", "ForcedLabor", "TODO"] {
            #expect(run.stderr.contains("bureau.yaml:\(try Self.place(of: needle, in: Self.undrafted))"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }

    /// Once every finding is acted on, the same export passes: the findings named the fixes.
    @Test func theFixesTheFindingsNameMakeTheProfilePass() throws {
        var fixed = Self.undrafted
        for (old, new) in [("fromat", "format"), ("ForcedLabor", "ForcedLabour"), ("X: TODO", "X: NonSpecifiedUnknown, Qwzx: NonConforming"),
                           ("MM/dd/yyyy", "dd/MM/yyyy"), ("{delimiter: \";\"}", "{delimiter: \";\", encoding: latin-1}"),
                           ("mendicité: ForcedBegging}", "mendicité: ForcedBegging, Vbnmk: Other}")] {
            fixed = try F.replacing(old, with: new, in: fixed)
        }
        #expect(try check(fixed) == [])
    }

    @Test(arguments: [("casemgmt", "casemgmt.csv"), ("casemgmt", "casemgmt-bom.csv"), ("hotline", "hotline.xml"),
                      ("hotline", "hotline-default-ns.xml"), ("htcds-csv", "htcds-template.csv"), ("htcds-xform", "xform")])
    func aShippedProfilePassesWithItsExample(profile: String, sample: String) throws {
        let found = ProfileCheck.check(path: F.profilePath(profile), samples: [F.sample(sample)])
        #expect(found.isEmpty, "\(found)")
    }

    /// The same shipped profile with one target misspelt: one finding, at that target.
    @Test func oneWrongTargetInAShippedProfileIsOneFinding() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = try F.replacing("F: Feminine", with: "F: Female", in: try F.shippedText("casemgmt"))
        let path = try scratch.write("casemgmt.yaml", text)
        let found = ProfileCheck.check(path: path, samples: [F.sample("casemgmt.csv")])
        #expect(found.map(\.line) == [text.components(separatedBy: "\n").firstIndex { $0.contains("F: Female") }! + 1], "\(found)")
        #expect(found.first?.message.contains("\"Female\" is not one of: Feminine, Masculine") == true)
    }

    /// No finding quotes a value of the sample unless --show-values asks; the binary's whole output is searched.
    @Test func findingsNeverQuoteSampleValuesWithoutShowValues() throws {
        guard htdxExecutable != nil else { return }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("bureau.yaml", Self.undrafted)
        let sample = try Self.writeSample(scratch)
        let values = ["Qwzx", "Vbnmk", "25/12/1990", "13/01/1985", "Renée", "Dupont", "Jérôme"]
        let quiet = try HtdxProcess.run(["check", path, "--sample", sample])
        #expect(quiet.status == 2)
        #expect(quiet.stdout.contains("not covered") && quiet.stdout.contains("do not parse"), "\(quiet.stdout)")
        for value in values { #expect(!(quiet.stdout + quiet.stderr).contains(value), "\(value) leaked: \(quiet.stdout)") }
        let shown = try HtdxProcess.run(["check", path, "--sample", sample, "--show-values"])
        for value in ["Qwzx", "Vbnmk", "25/12/1990", "13/01/1985"] { #expect(shown.stdout.contains(value), "\(value): \(shown.stdout)") }
    }

    @Test func aWrongDelimiterIsNamedAsTheKeyToSet() throws {
        let found = try check(Self.undrafted.replacingOccurrences(of: "{delimiter: \";\"}", with: "{encoding: latin-1}"))
        #expect(found.contains { $0.contains("the header reads as one column") && $0.contains("delimiter: \";\"") }, "\(found)")
        #expect(!found.contains { $0.contains("not covered") }, "a header not read is not judged value by value: \(found)")
    }

    @Test func headerColumnsNeitherMappedNorIgnoredAndMappedColumnsMissing() throws {
        let profile = try F.replacing("ignore: [nom]", with: "ignore: []", in: Self.undrafted)
            .replacingOccurrences(of: "prs_Citizenship: nationalite", with: "prs_Citizenship: pays")
        let found = try check(profile)
        #expect(found.contains { $0.hasPrefix("export.csv:1:2: error: column 2 of the header") && $0.contains("neither mapped nor ignored") }, "\(found)")
        let citizenship = "bureau.yaml:\(try Self.place(of: "prs_Citizenship", in: profile)): error: "
        #expect(found.contains { $0.hasPrefix(citizenship) && $0.contains("\"pays\"") }, "\(found)")
    }

    /// A job's profiled input is linted with the input as its sample.
    @Test func aJobLintsEachProfileAgainstItsInput() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try scratch.write("bureau.yaml", Self.undrafted)
        _ = try Self.writeSample(scratch)
        let job = try scratch.write("job.yaml", """
            version: 1
            policy: \(F.partnersPolicy)
            inputs:
              - {profile: \(profile), path: export.csv}
            output: out/release

            """)
        let found = PolicyCheck.check(path: job, samples: [], allowOutside: true).map(\.description)
        #expect(found.contains { $0.contains("still TODO") }, "\(found)")
        #expect(found.contains { $0.contains("format: dd/MM/yyyy") }, "\(found)")
        #expect(found.contains { $0.contains("encoding: latin-1") }, "\(found)")
    }

    /// An XML sample read through the profile's record and paths: an element it neither maps nor
    /// ignores, and a value its map does not cover.
    @Test func anXMLSampleIsReadThroughTheProfilesPaths() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let xml = try String(contentsOfFile: F.sample("hotline.xml"), encoding: .utf8)
        // Only the first record is changed, so that counts are exact.
        let first = xml.range(of: "<h:gender>female</h:gender>")!
        let changed = xml.replacingCharacters(in: first, with: "<h:gender>Plmokn</h:gender><h:reported>2020</h:reported>")
        let sample = try scratch.write("hotline.xml", changed)
        let found = ProfileCheck.check(path: F.profilePath("hotline"), samples: [sample]).map(\.description)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.contains("hotline.xml:") && $0.contains("neither mapped nor ignored") && !$0.contains("reported") }, "\(found)")
        #expect(found.contains { $0.contains("fields.prs_Gender") && $0.contains("1 distinct value(s)") && !$0.contains("Plmokn") }, "\(found)")
    }

    /// A profile of an older standard names its own codes; a v2 code is not one of them.
    @Test func mapTargetsOfAnOlderStandardAreItsOwnCodes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = """
            version: 1
            partner: legacy
            format: csv
            standard: "0.2"
            fields:
              prs_Gender: {from: sex, map: {m: Male, f: Feminine}}

            """
        let path = try scratch.write("legacy.yaml", profile)
        let error = try #require(throws: PolicyError.self) { try ProfileDocument.load(path: path) }
        #expect(error.more.isEmpty)
        #expect("\(error.line):\(error.column)" == (try Self.place(of: "Feminine", in: profile)), "\(error)")
        #expect(error.message.contains("Male") && error.message.contains("Female"), "\(error)")
    }

    @Test func constantsAreCheckedAsTargetsAre() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("c.yaml", """
            version: 1
            partner: c
            format: csv
            fields:
              ext_DataSource: {constant: Hotlines}
              prs_Citizenship: {constant: France}
              prs_Gender: {constant: Feminine}

            """)
        let error = try #require(throws: PolicyError.self) { try ProfileDocument.load(path: path) }
        #expect(error.line == 5 && error.message.contains("CaseManagement, Hotline"), "\(error)")
        #expect(error.more.map(\.line) == [6] && error.more[0].message.contains("ISO 3166"), "\(error)")
    }

    /// A field whose source key is misspelt is left out, but its other settings are still checked,
    /// and its absent source is not reported a second time.
    @Test func aFieldWithoutItsSourceHasItsOtherSettingsChecked() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("s.yaml", """
            version: 1
            partner: s
            format: csv
            fields:
              prs_Gender: {form: sex, type: cod, map: {f: Female}}

            """)
        let error = try #require(throws: PolicyError.self) { try ProfileDocument.load(path: path) }
        let all = [error] + error.more
        #expect(all.map(\.key) == ["fields.prs_Gender.form", "fields.prs_Gender.type", "fields.prs_Gender.map"], "\(all)")
        #expect(all.map(\.line) == [5, 5, 5])
    }

    /// A long code list is not printed whole: the nearest codes, and where to see them all.
    @Test func aLongListGivesTheNearestCodesAndWhereToSeeThem() throws {
        let list = try #require(ProfileCodeList.of(FieldRule(canonical: "vic_ForcedLabourIndustry", source: .column("x"), kind: .code), standard: "2.0"))
        let text = list.expected(near: "F_Constructoin", limit: 5)
        #expect(text.hasPrefix("one of ") && text.contains("the nearest F_Construction,"), "\(text)")
        #expect(text.contains("htdx codes vic_ForcedLabourIndustry"))
        #expect(!list.expected(near: "x").contains("htdx codes"))
    }
}
