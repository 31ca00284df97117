import Anonymize
import Export
import Foundation
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// `htdx explain`: the fate of one record, told without its values, and always the fate the run gives it.
@Suite(.tags(.slow)) struct ExplainSlowTests {
    static func explain(_ job: ReleaseJob, _ selector: RecordSelector) throws -> AnonymizeRun.Outcome {
        var run = try job.anonymizeRun()
        run.sink = .explain(selector)
        return try run.run()
    }

    /// Every record of the shipped release explained at once: the fates balance as the report
    /// does, and each published fate is its row of the file the run publishes.
    @Test func everyFateOfTheShippedReleaseAgreesWithThePublishedFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try PreviewSlowTests.releaseJob(scratch)
        let fates = try Self.explain(job, RecordSelector.every()).fates
        let report = try job.run().report
        #expect(fates.count == report.records.in)

        let rows = try readSimpleCSV(scratch.path("release/anonymized.csv"), delimiter: ";")
        let qi = report.quasiIdentifiers.map { rows[0].firstIndex(of: $0)! }
        var classes: [[String]: Int] = [:]
        for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }

        var published: [Int] = []
        var suppressed = 0, rejected = 0
        var excluded: [String: Int] = [:]
        for fate in fates {
            switch fate.outcome {
            case .published(let row, let size, let labels, _):
                published.append(row)
                let key = qi.map { rows[row][$0] }
                #expect(labels.map(\.value) == key, "\(fate.file):\(fate.line)")
                #expect(labels.map(\.attribute) == report.quasiIdentifiers)
                #expect(size == classes[key] && size >= report.k)
            case .suppressed(let size):
                suppressed += 1
                #expect(size >= 1 && size < report.k, "\(fate.file):\(fate.line) suppressed in a class of \(size)")
            case .excluded(let filter):
                excluded[filter, default: 0] += 1
            case .rejected:
                rejected += 1
            case .heldBack:
                Issue.record("\(fate.file):\(fate.line) held back, though the run compares with no earlier release")
            }
        }
        // Rows are sorted by class, not input order: every row once, in some order.
        #expect(published.sorted() == Array(1...report.records.published))
        #expect(suppressed == report.records.suppressed && rejected == report.records.rejected)
        #expect(excluded == report.exclusions)
        // Blanked cells are said, and only where the published label is the blank one.
        let blanked = fates.filter { if case .published(_, _, _, let b) = $0.outcome { !b.isEmpty } else { false } }
        #expect(blanked.count == report.cellSuppression?.recordsBlanked)
    }

    /// A plain CSV job, whose records are found by file and line: excluded records name the filter
    /// the input's own values match, and no explanation holds an identifying value of its record.
    @Test func explanationsNameTheFilterAndNeverAnIdentifyingValue() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let jobPath = try writeCaseJob(scratch)
        let job = try ReleaseJob.load(path: jobPath)
        let outcome = try Self.explain(job, RecordSelector.every(file: "cases.csv"))
        let input = try readSimpleCSV(Repo.root.appendingPathComponent("Examples/cases.csv").path, delimiter: ",")
        let h = input[0]
        let (consent, status) = (h.firstIndex(of: "consent")!, h.firstIndex(of: "traffickingStatus")!)
        let identifying = ["caseId", "fullName", "dateOfBirth", "registrationDate", "notes"].map { h.firstIndex(of: $0)! }
        #expect(outcome.fates.count == input.count - 1)
        var kinds = Set<String>()
        // Every record is selected, so the fates are the input's records in order (a record's
        // line is where it starts, and quoted notes can span lines).
        for (i, fate) in outcome.fates.enumerated() {
            let record = input[i + 1]
            switch fate.outcome {
            case .excluded(let filter):
                kinds.insert("excluded")
                #expect(filter == (record[consent] != "TRUE" ? "no-consent" : "not-a-victim"), "line \(fate.line)")
            case .published: kinds.insert("published")
            case .suppressed: kinds.insert("suppressed")
            case .rejected: kinds.insert("rejected")
            case .heldBack: kinds.insert("heldBack")
            }
            if case .excluded = fate.outcome {} else {
                #expect(record[consent] == "TRUE" && record[status] != "NotAVictimOfTrafficking", "line \(fate.line)")
            }
            let text = fate.explanation(k: outcome.report.k)
            for c in identifying where !record[c].isEmpty {
                #expect(!text.contains(record[c]), "the explanation of line \(fate.line) shows its \(h[c])")
            }
        }
        #expect(kinds.isSuperset(of: ["excluded", "published", "suppressed"]))
        // Nothing was published or left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["job.yaml"])
    }

    @Test func oneRecordByReferenceOrLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let job = try PreviewSlowTests.releaseJob(scratch)
        let byReference = try Self.explain(job, RecordSelector(reference: "CM-000003")).fates
        #expect(byReference.count == 1 && byReference.first?.line == 4 && byReference.first?.partner == "casemgmt")
        let byLine = try Self.explain(job, RecordSelector(file: "partners/casemgmt.csv", line: 4)).fates
        // The same fate; found by line, the partner's reference (an identifier) is not shown.
        #expect(byLine.map(\.outcome) == byReference.map(\.outcome) && byLine.map(\.line) == byReference.map(\.line))
        #expect(byLine.first?.reference == "" && byLine.first.map { !$0.explanation(k: 11).contains("CM-000003") } == true)
        // A selector with nothing to narrow by selects nothing, rather than every record.
        #expect(try Self.explain(job, RecordSelector()).fates.isEmpty)
        #expect(try Self.explain(job, RecordSelector(reference: "")).fates.isEmpty)
        #expect(try Self.explain(job, RecordSelector(file: "partners/casemgmt.csv")).fates.isEmpty)
        #expect(try Self.explain(job, RecordSelector(reference: "CM-000003", partner: "hotline")).fates.isEmpty)
    }
}
