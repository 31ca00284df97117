import Anonymize
import Export
import Foundation
import Pipeline
import PolicyFile
import Recode
import TestSupport
import Testing

/// The shipped release job, end to end: four partners (CSV and XML) in CTDC's k-anonymised layout,
/// checked from the published directory alone.
@Suite(.tags(.slow)) struct ReleaseRunSlowTests {
    /// `Examples/release.yaml`, with its output moved into `scratch` and, optionally, the policy
    /// replaced by a copy edited with `edit`.
    static func run(_ scratch: Scratch, edit: ((String) -> String)? = nil) throws -> AnonymizeRun.Outcome {
        var job = try ReleaseJob.load(path: Repo.root.appendingPathComponent("Examples/release.yaml").path).document
        if let edit {
            try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("Policies").path, toPath: scratch.path("Policies"))
            let policy = scratch.path("Policies/ctdc-global.yaml")
            try edit(try String(contentsOfFile: policy, encoding: .utf8)).write(toFile: policy, atomically: true, encoding: .utf8)
            job.policy = policy
        }
        job.output = scratch.path("release")
        job.rejects = scratch.path("release.rejects.csv")
        return try ReleaseJob(document: job).run()
    }

    @Test func theShippedReleaseHasCTDCsColumnsAndIsKAnonymousFromItsFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outcome = try Self.run(scratch)
        let r = outcome.report
        #expect(r.k == 11)
        #expect(r.partners.count == 4)
        #expect(r.records.in == r.records.rejected + r.records.excluded + r.records.suppressed + r.records.published)
        #expect(r.records.published > 1000 && r.records.excluded > 0)

        let rows = try readSimpleCSV(scratch.path("release/anonymized.csv"), delimiter: ";")
        let header = rows[0]
        #expect(header == CTDCLayout.columnNames && header.count == 63)
        if let reference = try? Data(contentsOf: URL(fileURLWithPath: Repo.root.deletingLastPathComponent().path + "/shared/reference/ctdc/release-columns.json")),
           let json = try JSONSerialization.jsonObject(with: reference) as? [String: Any],
           let layout = json["global_dataset_k_anonymized"] as? [String: Any], let columns = layout["columns"] as? [[String: Any]] {
            #expect(header == columns.compactMap { $0["name"] as? String })
        }
        #expect(rows.dropFirst().allSatisfy { $0.count == 63 })
        #expect(rows.count - 1 == r.records.published)

        // k from the file alone, over the quasi-identifiers the manifest names.
        let manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path("release/manifest.json"))))
        #expect(manifest.microdata.quasiIdentifiers == r.quasiIdentifiers && manifest.microdata.delimiter == ";")
        let qi = manifest.microdata.quasiIdentifiers.map { header.firstIndex(of: $0)! }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }
        #expect(classes.values.allSatisfy { $0 >= 11 })
        #expect(try ReleaseVerifier.verify(directory: scratch.path("release")).records == r.records.published)

        // What HTCDS has no source for is empty, never invented; indicators are 0, 1 or empty.
        for name in ["majorityStatusAtExploit", "isAbduction", "typeOfLabourAquafarming", "recruiterRelationFriend"] {
            let c = header.firstIndex(of: name)!
            #expect(rows.dropFirst().allSatisfy { $0[c].isEmpty }, "\(name) holds values")
        }
        for (c, name) in header.enumerated() where name.hasPrefix("is") || name.hasPrefix("meansOfControl") && !name.hasSuffix("Concatenated") {
            #expect(rows.dropFirst().allSatisfy { ["", "0", "1"].contains($0[c]) }, "\(name) holds other than 0, 1 or empty")
        }
        #expect(rows.dropFirst().contains { $0[header.firstIndex(of: "isForcedLabour")!] == "1" })

        // Nothing that names a partner record or a person reaches the release.
        let everything = try String(contentsOfFile: scratch.path("release/anonymized.csv"), encoding: .utf8)
        for secret in ["HL-0000", "CM-", "Madina", "Toshmatov", "uuid:"] { #expect(!everything.contains(secret), "\(secret) was published") }
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path("release")).sorted()
        #expect(files == ["aggregates", "anonymized.csv", "codebook.md", "datapackage.json", "manifest.json", "report.json"])
        let aggregates = try FileManager.default.contentsOfDirectory(atPath: scratch.path("release/aggregates")).sorted()
        #expect(aggregates == ["combinations.csv", "gender-by-age.csv", "year-by-source-by-gender.csv"])
        #expect(r.aggregates?.count == 3)
        let codebook = try String(contentsOfFile: scratch.path("release/codebook.md"), encoding: .utf8)
        for name in header { #expect(codebook.contains("| `\(name)` |"), "the codebook does not describe \(name)") }
    }

    @Test func termsOfUseAndHXLRowsAreOptionalAndVerify() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outcome = try Self.run(scratch) { policy in
            policy.replacingOccurrences(of: "  # termsOfUse: \"By using this data you agree to the CTDC terms of use\"",
                                        with: "  termsOfUse: \"By using this data you agree to the terms of use\"")
                .replacingOccurrences(of: "  hxl: false", with: "  hxl: true")
        }
        let rows = try readSimpleCSV(scratch.path("release/anonymized.csv"), delimiter: ";")
        #expect(rows[0].count == 64 && rows[0][0] == "By using this data you agree to the terms of use")
        #expect(Array(rows[0].dropFirst()) == CTDCLayout.columnNames)
        #expect(rows[1][0] == "" && rows[1][1] == "#date+year+registered" && rows[1].allSatisfy { $0.isEmpty || $0.hasPrefix("#") })
        #expect(rows.dropFirst(2).allSatisfy { $0[0].isEmpty })
        #expect(rows.count - 2 == outcome.report.records.published)
        let manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path("release/manifest.json"))))
        #expect(manifest.microdata.headerRows == 2)
        #expect(try ReleaseVerifier.verify(directory: scratch.path("release")).records == outcome.report.records.published)
    }

    @Test func aReleaseColumnThatIsNotAnAttributeIsRefusedWithItsLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect {
            _ = try Self.run(scratch) { $0.replacingOccurrences(of: "  columns: derived ", with: "  columns: [yearOfRegistration, prs_Birthdate] ") }
        } throws: { error in
            guard let error = error as? RunError, case .configuration(let message) = error else { return false }
            return message.contains("ctdc-global.yaml:") && message.contains("release.columns")
        }
    }
}
