import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// Runs of `htdx anonymize` over partner exports read through profiles: configuration errors,
/// the accounting and privacy of a two-partner run, and the executable.
@Suite struct ProfileRunTests {
    typealias F = ProfileFixtures

    static let casemgmtHeader = ProfileColumnCheckTests.header
    static let casemgmtRow = ProfileColumnCheckTests.row

    /// Runs `body`, which must fail with exit code `exitCode` and a message holding every fragment.
    func expectRunError(exitCode: Int32, mentioning fragments: [String], not absent: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected exit \(exitCode), but it succeeded", sourceLocation: sourceLocation)
        } catch let error as RunError {
            #expect(error.exitCode == exitCode, "\(error)", sourceLocation: sourceLocation)
            for f in fragments {
                #expect(error.description.contains(f), "\(error) should mention \(f)", sourceLocation: sourceLocation)
            }
            for a in absent {
                #expect(!error.description.contains(a), "\(error) should not mention \(a)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    func run(_ arguments: [String], out: String) throws -> AnonymizeRun.Outcome {
        let inputs = try arguments.map { try RunInput.parse($0, policyPath: F.partnersPolicy) }
        return try AnonymizeRun(policyPath: F.partnersPolicy, inputs: inputs, outputDirectory: out).run()
    }

    // MARK: configuration errors (exit 2)

    @Test func aColumnNeitherMappedNorIgnoredIsAConfigurationError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let csv = try scratch.write("extra.csv", Self.casemgmtHeader + ",passport_no\n" + Self.casemgmtRow + ",P1234567\n")
        let out = scratch.path("out")
        expectRunError(exitCode: 2, mentioning: ["column 14 of the header", "ignore", "casemgmt"], not: ["P1234567", "passport_no"]) {
            _ = try run(["casemgmt=\(csv)"], out: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: out + ".rejects.csv"))
    }

    @Test func aMappedColumnTheFileLacksIsAConfigurationError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let header = Self.casemgmtHeader.replacingOccurrences(of: ",labour_sector", with: "")
        let row = Self.casemgmtRow.replacingOccurrences(of: "labour,,threats", with: "labour,threats")
        let csv = try scratch.write("short.csv", header + "\n" + row + "\n")
        let out = scratch.path("out")
        expectRunError(exitCode: 2, mentioning: ["\"labour_sector\"", "short.csv"]) {
            _ = try run(["casemgmt=\(csv)"], out: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func anUnknownCanonicalFieldIsNamedWithASuggestionFileAndLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = try F.replacing("  prs_Gender:\n", with: "  prs_Gendre:\n", in: try F.shippedText("casemgmt"))
        let line = try #require(text.components(separatedBy: "\n").firstIndex(of: "  prs_Gendre:")) + 1
        let profile = try scratch.write("partners/typo.yaml", text)
        let input = "\(profile)=\(F.sample("casemgmt.csv"))"
        expectRunError(exitCode: 2, mentioning: ["\(profile):\(line):", "prs_Gendre", "did you mean \"prs_Gender\""]) {
            _ = try RunInput.parse(input, policyPath: F.partnersPolicy)
        }
        // And by name, from partners/ beside a policy in the scratch directory.
        let policy = try scratch.write("policy.yaml", try String(contentsOfFile: F.partnersPolicy, encoding: .utf8))
        expectRunError(exitCode: 2, mentioning: ["typo.yaml:\(line):", "did you mean \"prs_Gender\""]) {
            _ = try RunInput.parse("typo=\(F.sample("casemgmt.csv"))", policyPath: policy)
        }
    }

    @Test func anUnknownKeyIsAConfigurationError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let shipped = try F.shippedText("casemgmt")
        let top = try scratch.write("top.yaml", try F.replacing("\nreference: case_id", with: "\nrefrence: case_id", in: shipped))
        expectRunError(exitCode: 2, mentioning: ["top.yaml:8:", "refrence", "not a known key", "did you mean \"reference\""]) {
            _ = try RunInput.parse("\(top)=\(F.sample("casemgmt.csv"))", policyPath: F.partnersPolicy)
        }
        let nested = try scratch.write("nested.yaml", try F.replacing("    from: sex\n", with: "    form: sex\n", in: shipped))
        expectRunError(exitCode: 2, mentioning: ["nested.yaml:12:", "fields.prs_Gender.form", "did you mean \"from\""]) {
            _ = try RunInput.parse("\(nested)=\(F.sample("casemgmt.csv"))", policyPath: F.partnersPolicy)
        }
    }

    @Test func aMalformedInputArgumentIsAConfigurationError() {
        for argument in ["casemgmt", "=\(F.sample("casemgmt.csv"))", "casemgmt="] {
            expectRunError(exitCode: 2, mentioning: ["--input \(argument)", "PROFILE=PATH"]) {
                _ = try RunInput.parse(argument, policyPath: F.partnersPolicy)
            }
        }
    }

    @Test func aProfileThatDoesNotExistIsAConfigurationError() {
        expectRunError(exitCode: 2, mentioning: ["partners/nosuch.yaml", "no profile"]) {
            _ = try RunInput.parse("nosuch=\(F.sample("casemgmt.csv"))", policyPath: F.partnersPolicy)
        }
        expectRunError(exitCode: 2, mentioning: ["/nowhere/casemgmt.yaml"]) {
            _ = try RunInput.parse("/nowhere/casemgmt.yaml=\(F.sample("casemgmt.csv"))", policyPath: F.partnersPolicy)
        }
    }

    @Test func theNamedProfileIsTheShippedFileBesideThePolicy() throws {
        let input = try RunInput.parse("casemgmt=\(F.sample("casemgmt.csv"))", policyPath: F.partnersPolicy)
        #expect(input.partner == "casemgmt")
        #expect(input.path == F.sample("casemgmt.csv"))
        guard case .profiled(let profile) = input.kind else { Issue.record("not a profiled input"); return }
        #expect(profile.canonicalFields == CaseManagementProfileTests.fields)
        // A path containing "=" keeps everything after the first "=".
        let odd = try RunInput.parse("htcds-csv=dir/a=b.csv", policyPath: F.partnersPolicy)
        #expect(odd.path == "dir/a=b.csv" && odd.partner == "htcds-csv")
    }

    @Test func latin1ReadAsUTF8IsADataErrorAndPublishesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.path("out")
        expectRunError(exitCode: 3, mentioning: ["casemgmt-latin1.csv:2", "UTF-8"], not: ["Hern"]) {
            _ = try run(["casemgmt=\(F.sample("casemgmt-latin1.csv"))"], out: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    // MARK: end to end

    @Test func twoPartnersBalanceAreKAnonymousAndLeakNoIdentifier() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.path("drop")
        let outcome = try run(["casemgmt=\(F.sample("casemgmt.csv"))", "htcds-csv=\(F.sample("htcds-template.csv"))"], out: out)
        let r = outcome.report

        // Accounting.
        #expect(r.records.in == 1500)
        #expect(Set(r.partners.keys) == ["casemgmt", "htcds-csv"])
        #expect(r.partners["casemgmt"]?.read == 1200 && r.partners["htcds-csv"]?.read == 300)
        #expect(r.partners.values.map(\.read).reduce(0, +) == r.records.in)
        for (name, p) in r.partners {
            #expect(p.read == p.accepted + p.rejected.values.reduce(0, +), "\(name)")
        }
        #expect(r.partners.values.flatMap(\.rejected.values).reduce(0, +) == r.records.rejected)
        #expect(r.records.rejected == 0)
        #expect(r.records.in == r.records.rejected + r.records.excluded + r.records.suppressed + r.records.published)
        #expect(r.records.excluded == r.exclusions.values.reduce(0, +))
        #expect(r.records.suppressed <= r.records.suppressionAllowed)
        #expect(try Report.decode(Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) == r)

        // k-anonymity from anonymized.csv alone.
        let rows = try readSimpleCSV(out + "/anonymized.csv", delimiter: ",")
        let header = rows[0]
        #expect(header == r.columns)
        #expect(rows.count - 1 == r.records.published)
        #expect(r.quasiIdentifiers == ["prs_Gender", "ext_AgeAtIdentification", "prs_Citizenship", "ext_CountryOfExploitation"])
        let qi = try r.quasiIdentifiers.map { try #require(header.firstIndex(of: $0), "\($0) is published") }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() {
            #expect(row.count == header.count)
            classes[qi.map { row[$0] }, default: 0] += 1
        }
        #expect(r.k == 5)
        #expect(classes.values.allSatisfy { $0 >= r.k }, "\(classes.filter { $0.value < r.k })")
        #expect(classes.count == r.equivalenceClasses.count && classes.values.min() == r.equivalenceClasses.smallest)
        for identifying in ["prs_Birthdate", "ext_IdentificationDate", "prs_MailingCountry", "cas_IncomingReferralDate",
                            "cas_OutgoingReferralDate", "ext_PartnerReference", "prs_FirstName"] {
            #expect(!header.contains(identifying), "\(identifying) is published")
        }
        // Both partners' records are there, by their own fields.
        let source = try #require(header.firstIndex(of: "vic_TraffickingStatus"))
        let fromTemplate = rows.dropFirst().filter { !$0[source].isEmpty }.count
        #expect(fromTemplate > 200 && fromTemplate <= 300 - r.records.excluded)
        // The policy's filters: refused consent and not-a-victim records appear nowhere.
        let status = try #require(header.firstIndex(of: "vic_TraffickingStatus"))
        let consent = try #require(header.firstIndex(of: "con_Consent"))
        #expect(rows.dropFirst().allSatisfy { $0[status] != "NotAVictimOfTrafficking" && $0[consent] != "FALSE" })

        // The rejects file: its header, and one row per rejection (none here).
        let rejects = try readSimpleCSV(outcome.rejectsPath, delimiter: ",")
        #expect(outcome.rejectsPath == out + ".rejects.csv")
        #expect(rejects.first == ["partner", "file", "line", "reference", "field", "reason"])
        #expect(rejects.count - 1 == r.records.rejected)

        // No identifying source value anywhere in the drop or the rejects.
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.contains("anonymized.csv") && files.contains("report.json"))
        var texts: [(String, Data)] = try files.map { ($0, try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0))) }
        texts.append(("rejects", try Data(contentsOf: URL(fileURLWithPath: outcome.rejectsPath))))
        let needles = try Self.identifyingValues()
        #expect(needles.contains("Wilson, Emily") && needles.contains("+000 499 149 4556") && needles.contains("Carlos"))
        var cells = Set<String>()
        for row in rows + rejects { for cell in row { cells.insert(cell); for p in cell.split(separator: ";") { cells.insert(String(p)) } } }
        #expect(cells.isDisjoint(with: needles), "\(cells.intersection(needles).prefix(5))")
        let long = needles.filter { $0.count >= 6 && !$0.allSatisfy(\.isNumber) }.map { Data($0.utf8) }
        // The search finds what it looks for: every long needle without a quote (which the CSV
        // files double) is found in one of the two samples.
        let samples = try ["casemgmt.csv", "htcds-template.csv"].map { try Data(contentsOf: URL(fileURLWithPath: F.sample($0))) }
        let unquoted = long.filter { !$0.contains(UInt8(ascii: "\"")) }
        #expect(long.count > 2000 && unquoted.count > 2000)
        #expect(unquoted.allSatisfy { n in samples.contains { $0.range(of: n) != nil } })
        for (name, data) in texts {
            for fragment in ["+000", "example.org", "example.net", "example.com", "CM-0", "Wilson", "Chapel Walk"] {
                #expect(data.range(of: Data(fragment.utf8)) == nil, "\(name) holds \(fragment)")
            }
            let found = long.first { data.range(of: $0) != nil }
            #expect(found == nil, "\(name) holds \(found.map { String(decoding: $0, as: UTF8.self) } ?? "")")
        }
    }

    /// A record the profile cannot map is rejected and listed by partner, file, line, reference,
    /// field and reason, without its values; the other records are published.
    @Test func aRejectedRecordIsListedWithoutItsValues() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var text = try String(contentsOfFile: F.sample("casemgmt.csv"), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let line = text.filter { $0 == "\n" }.count + 1
        text += "CM-999999,Zebedee Quirinus,01/02/1990,Q,UKR,POL,2020-01-01,labour,,threats,,+000 987 654 3210,\"Secret, note\"\n"
        let csv = try scratch.write("casemgmt-plus.csv", text)
        let out = scratch.path("drop")
        let outcome = try run(["casemgmt=\(csv)"], out: out)
        let r = outcome.report
        let reason = "a value the profile's value map does not cover"
        #expect(r.records.in == 1201 && r.records.rejected == 1)
        #expect(r.partners["casemgmt"] == .init(read: 1201, accepted: 1200, rejected: ["prs_Gender: \(reason)": 1]))
        #expect(r.rejections == ["prs_Gender: \(reason)": 1])
        let rejects = try readSimpleCSV(outcome.rejectsPath, delimiter: ",")
        #expect(rejects == [
            ["partner", "file", "line", "reference", "field", "reason"],
            ["casemgmt", csv, String(line), "CM-999999", "prs_Gender", reason],
        ])
        var everything = try Data(contentsOf: URL(fileURLWithPath: outcome.rejectsPath))
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            everything += try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
        }
        for secret in ["Zebedee", "Quirinus", "987 654", "Secret", "1990-02-01", "01/02/1990"] {
            #expect(everything.range(of: Data(secret.utf8)) == nil, "\(secret)")
        }
        let published = try readSimpleCSV(out + "/anonymized.csv", delimiter: ",")
        #expect(published.count - 1 == r.records.published && r.records.published + r.records.suppressed == 1200)
    }

    /// Every value of the columns the two profiles ignore: casemgmt's full_name, phone and notes,
    /// and the template's names, contacts, addresses, places, organisations and details.
    static func identifyingValues() throws -> Set<String> {
        var values = Set<String>()
        for row in try F.independentRows(F.sample("casemgmt.csv")).rows {
            for c in ["full_name", "phone", "notes"] { values.insert(row[c]!.trimmingCharacters(in: .whitespaces)) }
        }
        let profile = try F.shipped("htcds-csv")
        let all = try readSimpleCSV(F.sample("htcds-template.csv"), delimiter: ",")
        for row in all.dropFirst(2) {
            for (i, name) in all[0].enumerated() where profile.ignored.contains(name.isEmpty ? "#\(i + 1)" : name) {
                values.insert(row[i].trimmingCharacters(in: .whitespaces))
            }
        }
        values.remove("")
        return values
    }

    // MARK: the executable

    static let executable: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("htdx").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    @Test(.enabled(if: ProfileRunTests.executable != nil, "the htdx executable was not built beside the tests"))
    func theExecutableReadsAPartnerExportByProfileName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable!)
        process.arguments = ["anonymize", "--policy", F.partnersPolicy, "--out", scratch.path("drop"),
                             "--input", "casemgmt=\(F.sample("casemgmt.csv"))", "--json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: stderr, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any])
        let partners = try #require(object["partners"] as? [String: Any])
        let casemgmt = try #require(partners["casemgmt"] as? [String: Any])
        #expect(casemgmt["read"] as? Int == 1200)
        #expect(casemgmt["accepted"] as? Int == 1200)
        #expect((object["records"] as? [String: Any])?["in"] as? Int == 1200)
        #expect(FileManager.default.fileExists(atPath: scratch.path("drop/anonymized.csv")))
        #expect(FileManager.default.fileExists(atPath: scratch.path("drop.rejects.csv")))
    }
}
