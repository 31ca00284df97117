import Anonymize
import Foundation
import PolicyFile
import TestSupport
import Testing

/// A rule condition is untrusted text: past its limits (length, nesting, comparisons) it is refused
/// with a message naming the rule and the limit, and up to them it parses, evaluates, prints and
/// frees without deep recursion. Before the limits, 200,000 nested `not`s overflowed the stack.
@Suite struct ConditionLimitTests {
    typealias Limits = ConditionParser.Limits

    func failure(_ text: String) -> String? {
        do { _ = try ConditionParser.parse(text); return nil } catch { return error.message }
    }

    func orChain(_ terms: Int) -> String {
        (0..<terms).map { "f = \($0)" }.joined(separator: " or ")
    }

    @Test func hostileConditionsAreRefusedByTheirLimit() throws {
        let nots = String(repeating: "not ", count: 200_000) + "a = 1"
        #expect(failure(nots)?.contains("limit of \(Limits.bytes)") == true, "800 KB of `not` is over the length limit first")
        let deepNots = String(repeating: "not ", count: Limits.depth + 1) + "a = 1"
        #expect(failure(deepNots)?.contains("\(Limits.depth) deep") == true)
        let parens = String(repeating: "(", count: 30_000) + "a = 1" + String(repeating: ")", count: 30_000)
        #expect(failure(parens)?.contains("\(Limits.depth) deep") == true)
        let unclosed = String(repeating: "(", count: 60_000)
        #expect(failure(unclosed)?.contains("\(Limits.depth) deep") == true)
        #expect(failure(orChain(100_000))?.contains("limit of \(Limits.bytes)") == true)
        let shortTerms = (0...Limits.comparisons).map { _ in "a=1" }.joined(separator: " or ")
        #expect(shortTerms.utf8.count < Limits.bytes)
        #expect(failure(shortTerms)?.contains("more than \(Limits.comparisons) comparisons") == true)
    }

    @Test func conditionsAtTheLimitsParseEvaluateAndPrint() throws {
        // 64 `not`s: even, so it holds where `a = 1` holds.
        let nots = try ConditionParser.parse(String(repeating: "not ", count: Limits.depth) + "a = 1")
        #expect(nots.holds { $0 == "a" ? "1" : "" })
        #expect(!nots.holds { _ in "2" })
        #expect(try ConditionParser.parse(nots.text) == nots, "its printed form stays within the limits")

        let parens = String(repeating: "(", count: Limits.depth) + "a = 1" + String(repeating: ")", count: Limits.depth)
        #expect(try ConditionParser.parse(parens) == .equals(field: "a", value: "1"))

        let chain = try ConditionParser.parse(orChain(Limits.comparisons))
        guard case .or(let terms) = chain else { Issue.record("an or chain is one flat list"); return }
        #expect(terms.count == Limits.comparisons)
        #expect(chain.holds { _ in "\(Limits.comparisons - 1)" }, "the last term is reached")
        #expect(!chain.holds { _ in "x" })
        #expect(try ConditionParser.parse(chain.text) == chain)
        #expect(chain.fields.count == Limits.comparisons)

        let longValue = "a = \"" + String(repeating: "x", count: Limits.bytes - 6) + "\""
        #expect(longValue.utf8.count == Limits.bytes)
        #expect(failure(longValue) == nil)
        #expect(failure(longValue + " ")?.contains("limit of \(Limits.bytes)") == true)
    }

    /// Mixed nesting within the limit: an `and` of `or`s of `not`s, deep in parentheses.
    @Test func nestedChainsWithinTheLimitsRoundTrip() throws {
        let inner = (0..<10).map { "not (g\($0) in [x, \"y z\", \"and\", \"\"])" }.joined(separator: " or ")
        let text = String(repeating: "(", count: 60) + (0..<20).map { _ in "(\(inner))" }.joined(separator: " and ")
            + String(repeating: ")", count: 60)
        let condition = try ConditionParser.parse(text)
        #expect(try ConditionParser.parse(condition.text) == condition)
        #expect(condition.holds { _ in "q" })
        #expect(!condition.holds { _ in "x" })
    }

    /// A field may start with a combining mark that is alphabetic (U+06E2); printed after `not (`,
    /// it joined the parenthesis into one Character, and the printed condition no longer parsed
    /// (found by the condition fuzzer). Tokens are now read as Unicode scalars, and a quoted value
    /// is marked as such rather than by a leading quote.
    @Test func combiningMarksDoNotJoinPunctuation() throws {
        let condition = try ConditionParser.parse("not not \u{6E2}x = 1")
        #expect(condition.text == "not (not (\u{6E2}x = 1))")
        #expect(try ConditionParser.parse(condition.text) == condition)
        #expect(try ConditionParser.parse("(\u{6E2}x = 1)") == .equals(field: "\u{6E2}x", value: "1"))
        // A quoted value starting with a combining mark: the opening quote and the mark are one
        // Character, and the value came out with a quote in it.
        let quoted = try ConditionParser.parse("b in [\"\u{301}x,:yd\"]")
        #expect(quoted == .isIn(field: "b", values: ["\u{301}x,:yd"]))
        #expect(try ConditionParser.parse(quoted.text) == quoted)
    }

    func policy(_ when: String) throws -> (Scratch, String) {
        let scratch = try Scratch()
        let path = try scratch.write("p.yaml", """
            version: 1
            attributes:
              prs_Gender: {type: quasi-identifying}
              con_Consent: insensitive
            rules:
              exclude:
                - {name: fine, when: "con_Consent != TRUE"}
                - {name: hostile-rule, when: "\(when)"}
            privacy: {k: 2, suppressionLimit: 0}

            """)
        return (scratch, path)
    }

    @Test(arguments: [
        (String(repeating: "not ", count: 200_000) + "con_Consent = TRUE", "\(ConditionParser.Limits.bytes)"),
        (String(repeating: "not ", count: 100) + "con_Consent = TRUE", "\(ConditionParser.Limits.depth) deep"),
        // 40,000 terms: the 100,000 of the original report make a file over the 1 MiB a policy
        // may be, refused before the condition is read (ConfigFileLimitTests).
        ((0..<40_000).map { _ in "con_Consent = TRUE" }.joined(separator: " or "), "\(ConditionParser.Limits.bytes)"),
        ((0..<1_500).map { _ in "con_Consent=TRUE" }.joined(separator: " or "), "\(ConditionParser.Limits.comparisons) comparisons"),
    ])
    func aPolicyErrorNamesTheRuleAndTheLimit(_ when: String, _ limit: String) throws {
        let (scratch, path) = try policy(when)
        defer { scratch.remove() }
        do {
            _ = try PolicyDocument.load(path: path)
            Issue.record("a condition over its limits was accepted")
        } catch {
            #expect(error.line == 8 && error.key == "rules.exclude.when", "\(error)")
            #expect(error.message.contains("rule \"hostile-rule\"") && error.message.contains(limit), "\(error.message)")
            #expect(error.description.utf8.count < 1_000, "the condition is not echoed")
        }
    }

    @Test func theCommandLineExitsTwoWithoutCrashing() throws {
        guard let executable = htdxExecutable else { return }
        let (scratch, path) = try policy(String(repeating: "not ", count: 200_000) + "con_Consent = TRUE")
        defer { scratch.remove() }
        let input = try scratch.write("in.csv", "prs_Gender,con_Consent\nF,TRUE\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["anonymize", "--policy", path, "--out", scratch.path("out"), input]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2, "\(message.prefix(300))")
        #expect(message.contains("hostile-rule") && message.utf8.count < 2_000)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }
}
