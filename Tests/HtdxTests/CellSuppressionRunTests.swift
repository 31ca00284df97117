import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// Cell suppression through a whole run of the shipped example: the records of small classes
/// publish with blanked cells where that reaches k, checked from the published file alone.
@Suite struct CellSuppressionRunTests {
    /// The example policy beside a copy of its hierarchies (a policy reads hierarchies from its own
    /// folder only), with `privacy` as its privacy block.
    static func policy(_ scratch: Scratch, privacy: String) throws -> String {
        let policies = Repo.root.appendingPathComponent("Policies").path
        var text = try String(contentsOfFile: policies + "/example.yaml", encoding: .utf8)
        if !FileManager.default.fileExists(atPath: scratch.path("hierarchies")) {
            try FileManager.default.copyItem(atPath: policies + "/hierarchies", toPath: scratch.path("hierarchies"))
        }
        text = text.replacingOccurrences(of: "privacy: {k: 5, suppressionLimit: 0.05}", with: privacy)
        return try scratch.write("policy.yaml", text)
    }

    func run(_ scratch: Scratch, privacy: String, out: String) throws -> Report {
        try AnonymizeRun(policyPath: try Self.policy(scratch, privacy: privacy),
                         inputPath: Repo.root.appendingPathComponent("Examples/cases.csv").path,
                         outputDirectory: scratch.path(out)).run().report
    }

    @Test func blankingKeepsRecordsThatWouldBeSuppressedAndStaysKAnonymous() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let plain = try run(scratch, privacy: "privacy: {k: 5, suppressionLimit: 0.05}", out: "plain")
        let cells = try run(scratch, privacy: """
            privacy: {k: 5, suppressionLimit: 0.05, cellSuppression: {priority: [citizenship, yearOfRegistration], maxCells: 1}}
            """, out: "cells")
        let summary = try #require(cells.cellSuppression)
        // The same transformation, fewer records dropped, and the accounting still balances.
        #expect(cells.transformation == plain.transformation)
        #expect(plain.records.suppressed > 0)
        #expect(cells.records.suppressed < plain.records.suppressed)
        #expect(cells.records.suppressed == summary.recordsSuppressed)
        #expect(cells.records.in == cells.records.rejected + cells.records.excluded + cells.records.suppressed + cells.records.published)
        #expect(cells.records.published - plain.records.published == plain.records.suppressed - cells.records.suppressed)
        #expect(Set(summary.cellsBlanked.keys) == ["citizenship", "yearOfRegistration"])
        #expect(summary.cellsBlanked.values.reduce(0, +) > 0)

        // From the files: every class over the quasi-identifiers, a blank counting as a value, has
        // at least k records; only the listed attributes gained blanks; at most one per record.
        let plainRows = try readSimpleCSV(scratch.path("plain/anonymized.csv"), delimiter: ",")
        let rows = try readSimpleCSV(scratch.path("cells/anonymized.csv"), delimiter: ",")
        let header = rows[0]
        let qi = cells.quasiIdentifiers.map { header.firstIndex(of: $0)! }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }
        #expect(classes.values.allSatisfy { $0 >= cells.k })
        #expect(classes.count == cells.equivalenceClasses.count)
        let plainValues = Set(plainRows.dropFirst().map { row in qi.map { row[$0] } })
        // A row in a class the plain run did not publish is one it suppressed: blanked, or joined
        // at no cost to a group (its listed cell was already empty).
        let regrouped = rows.dropFirst().filter { row in !plainValues.contains(qi.map { row[$0] }) }.count
        let rescued = plain.records.suppressed - cells.records.suppressed
        #expect(regrouped > 0 && regrouped <= rescued)
        #expect(summary.recordsBlanked <= rescued)
        #expect(try ReleaseVerifier.verify(directory: scratch.path("cells")).smallestClass >= cells.k)
        let manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path("cells/manifest.json"))))
        #expect(manifest.microdata.cellsBlanked == summary.cellsBlanked)
    }

    @Test func aPriorityThatIsNotAQuasiIdentifierIsRefusedWithItsLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect {
            _ = try run(scratch, privacy: "privacy: {k: 5, suppressionLimit: 0.05, cellSuppression: {priority: [dataSource]}}", out: "x")
        } throws: { error in
            guard let error = error as? RunError, case .configuration(let message) = error else { return false }
            return message.contains("policy.yaml:") && message.contains("dataSource") && message.contains("not a quasi-identifier")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("x")))
    }
}
