import Anonymize
import Foundation
import PolicyFile
import TestSupport
import Testing

extension Scratch {
    /// Writes the policy, one element per line, so that line `n` of the file is `lines[n - 1]`.
    @discardableResult
    fileprivate func policy(_ lines: [String], name: String = "policy.yaml") throws -> String {
        try write(name, lines.joined(separator: "\n") + "\n")
    }
}

fileprivate typealias PolicyScratch = Scratch

fileprivate func withPolicyScratch(_ body: (PolicyScratch) throws -> Void) throws {
    let scratch = try PolicyScratch()
    defer { scratch.remove() }
    try body(scratch)
}

/// Loads a policy that must fail, and returns its error.
fileprivate func loadError(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> PolicyError? {
    do {
        let document = try PolicyDocument.load(path: path)
        Issue.record("the policy loaded, but should not have: \(document.policy.attributes.map(\.name))",
                     sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The 1-based line of `lines` that contains `needle`; the test's own check that it counted right.
fileprivate func lineOf(_ needle: String, in lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
    let hits = lines.indices.filter { lines[$0].contains(needle) }
    #expect(hits.count == 1, "\"\(needle)\" should be on exactly one line", sourceLocation: sourceLocation)
    return (hits.first ?? -1) + 1
}

/// Checks where an error points: the file, the line, the key, and that the description leads with them.
fileprivate func expectLocated(
    _ error: PolicyError, file: String, line: Int, key: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(error.file == file, sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.key == key, "\(error)", sourceLocation: sourceLocation)
    #expect(error.description.hasPrefix(file), "\(error)", sourceLocation: sourceLocation)
    #expect(error.description.hasPrefix("\(file):\(line)"), "\(error)", sourceLocation: sourceLocation)
    if !key.isEmpty {
        #expect(error.description.contains(": \(key): "), "\(error)", sourceLocation: sourceLocation)
    }
}

fileprivate let genderCSV = "Female;*\nMale;*\nOther;*\n"
fileprivate let zipCSV = "10115;101**;1****;*\n10117;101**;1****;*\n14467;144**;1****;*\n20095;200**;2****;*\n"

/// A valid policy to start from; tests replace single lines of it.
fileprivate let validLines = [
    "# A test policy",                                                               // 1
    "version: 1",                                                                    // 2
    "input:",                                                                        // 3
    "  delimiter: \";\"",                                                            // 4
    "attributes:",                                                                   // 5
    "  zip: {type: quasi-identifying, hierarchy: hierarchies/zip.csv}",              // 6
    "  caseId: identifying",                                                         // 7
    "  gender:",                                                                     // 8
    "    type: quasi-identifying",                                                   // 9
    "    hierarchy: gender.csv",                                                     // 10
    "  age: {type: quasi-identifying, hierarchy: {intervals: {min: 0, max: 9, widths: [5]}}}", // 11
    "  diagnosis: sensitive",                                                        // 12
    "  source: insensitive",                                                         // 13
    "  region: quasi-identifying",                                                   // 14
    "privacy:",                                                                      // 15
    "  k: 5",                                                                        // 16
    "  suppressionLimit: 0.05",                                                      // 17
]

/// `validLines` with line `line` (1-based) replaced.
fileprivate func replacing(_ line: Int, with text: String, in lines: [String] = validLines) -> [String] {
    var copy = lines
    copy[line - 1] = text
    return copy
}

/// Writes the hierarchy files `validLines` names.
fileprivate func writeHierarchies(_ s: PolicyScratch) throws {
    try s.write("gender.csv", genderCSV)
    try s.write("hierarchies/zip.csv", zipCSV)
}

@Suite("PolicyFile")
struct PolicyFileTests {

    // MARK: Valid policies

    @Test func validPolicyLoads() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let path = try s.policy(validLines)
            let document = try PolicyDocument.load(path: path)
            let policy = document.policy
            #expect(document.path == path)
            #expect(policy.attributes.map(\.name) == ["zip", "caseId", "gender", "age", "diagnosis", "source", "region"])
            #expect(policy.attributes.map(\.role) == [
                .quasiIdentifying, .identifying, .quasiIdentifying, .quasiIdentifying, .sensitive, .insensitive,
                .quasiIdentifying,
            ])
            #expect(policy.quasiIdentifiers.map(\.name) == ["zip", "gender", "age", "region"])
            #expect(policy.privacy.k == 5)
            #expect(policy.privacy.suppressionLimit == 0.05)
            #expect(policy.metric == .loss)
            #expect(document.delimiter == UInt8(ascii: ";"))
            #expect(document.bytes == Array((validLines.joined(separator: "\n") + "\n").utf8))

            let zip = try #require(policy.attribute(named: "zip")?.hierarchy)
            #expect(zip.levelCount == 4)
            #expect(zip.rawValues == ["10115", "10117", "14467", "20095"])
            #expect(zip == (try Hierarchy(rows: zipCSV.split(separator: "\n").map { $0.split(separator: ";").map(String.init) })))
            #expect(policy.attribute(named: "zip")?.hierarchySource == s.path("hierarchies/zip.csv"))

            let gender = try #require(policy.attribute(named: "gender")?.hierarchy)
            #expect(gender.levelCount == 2)
            #expect(gender.rawValues == ["Female", "Male", "Other"])

            let age = try #require(policy.attribute(named: "age")?.hierarchy)
            #expect(age.levelCount == 3)
            #expect(age == (try HierarchyBuilder.intervals(min: 0, max: 9, widths: [5])))

            #expect(policy.attribute(named: "region")?.hierarchy == nil)
            #expect(policy.attribute(named: "caseId")?.hierarchy == nil)

            let files = Dictionary(uniqueKeysWithValues: document.hierarchyFiles.map { ($0.path, $0.bytes) })
            #expect(files.count == 2)
            #expect(files[s.path("gender.csv")] == Array(genderCSV.utf8))
            #expect(files[s.path("hierarchies/zip.csv")] == Array(zipCSV.utf8))
        }
    }

    @Test func defaultsWhenInputAndMetricAreLeftOut() throws {
        try withPolicyScratch { s in
            let path = try s.policy([
                "version: 1",
                "attributes: {b: sensitive, a: quasi-identifying}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ])
            let document = try PolicyDocument.load(path: path)
            #expect(document.delimiter == UInt8(ascii: ","))
            #expect(document.policy.metric == .loss)
            #expect(document.policy.attributes.map(\.name) == ["b", "a"])
            #expect(document.policy.privacy == PrivacyModels(k: 2, suppressionLimit: 0))
            #expect(document.hierarchyFiles.isEmpty)
        }
    }

    @Test(arguments: [("0", 0.0), ("1", 1.0), ("0.0", 0.0), ("1.0", 1.0), ("0.5", 0.5)])
    func suppressionLimitBounds(text: String, value: Double) throws {
        try withPolicyScratch { s in
            let path = try s.policy([
                "version: 1",
                "attributes: {a: quasi-identifying}",
                "privacy:",
                "  k: 11",
                "  suppressionLimit: \(text)",
                "metric: discernibility",
            ])
            let document = try PolicyDocument.load(path: path)
            #expect(document.policy.privacy.suppressionLimit == value)
            #expect(document.policy.privacy.k == 11)
            #expect(document.policy.metric == .discernibility)
        }
    }

    @Test func tabDelimiter() throws {
        try withPolicyScratch { s in
            let path = try s.policy([
                "version: 1",
                "input: {delimiter: \"\\t\"}",
                "attributes: {a: sensitive}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ])
            #expect(try PolicyDocument.load(path: path).delimiter == UInt8(ascii: "\t"))
        }
    }

    @Test func oneHierarchyFileSharedByTwoAttributes() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let path = try s.policy([
                "version: 1",
                "attributes:",
                "  home: {type: quasi-identifying, hierarchy: hierarchies/zip.csv}",
                "  work: {type: quasi-identifying, hierarchy: hierarchies/zip.csv}",
                "privacy: {k: 2, suppressionLimit: 0.1}",
            ])
            let document = try PolicyDocument.load(path: path)
            let home = try #require(document.policy.attribute(named: "home")?.hierarchy)
            let work = try #require(document.policy.attribute(named: "work")?.hierarchy)
            #expect(home == work)
            #expect(document.hierarchyFiles.map(\.path) == [s.path("hierarchies/zip.csv")])
        }
    }

    @Test func inlineIntervalsLoadWithThreeLevels() throws {
        try withPolicyScratch { s in
            let path = try s.policy([
                "version: 1",
                "attributes:",
                "  age: {type: quasi-identifying, hierarchy: {intervals: {min: 0, max: 9, widths: [5]}}}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ])
            let age = try #require(try PolicyDocument.load(path: path).policy.attribute(named: "age")?.hierarchy)
            #expect(age.levelCount == 3)
            #expect(age.rawValues == (0...9).map(String.init))
            #expect(age.labels[1] == ["0-4", "5-9"])
            #expect(age.labels[2] == ["*"])
        }
    }

    @Test func inlineDatesLoad() throws {
        try withPolicyScratch { s in
            let path = try s.policy([
                "version: 1",
                "attributes:",
                "  registered:",
                "    type: quasi-identifying",
                "    hierarchy:",
                "      dates: {min: 2019-12-30, max: \"2020-01-02\", levels: [month, year]}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ])
            let h = try #require(try PolicyDocument.load(path: path).policy.attribute(named: "registered")?.hierarchy)
            #expect(h.levelCount == 4)
            #expect(h == (try HierarchyBuilder.dates(min: "2019-12-30", max: "2020-01-02", levels: [.month, .year])))
            #expect(h.labels[1] == ["2019-12", "2020-01"])
        }
    }

    // MARK: Misspelt keys and values

    @Test func misspeltTopLevelKeySuggestsTheRightOne() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(15, with: "privacyy:")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: lineOf("privacyy", in: lines), key: "privacyy")
            #expect(error.column == 1)
            #expect(error.message.contains("did you mean \"privacy\""), "\(error)")
        }
    }

    @Test func misspeltNestedKeySuggestsTheRightOne() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(17, with: "  supressionLimit: 0.05")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: lineOf("supressionLimit", in: lines), key: "privacy.supressionLimit")
            #expect(error.column == 3)
            #expect(error.message.contains("did you mean \"suppressionLimit\""), "\(error)")
        }
    }

    @Test func misspeltAttributeKeySuggestsTheRightOne() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(10, with: "    hierachy: gender.csv")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 10, key: "attributes.gender.hierachy")
            #expect(error.message.contains("did you mean \"hierarchy\""), "\(error)")
        }
    }

    @Test func unknownRoleSuggestsTheRightOne() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            // The short form, `name: role`.
            let short = replacing(14, with: "  region: quasi-identifier")
            let path = try s.policy(short)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: lineOf("quasi-identifier", in: short), key: "attributes.region")
            #expect(error.message.contains("\"quasi-identifier\" is not a role"), "\(error)")
            #expect(error.message.contains("did you mean \"quasi-identifying\""), "\(error)")

            // The long form, `type: role`.
            let long = replacing(9, with: "    type: quasi-identifier")
            let longPath = try s.policy(long, name: "long.yaml")
            let longError = try #require(loadError(longPath))
            expectLocated(longError, file: longPath, line: 9, key: "attributes.gender.type")
            #expect(longError.message.contains("did you mean \"quasi-identifying\""), "\(longError)")
        }
    }

    @Test func misspeltMetricSuggestsTheRightOne() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = validLines + ["metric: los"]
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: lines.count, key: "metric")
            #expect(error.message.contains("did you mean \"loss\""), "\(error)")
        }
    }

    // MARK: Values out of range

    @Test func kBelowTwoIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            for k in ["1", "0", "-3"] {
                let lines = replacing(16, with: "  k: \(k)")
                let path = try s.policy(lines)
                let error = try #require(loadError(path))
                expectLocated(error, file: path, line: 16, key: "privacy.k")
                #expect(error.column == 6)
                #expect(error.message.contains("k ≥ 2"), "\(error)")
            }
        }
    }

    @Test func kOfTheWrongTypeIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            for k in ["abc", "5.5", "[5]"] {
                let lines = replacing(16, with: "  k: \(k)")
                let path = try s.policy(lines)
                let error = try #require(loadError(path))
                expectLocated(error, file: path, line: 16, key: "privacy.k")
            }
            let error = try #require(loadError(try s.policy(replacing(16, with: "  k: abc"))))
            #expect(error.message.contains("whole number"), "\(error)")
        }
    }

    @Test(arguments: ["1.5", "-0.1", "1.0000001", "abc", ".nan", "nan", "inf"])
    func suppressionLimitOutsideZeroToOneIsAnError(text: String) throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(17, with: "  suppressionLimit: \(text)")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 17, key: "privacy.suppressionLimit")
        }
    }

    @Test func versionOtherThanOneIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(2, with: "version: 2")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 2, key: "version")
            #expect(error.message.contains("must be 1"), "\(error)")
        }
    }

    @Test func badDelimiterIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            for d in ["\",;\"", "\"\"", "'\"'", "é"] {
                let path = try s.policy(replacing(4, with: "  delimiter: \(d)"))
                let error = try #require(loadError(path))
                expectLocated(error, file: path, line: 4, key: "input.delimiter")
            }
        }
    }

    // MARK: Missing parts

    @Test func missingPrivacyIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = Array(validLines[1..<14]) // without the comment and without privacy
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            // Nothing to point at but the policy's top-level mapping, which starts on line 1.
            expectLocated(error, file: path, line: 1, key: "privacy")
            #expect(error.message.contains("missing"), "\(error)")
        }
    }

    @Test func missingPolicyFileIsAnError() throws {
        try withPolicyScratch { s in
            let path = s.path("nope.yaml")
            let error = try #require(loadError(path))
            #expect(error.file == path)
            #expect(error.line == 0)
            #expect(error.description.hasPrefix("\(path): "))
        }
    }

    // MARK: Hierarchies

    @Test func missingHierarchyFileNamesItsPath() throws {
        try withPolicyScratch { s in
            try s.write("gender.csv", genderCSV) // zip.csv is not written
            let path = try s.policy(validLines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 6, key: "attributes.zip.hierarchy")
            #expect(error.message.contains(s.path("hierarchies/zip.csv")), "\(error)")
        }
    }

    @Test func hierarchyFileWithInconsistentLevelsNamesThatFileAndLine() throws {
        try withPolicyScratch { s in
            let hierarchyPath = try s.write("hierarchies/zip.csv", "10115;101**;*\n10117;101**;*\n14467;*\n")
            try s.write("gender.csv", genderCSV)
            let path = try s.policy(validLines)
            let error = try #require(loadError(path))
            #expect(error.file == hierarchyPath)
            #expect(error.line == 3, "\(error)")
            #expect(error.description.hasPrefix("\(hierarchyPath):3"), "\(error)")
            // The message also says which policy line asked for the hierarchy.
            #expect(error.message.contains("\(path):6"), "\(error)")
            #expect(error.message.contains("attributes.zip.hierarchy"), "\(error)")
        }
    }

    @Test func hierarchyFileLinesCountMultiLineRecords() throws {
        try withPolicyScratch { s in
            // Row 1 spans lines 2-3, so the short row (row 3) is on line 5.
            let hierarchyPath = try s.write("h.csv", "a;x;*\n\"b\nc\";x;*\nd;y;*\ne;*\n")
            let path = try s.policy([
                "version: 1",
                "attributes: {v: {type: quasi-identifying, hierarchy: h.csv}}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ])
            let error = try #require(loadError(path))
            #expect(error.file == hierarchyPath)
            #expect(error.line == 5, "\(error)")
        }
    }

    @Test func nonFunctionalHierarchyFileIsAnError() throws {
        try withPolicyScratch { s in
            let hierarchyPath = try s.write("h.csv", "a;x;p;*\nb;y;p;*\nc;x;q;*\n")
            let path = try s.policy([
                "version: 1",
                "attributes: {v: {type: quasi-identifying, hierarchy: h.csv}}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ])
            let error = try #require(loadError(path))
            #expect(error.file == hierarchyPath)
            #expect(error.line == 3, "\(error)")
            #expect(error.message.contains("each value must have one parent") && !error.message.contains("\"x\""), "\(error)")
        }
    }

    /// A sensitive attribute may have a hierarchy (for hierarchical t-closeness); an insensitive one may not.
    @Test func hierarchyOnAnInsensitiveAttributeIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(12, with: "  diagnosis: {type: insensitive, hierarchy: gender.csv}")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 12, key: "attributes.diagnosis.hierarchy")
            #expect(error.message.contains("insensitive"), "\(error)")
            let sensitive = try s.policy(replacing(12, with: "  diagnosis: {type: sensitive, hierarchy: gender.csv}"))
            #expect(try PolicyDocument.load(path: sensitive).policy.attribute(named: "diagnosis")?.hierarchy != nil)
        }
    }

    @Test func invalidInlineIntervalsAreAnErrorOnThePolicyLine() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(11, with: "  age: {type: quasi-identifying, hierarchy: {intervals: {min: 0, max: 9, widths: [5, 7]}}}")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 11, key: "attributes.age.hierarchy")
            #expect(error.message.contains("widths"), "\(error)")
        }
    }

    @Test func misspeltInlineDateLevelSuggestsTheRightOne() throws {
        try withPolicyScratch { s in
            let lines = [
                "version: 1",
                "attributes:",
                "  d:",
                "    type: quasi-identifying",
                "    hierarchy:",
                "      dates:",
                "        min: 2020-01-01",
                "        max: 2020-12-31",
                "        levels: [month, yaer]",
                "privacy: {k: 2, suppressionLimit: 0}",
            ]
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            expectLocated(error, file: path, line: 9, key: "attributes.d.hierarchy.dates.levels")
            #expect(error.message.contains("did you mean \"year\""), "\(error)")
        }
    }

    // MARK: Structure

    @Test func duplicateAttributeNameIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            var lines = validLines
            lines.insert("  caseId: sensitive", at: 13) // line 14, after `source`
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.file == path)
            #expect(error.description.hasPrefix(path))
            #expect(error.line == 14, "\(error)")
            #expect(error.key == "attributes.caseId", "\(error)")
        }
    }

    @Test func duplicateAttributeNameIsFoundPastACommentNamingIt() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            var lines = replacing(7, with: "  caseId: identifying   # caseId: the case number")
            lines.insert("  caseId: sensitive", at: 13) // line 14
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.line == 14, "\(error)")
        }
    }

    @Test func duplicateQuotedAttributeNameNamesTheSecondLine() throws {
        try withPolicyScratch { s in
            let lines = [
                "version: 1",
                "attributes:",
                "  \"date of birth\": identifying",
                "  gender: quasi-identifying",
                "  \"date of birth\": sensitive",   // line 5
                "privacy: {k: 2, suppressionLimit: 0}",
            ]
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.file == path)
            #expect(error.line == 5, "\(error)")
        }
    }

    @Test func duplicateAttributeNamedLikeANestedKeyNamesTheSecondLine() throws {
        try withPolicyScratch { s in
            // A column called `type`, listed twice, with another attribute's `type:` key in between.
            try s.write("gender.csv", genderCSV)
            let lines = [
                "version: 1",
                "attributes:",
                "  type: sensitive",
                "  gender:",
                "    type: quasi-identifying",
                "    hierarchy: gender.csv",
                "  type: insensitive",                  // line 7
                "privacy: {k: 2, suppressionLimit: 0}",
            ]
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.file == path)
            #expect(error.line == 7, "\(error)")
        }
    }

    @Test func duplicateKeyInsideAMappingIsAnError() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            var lines = validLines
            lines.append("  k: 7") // line 18: privacy.k given twice
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.file == path)
            #expect(error.description.hasPrefix(path))
            #expect(error.line == 18, "\(error)")
            #expect(error.key == "privacy.k", "\(error)")
        }
    }

    @Test func invalidUTF8InAHierarchyFileNamesFileAndLineOnce() throws {
        try withPolicyScratch { s in
            let hierarchyPath = try s.write("h.csv", "a;*\n")
            try Data([0x62, 0xE9, 0x3B, 0x2A, 0x0A]).write(to: URL(fileURLWithPath: hierarchyPath), options: .atomic)
            let lines = [
                "version: 1",
                "attributes: {v: {type: quasi-identifying, hierarchy: h.csv}}",
                "privacy: {k: 2, suppressionLimit: 0}",
            ]
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.file == hierarchyPath)
            #expect(error.line == 1)
            #expect(error.description.hasPrefix("\(hierarchyPath):1: "), "\(error)")
            #expect(error.message.contains("UTF-8"), "\(error)")
            #expect(error.description.components(separatedBy: hierarchyPath).count == 2, "\(error)")
        }
    }

    @Test func yamlSyntaxErrorReportsItsLine() throws {
        try withPolicyScratch { s in
            try writeHierarchies(s)
            let lines = replacing(13, with: "  source: insensitive: oops")
            let path = try s.policy(lines)
            let error = try #require(loadError(path))
            #expect(error.file == path)
            #expect(error.line == 13, "\(error)")
            #expect(error.key == "")
            #expect(error.message.hasPrefix("YAML syntax error"), "\(error)")
            #expect(error.description.hasPrefix("\(path):13:"), "\(error)")

            let unclosed = replacing(16, with: "  k: [5")
            let unclosedPath = try s.policy(unclosed, name: "unclosed.yaml")
            let e2 = try #require(loadError(unclosedPath))
            #expect(e2.line >= 16, "\(e2)")
            #expect(e2.message.hasPrefix("YAML syntax error"), "\(e2)")
        }
    }
}
