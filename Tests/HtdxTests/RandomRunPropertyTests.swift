import Anonymize
import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// Random tables through the whole pipeline, checked from the published file alone.
@Suite struct RandomRunPropertyTests {
    @Test func everyPublishedClassHasKRecordsAndEveryRecordIsAccountedFor() throws {
        var published = 0
        for seed in UInt64(1)...40 {
            let p = try RandomProblem(seed: seed &* 7919)
            let scratch = try Scratch()
            defer { scratch.remove() }
            var policy = "version: 1\ninput: {delimiter: \";\"}\nattributes:\n  id: identifying\n"
            for (i, h) in p.hierarchies.enumerated() {
                let table = h.rawValues.indices.map { r in
                    (0..<h.levelCount).map { h.labels[$0][Int(h.map[$0][r])] }.joined(separator: ";")
                }.joined(separator: "\n")
                try scratch.write("h\(i).csv", table + "\n")
                policy += "  q\(i): {type: quasi-identifying, hierarchy: h\(i).csv}\n"
            }
            policy += "  note: sensitive\nprivacy: {k: \(p.k), suppressionLimit: \(Double(p.limitPercent) / 100)}\nmetric: \(p.metric.rawValue)\n"
                // About one row in ten is broken on purpose: more than the default maxRejectedShare.
                + "maxRejectedShare: 1\n"
            try scratch.write("policy.yaml", policy)
            var rng = SplitMix64(seed: seed)
            var csv = "id;" + p.hierarchies.indices.map { "q\($0)" }.joined(separator: ";") + ";note\n"
            var broken = 0
            for (n, row) in p.rows.enumerated() {
                csv += "person\(n);" + row.joined(separator: ";") + ";\"a; note\"\n"
                if Int.random(in: 0..<10, using: &rng) == 0 {
                    csv += "broken\(n);x\n"
                    broken += 1
                }
            }
            let input = try scratch.write("in.csv", csv)
            let run = AnonymizeRun(policyPath: scratch.path("policy.yaml"), inputPath: input, outputDirectory: scratch.path("out"))
            let outcome = Result { try run.run() }
            if case .failure(let error) = outcome {
                // Only the privacy model may refuse a well-formed random table, and then nothing is published.
                #expect((error as? RunError)?.exitCode == 4, "seed \(seed): \(error)")
                #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
                continue
            }
            let report = try outcome.get().report
            let rows = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ";")
            let header = rows[0]
            #expect(!header.contains("id"))
            #expect(report.records.in == p.rows.count + broken, "seed \(seed)")
            #expect(report.records.rejected == broken, "seed \(seed)")
            #expect(report.records.in == report.records.rejected + report.records.excluded + report.records.suppressed + report.records.published)
            #expect(rows.count - 1 == report.records.published, "seed \(seed)")
            #expect(report.records.suppressed <= report.records.suppressionAllowed)
            let qi = header.indices.filter { header[$0].hasPrefix("q") }
            var classes: [[String]: Int] = [:]
            for row in rows.dropFirst() { classes[qi.map { row[$0] }, default: 0] += 1 }
            #expect(classes.values.allSatisfy { $0 >= p.k }, "seed \(seed): a class below k = \(p.k)")
            #expect(!rows.joined().joined().contains("person"))
            published += report.records.published
        }
        #expect(published > 100, "the random runs published too little to mean anything")
    }
}
