import Export
import Foundation
import Pipeline
import TestSupport
import Testing

/// The report's per-attribute loss after cell suppression, recounted from the published file: a
/// blanked cell costs 1 in its own attribute and nothing in the others.
@Suite struct PublishedLossTests {
    static let countryRows = [["UA", "Europe", "*"], ["MD", "Europe", "*"], ["PH", "Asia", "*"], ["VN", "Asia", "*"]]

    /// Classes of three at the raw level, so country must rise to its regions; there, the four
    /// records in Asia split three women and one man, and blanking their gender makes one class of four.
    static let input: String = {
        var text = "name,gender,country,exploitation\n"
        let records = [("F", "UA", 3), ("F", "MD", 3), ("M", "UA", 3), ("M", "MD", 3), ("F", "PH", 2), ("F", "VN", 1), ("M", "PH", 1)]
        var n = 0
        for (g, c, count) in records {
            for _ in 0..<count {
                text += "P\(n),\(g),\(c),\(["Sexual", "Labour"][n % 2])\n"
                n += 1
            }
        }
        return text
    }()

    /// (size − 1) ÷ (domain − 1) of the group `label` names at `level` of `rows`.
    static func loss(_ label: String, level: Int, rows: [[String]]) -> Double {
        Double(rows.filter { $0[level] == label }.count - 1) / Double(rows.count - 1)
    }

    @Test func attributeLossMatchesTheFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("h/gender.csv", "F;*\nM;*\n")
        try scratch.write("h/country.csv", Self.countryRows.map { $0.joined(separator: ";") }.joined(separator: "\n") + "\n")
        let policy = try scratch.write("policy.yaml", """
            version: 1
            attributes:
              name: identifying
              gender: {type: quasi-identifying, hierarchy: h/gender.csv}
              country: {type: quasi-identifying, hierarchy: h/country.csv}
              exploitation: sensitive
            privacy: {k: 4, suppressionLimit: 0.25, cellSuppression: {priority: [gender], maxCells: 1}}

            """)
        let input = try scratch.write("in.csv", Self.input)
        let report = try AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out")).run().report
        #expect(report.transformation == ["gender": 0, "country": 1])
        #expect(report.cellSuppression?.cellsBlanked["gender"] == 4)
        #expect(report.cellSuppression?.cellsBlanked["country"] ?? 0 == 0)

        // Recount from the published file alone.
        let rows = try readSimpleCSV(scratch.path("out/anonymized.csv"), delimiter: ",")
        let header = rows[0]
        let g = try #require(header.firstIndex(of: "gender")), c = try #require(header.firstIndex(of: "country"))
        let entering = Double(report.records.in - report.records.rejected - report.records.excluded)
        let level = try #require(report.transformation["country"])
        var country = Double(report.records.suppressed), gender = Double(report.records.suppressed)
        for row in rows.dropFirst() {
            country += row[c].isEmpty ? 1 : Self.loss(row[c], level: level, rows: Self.countryRows)
            gender += row[g].isEmpty ? 1 : 0    // level 0: a raw value costs nothing
        }
        #expect(rows.dropFirst().contains { $0[g].isEmpty })
        #expect(abs((report.attributeLoss["country"] ?? -1) - country / entering) < 1e-12, "\(report.attributeLoss)")
        #expect(abs((report.attributeLoss["gender"] ?? -1) - gender / entering) < 1e-12, "\(report.attributeLoss)")
        // By hand: every record is published, in a region of two countries (⅓ each), and four
        // genders are blank (1 each): ⅓ and ¼. Had blanking cost in every attribute, country would be ½.
        #expect(report.records.suppressed == 0 && entering == 16)
        #expect(abs((report.attributeLoss["country"] ?? -1) - 1 / 3.0) < 1e-12)
        #expect(abs((report.attributeLoss["gender"] ?? -1) - 0.25) < 1e-12)
    }
}
