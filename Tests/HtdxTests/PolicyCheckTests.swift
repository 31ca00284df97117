import Foundation
import Pipeline
import TestSupport
import Testing

/// `htdx check` on a corpus of broken policies: each problem reported as `file:line:col: severity:
/// message`, with the line where it is.
@Suite struct PolicyCheckTests {
    static let good = """
        version: 1
        attributes:
          name: identifying
          gender: {type: quasi-identifying, hierarchy: gender.csv}
          country: quasi-identifying
          type: sensitive
        rules:
          exclude:
            - {name: no-type, when: "type is missing"}
        privacy: {k: 11, suppressionLimit: 0.05}

        """

    func check(_ policy: String, sample: String? = nil, edit: ((Scratch) throws -> Void)? = nil) throws -> [String] {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("gender.csv", "F;*\nM;*\n;*\n")
        let path = try scratch.write("policy.yaml", policy)
        try edit?(scratch)
        let samples = try sample.map { [try scratch.write("sample.csv", $0)] } ?? []
        return PolicyCheck.check(path: path, samples: samples).map {
            $0.description.replacingOccurrences(of: scratch.url.path + "/", with: "")
        }
    }

    @Test func aGoodPolicyHasOnlyItsWarning() throws {
        #expect(try check(Self.good) == [
            "policy.yaml:5: warning: attributes.country is a quasi-identifier without a hierarchy: it can only be published whole or as *",
        ])
    }

    @Test(arguments: [
        // A misspelt key, with a suggestion.
        ("privacy: {k: 11, suppressionLimit: 0.05}", "privacy: {k: 11, supressionLimit: 0.05}",
         "policy.yaml:10:18: error: privacy.supressionLimit: is not a known key; allowed here: k, suppressionLimit, cellSuppression, lDiversity, tCloseness; did you mean \"suppressionLimit\"?"),
        // A missing hierarchy file.
        ("hierarchy: gender.csv", "hierarchy: sex.csv", "policy.yaml:4:"),
        // A published first name.
        ("  name: identifying", "  prs_FirstName: insensitive", "policy.yaml:3:3: error: attributes.prs_FirstName: is "),
        // k = 1.
        ("k: 11", "k: 1", "policy.yaml:10:14: error: privacy.k: is 1, but k-anonymity needs k ≥ 2"),
        // A YAML syntax error.
        ("type: sensitive", "type: [sensitive", "policy.yaml:"),
        // A rule on an unknown field.
        ("when: \"type is missing\"", "when: \"kind is missing\"", "policy.yaml:9:"),
    ])
    func eachBrokenPolicyIsReportedAtItsLine(original: String, broken: String, expected: String) throws {
        let messages = try check(Self.good.replacingOccurrences(of: original, with: broken))
        let errors = messages.filter { $0.contains(": error: ") }
        #expect(errors.count == 1, "\(messages)")
        #expect(errors.first?.hasPrefix(expected) == true, "\(errors)")
    }

    /// Every mistake at once, each at its line, with no second message for the same cause: the
    /// whole corpus above broken into one policy (but the YAML syntax error, past which nothing
    /// can be read).
    @Test func everyMistakeInOnePolicyIsListed() throws {
        var policy = Self.good
        for (original, broken) in [("privacy: {k: 11, suppressionLimit: 0.05}", "privacy: {k: 1, supressionLimit: 0.05}"),
                                   ("hierarchy: gender.csv", "hierarchy: sex.csv"),
                                   ("  name: identifying", "  prs_FirstName: insensitive"),
                                   ("when: \"type is missing\"", "when: \"kind is missing\""),
                                   ("rules:", "metric: los\nrules:")] {
            policy = policy.replacingOccurrences(of: original, with: broken)
        }
        let errors = try check(policy).filter { $0.contains(": error: ") }
        let places = errors.map { $0.split(separator: " ")[0] }
        #expect(places == ["policy.yaml:3:3:", "policy.yaml:4:48:", "policy.yaml:7:9:", "policy.yaml:10:29:", "policy.yaml:11:14:", "policy.yaml:11:17:"],
                "\(errors)")
        #expect(errors.contains { $0.contains("privacy.k: is 1") } && errors.contains { $0.contains("did you mean \"suppressionLimit\"") })
        #expect(errors.contains { $0.contains("kind is not an attribute") } && errors.contains { $0.contains("metric: is \"los\"") })
        #expect(!errors.contains { $0.contains("is missing") })
    }

    /// A hierarchy whose rows have different numbers of levels, beside a mistake in the policy:
    /// the policy's own mistakes first, then the hierarchy's, each at its line.
    @Test func aHierarchysInconsistentRowsAreListedAfterThePolicysMistakes() throws {
        let broken = Self.good.replacingOccurrences(of: "type: sensitive", with: "type: sensitve")
        let messages = try check(broken) { scratch in try scratch.write("gender.csv", "F;*\nM;x;*\n;*\n") }
        let errors = messages.filter { $0.contains(": error: ") }
        #expect(errors.count == 2, "\(messages)")
        #expect(errors.first?.hasPrefix("policy.yaml:6:9: error: attributes.type: \"sensitve\" is not a role") == true, "\(errors)")
        #expect(errors.last?.hasPrefix("gender.csv:2: error: this row has 3 levels but the first row has 2") == true, "\(errors)")
    }

    @Test func anUncoveredSampleValueAndAnUnlistedColumnAreErrorsAtTheirLine() throws {
        let messages = try check(Self.good, sample: "name,gender,country,type\nA,F,GB,x\nB,X,GB,x\nC,X,FR,x\n")
        // The line and column, never the value: without --show-values the output can be shared.
        #expect(messages.contains { $0.hasPrefix("sample.csv:3:2: error: column gender holds a value that") && $0.contains("gender.csv does not cover") })
        #expect(!messages.contains { $0.contains("\"X\"") })
        // Each uncovered value once, at its first line.
        #expect(messages.filter { $0.contains("holds a value") }.count == 1)
        let unlisted = try check(Self.good, sample: "name,gender,country,type,phone\nA,F,GB,x,1\n")
        #expect(unlisted.contains { $0.hasPrefix("sample.csv:1:5: error: column 5 of the header is not listed") })
        #expect(!unlisted.contains { $0.contains("phone") })
    }

    @Test func kBelowTheportalsElevenIsAWarning() throws {
        let messages = try check(Self.good.replacingOccurrences(of: "k: 11", with: "k: 5"))
        #expect(messages.contains("policy.yaml:10: warning: privacy.k is 5, below the portal's 11"))
        #expect(!messages.contains { $0.contains(": error: ") })
    }

    @Test func theShippedPoliciesAndJobCheckClean() throws {
        for file in ["Policies/example.yaml", "Policies/partners.yaml", "Policies/ctdc-global.yaml", "Examples/release.yaml"] {
            let found = PolicyCheck.check(path: Repo.root.appendingPathComponent(file).path, samples: [])
            #expect(!found.contains { $0.severity == .error }, "\(file): \(found)")
        }
    }
}
