import Foundation
import Ingest
import Pipeline
@testable import PolicyFile
import Tabular
import TestSupport
import Testing

/// Messages that name the likely fix: the key a typo meant, the delimiter a header holds, and
/// the encoding a profile should set — without quoting the data that gave them away.
@Suite struct MessageHintTests {
    typealias F = ProfileFixtures

    // MARK: suggestions

    @Test func aTranspositionIsOneEdit() {
        #expect(editDistance(Array("fromat"), Array("format")) == 1)
        #expect(editDistance(Array("fromat"), Array("from")) == 2)
        #expect(editDistance(Array("ab"), Array("ba")) == 1)
        // Optimal string alignment edits no substring twice: "ca" → "abc" is 3, not Damerau's 2.
        #expect(editDistance(Array("ca"), Array("abc")) == 3)
        #expect(editDistance(Array(""), Array("abc")) == 3)
        #expect(editDistance(Array("kitten"), Array("sitting")) == 3)
    }

    @Test func distanceIsSymmetricBoundedAndOneForAnAdjacentSwap() {
        var rng = SplitMix64(seed: 14)
        let letters = Array("abcde")
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...7, using: &rng)).map { _ in letters.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: 0...7, using: &rng)).map { _ in letters.randomElement(using: &rng)! }
            let d = editDistance(a, b)
            #expect(d == editDistance(b, a))
            #expect(d >= abs(a.count - b.count) && d <= max(a.count, b.count))
            #expect((d == 0) == (a == b))
            if a.count >= 2 {
                var swapped = a
                let i = Int.random(in: 0..<(a.count - 1), using: &rng)
                swapped.swapAt(i, i + 1)
                #expect(editDistance(a, swapped) == (swapped == a ? 0 : 1), "\(String(a)) / \(String(swapped))")
            }
        }
    }

    @Test func tiesGoToTheSameLengthThenTheLongerSharedPrefix() {
        #expect(suggestion(for: "fromat", among: ["from", "format"]) == "format")
        #expect(suggestion(for: "fromat", among: ["format", "from"]) == "format")
        // Both one edit away: the candidate of the word's length wins, whatever the order.
        #expect(suggestion(for: "splt", among: ["split", "spit"]) == "spit")
        #expect(suggestion(for: "splt", among: ["spit", "split"]) == "spit")
        // Same length too: the longer shared prefix wins.
        #expect(suggestion(for: "abcd", among: ["xbcd", "abcx"]) == "abcx")
        #expect(suggestion(for: "abcd", among: ["abcx", "xbcd"]) == "abcx")
        #expect(suggestion(for: "zzzzzz", among: ["format", "from"]) == nil)
    }

    /// The casemgmt profile with `old` replaced by `new`, loaded: its first mistake and the rest.
    func profileErrors(_ old: String, _ new: String) throws -> [PolicyError] {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = try F.replacing(old, with: new, in: try F.shippedText("casemgmt"))
        let path = try scratch.write("casemgmt.yaml", text)
        do {
            _ = try ProfileDocument.load(path: path)
        } catch {
            return [error] + error.more
        }
        Issue.record("expected the profile to be refused")
        return []
    }

    func expectSuggests(_ meant: String, in errors: [PolicyError], not wrong: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let text = errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("did you mean \"\(meant)\""), "\(text)", sourceLocation: sourceLocation)
        for w in wrong {
            #expect(!text.contains("did you mean \"\(w)\""), "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func misspeltProfileKeysSuggestTheKeyMeant() throws {
        // A date's format misspelt beside its own `from`: `from` is given, so it is not what was meant.
        expectSuggests("format", in: try profileErrors("{from: date_of_birth, format:", "{from: date_of_birth, fromat:"), not: ["from"])
        expectSuggests("from", in: try profileErrors("{from: date_of_birth, format:", "{form: date_of_birth, format:"), not: ["format"])
        expectSuggests("split", in: try profileErrors("    split: [\";\", \" + \"]", "    spilt: [\";\", \" + \"]"))
        expectSuggests("format", in: try profileErrors("format: csv", "fromat: csv"))
        expectSuggests("partner", in: try profileErrors("partner: casemgmt", "parnter: casemgmt"))
        expectSuggests("delimiter", in: try profileErrors("{delimiter: \",\"", "{delimeter: \",\""))
        expectSuggests("encoding", in: try profileErrors("encoding: utf-8", "encodnig: utf-8"))
        expectSuggests("ignore", in: try profileErrors("ignore: [full_name", "ingore: [full_name"))
    }

    @Test func aKeyAlreadyGivenIsNeverSuggested() throws {
        // `fomr` is one swap from `from`, which the rule already has, and too far from anything else.
        let errors = try profileErrors("{from: date_of_birth, format: [dd/MM/yyyy, yyyy-MM-dd]}",
                                       "{from: date_of_birth, fomr: x, format: [dd/MM/yyyy, yyyy-MM-dd]}")
        let text = errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("fomr") && text.contains("is not a known key"), "\(text)")
        #expect(!text.contains("did you mean"), "\(text)")
    }

    @Test func misspeltPolicyKeysSuggestTheKeyMeant() throws {
        let valid = [
            "version: 1",
            "attributes:",
            "  age: {type: quasi-identifying, hierarchy: {intervals: {min: 0, max: 99, widths: [5, 10]}}}",
            "  notes: identifying",
            "privacy: {k: 2, suppressionLimit: 0.05}",
            "metric: loss",
        ]
        let cases: [(String, String, String)] = [
            ("privacy: {k", "pirvacy: {k", "privacy"),
            ("attributes:", "attirbutes:", "attributes"),
            ("metric: loss", "mertic: loss", "metric"),
            ("suppressionLimit:", "suppresionLimit:", "suppressionLimit"),
            ("{type: quasi", "{tpye: quasi", "type"),
            ("hierarchy: {", "hierarhcy: {", "hierarchy"),
            ("intervals:", "intevrals:", "intervals"),
        ]
        let scratch = try Scratch()
        defer { scratch.remove() }
        for (old, new, meant) in cases {
            let text = valid.joined(separator: "\n").replacingOccurrences(of: old, with: new) + "\n"
            #expect(text.contains(new))
            let path = try scratch.write("policy.yaml", text)
            do {
                _ = try PolicyDocument.load(path: path)
                Issue.record("\(new) should be refused")
            } catch {
                let all = ([error] + error.more).map(\.description).joined(separator: "\n")
                #expect(all.contains("did you mean \"\(meant)\""), "\(all)")
            }
        }
    }

    // MARK: a wrong delimiter

    func headerError(_ text: String, profile: PartnerProfile? = nil) throws -> ProfileError? {
        try headerError(Array(text.utf8), profile: profile)
    }

    /// Why the reader refuses to open `bytes` as the profile's export, if it does.
    func headerError(_ bytes: [UInt8], profile: PartnerProfile? = nil) throws -> ProfileError? {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("export.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let profile = try profile ?? F.shipped("casemgmt")
        do {
            _ = try ProfiledCSVReader(profile: profile, path: path, codeBook: StandardCodeBook())
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [(";", "\";\""), ("\t", "\"\\t\""), ("|", "\"|\"")])
    func aHeaderHoldingAnotherSeparatorNamesTheDelimiterToSet(separator: String, quoted: String) throws {
        let header = ProfileColumnCheckTests.header.replacingOccurrences(of: ",", with: separator)
        let row = ProfileColumnCheckTests.row.replacingOccurrences(of: ",", with: separator)
        let error = try #require(try headerError(header + "\n" + row + "\n"))
        #expect(error.message.contains("the header reads as 1 column(s) with delimiter \",\""), "\(error)")
        #expect(error.message.contains("set `csv: {delimiter: \(quoted)}` in profile casemgmt"), "\(error)")
        #expect(error.message.contains("export.csv:1"), "\(error)")
        #expect(!error.message.contains("date_of_birth") && !error.message.contains("case_id"), "the header is not quoted: \(error)")
        #expect(!error.isData)
    }

    @Test func aProfileReadingSemicolonsIsToldAboutCommas() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = try F.replacing("delimiter: \",\"", with: "delimiter: \";\"", in: try F.shippedText("casemgmt"))
        let profile = try F.load(try scratch.write("casemgmt.yaml", text))
        let error = try #require(try headerError(ProfileColumnCheckTests.header + "\n", profile: profile))
        #expect(error.message.contains("with delimiter \";\", but it holds \",\" separators"), "\(error)")
        #expect(error.message.contains("`csv: {delimiter: \",\"}`"), "\(error)")
    }

    @Test func aHeaderWithoutSeparatorsStillSaysItIsUnknown() throws {
        // One column and no other separator in it: not a delimiter problem, and not called one.
        let error = try #require(try headerError("something else entirely\nx\n"))
        #expect(!error.message.contains("delimiter"), "\(error)")
        #expect(error.message.contains("neither mapped nor ignored"), "\(error)")
        // A separator in only some of several columns is not consistent enough to be the delimiter.
        let mixed = try #require(try headerError("case_id,full_name,a;b,sex\n"))
        #expect(!mixed.message.contains("delimiter"), "\(mixed)")
    }

    // MARK: a wrong encoding

    /// A one-record casemgmt export whose name is `name`, in bytes.
    func export(name: [UInt8]) -> [UInt8] {
        let row = ProfileColumnCheckTests.row
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        var bytes = Array((ProfileColumnCheckTests.header + "\n" + fields[0] + ",").utf8)
        bytes += name
        bytes += Array(("," + fields.dropFirst(2).joined(separator: ",") + "\n").utf8)
        return bytes
    }

    func readError(_ bytes: [UInt8], profile: PartnerProfile? = nil) throws -> CSVError? {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("export.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var reader = try ProfiledCSVReader(profile: try profile ?? F.shipped("casemgmt"), path: path, codeBook: StandardCodeBook())
        do {
            while try reader.next() {}
            return nil
        } catch {
            return error
        }
    }

    @Test func latin1BytesInAUTF8ProfileNameTheEncodingKey() throws {
        // "Zoé Martin" in Latin-1: é is 0xE9, and nothing in 0x80–0x9F.
        let error = try #require(try readError(export(name: Array("Zo".utf8) + [0xE9] + Array(" Martin".utf8))))
        #expect(error.problem == .invalidUTF8(field: 2))
        #expect(error.description.contains("set `csv: {encoding: latin-1}` in the profile"), "\(error)")
        #expect(error.description.contains("profile casemgmt"), "\(error)")
        #expect(!error.description.lowercased().contains("re-save"), "\(error)")
        #expect(!error.description.contains("Martin"), "\(error)")
    }

    @Test func windows1252QuotesInAUTF8ProfileNameWindows1252() throws {
        // Curly quotes as Excel writes them on Windows: 0x93 and 0x94.
        let error = try #require(try readError(export(name: [0x93] + Array("Zo".utf8) + [0xE9, 0x94])))
        #expect(error.description.contains("set `csv: {encoding: windows-1252}` in the profile"), "\(error)")
    }

    @Test func validUTF8BeforeTheBadByteDoesNotDecideTheGuess() throws {
        // "€" in UTF-8 is E2 82 AC: its 0x82 is part of a valid sequence, not a Windows-1252 byte.
        let error = try #require(try readError(export(name: [0xE2, 0x82, 0xAC] + Array(" Zo".utf8) + [0xE9])))
        #expect(error.description.contains("{encoding: latin-1}"), "\(error)")
    }

    @Test func aBadByteInTheHeaderNamesTheEncodingKeyToo() throws {
        let bytes = Array("case_id,full_name,date_of_birth,s".utf8) + [0xE9] + Array("x\n".utf8)
        let error = try #require(try headerError(bytes))
        #expect(error.isData)
        #expect(error.message.contains("`csv: {encoding: latin-1}`"), "\(error)")
    }

    @Test func aPlainCSVInputIsToldAProfileCanReadIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("cases.csv")
        let header = try #require(try String(contentsOf: Repo.root.appendingPathComponent("Examples/cases.csv"), encoding: .utf8)
            .split(separator: "\n").first)
        let row = ",2001-05-13,Male,13,NG,GB,SexualExploitation,2015-01-01,2015,CaseManagement,TRUE,ActualVictimOfTrafficking,Prostitution,a note\n"
        try Data(Array((header + "\nSYN-1,Zo").utf8) + [0xE9] + Array(row.utf8)).write(to: URL(fileURLWithPath: path))
        var reader = try CSVReader(path: path)
        do {
            while try reader.next() {}
            Issue.record("expected invalid UTF-8")
        } catch {
            // Read as any file (a hierarchy, say), re-saving it is the fix; no profile is named.
            #expect(error.likelyEncoding == "latin-1" && error.source == .file)
            #expect(error.description.contains("Re-save the file as UTF-8") && !error.description.contains("profile"), "\(error)")
            #expect(!error.description.contains("Zo"), "\(error)")
        }
        let policy = Repo.root.appendingPathComponent("Policies/example.yaml").path
        do {
            _ = try AnonymizeRun(policyPath: policy, inputs: [.csv(path)], outputDirectory: scratch.path("out")).run()
            Issue.record("expected invalid UTF-8")
        } catch {
            let text = "\(error)"
            #expect(text.contains("cases.csv:2"), "\(text)")
            #expect(text.contains("partner profile") && text.contains("`csv: {encoding: latin-1}`"), "\(text)")
            #expect(!text.contains("Zo"), "\(text)")
        }
    }
}
