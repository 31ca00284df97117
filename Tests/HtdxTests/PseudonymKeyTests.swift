import Foundation
import TestSupport
import Testing

/// The key from the command line or a job: needed only when the run pseudonymises or matches
/// persons, refused when short or readable by others, and never in any output.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct PseudonymKeyTests {
    typealias F = PersonFixtures

    /// Every regular file under `directory`, with its bytes.
    static func files(under directory: String) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var found: [(String, Data)] = []
        while let name = enumerator?.nextObject() as? String {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               let data = FileManager.default.contents(atPath: path) {
                found.append((name, data))
            }
        }
        return found
    }

    static let keyBytes = Data(stride(from: 0, to: 64, by: 2).map { i in
        UInt8(PersonFixtures.keyHex.dropFirst(i).prefix(2), radix: 16)!
    })

    /// The forms the key could leak in.
    static var forms: [Data] {
        [Data(F.keyHex.utf8), Data(F.keyHex.uppercased().utf8), Data(keyBytes.base64EncodedString().utf8), keyBytes,
         Data(F.keyHex.prefix(16).utf8)]
    }

    @Test func aRunThatNeedsAKeyAndHasNoneExitsTwoNamingTheOptionAndTheJobKey() throws {
        let f = try F()
        defer { f.remove() }
        try f.profile("alpha")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Masculine,30"])
        try f.policy()
        try f.job([("alpha", "alpha.csv")])
        let run = try HtdxProcess.run(["run", "job.yaml"], in: f.path(""))
        #expect(run.status == 2)
        #expect(run.stderr.contains("--key-file") && run.stderr.contains("--key-env") && run.stderr.contains("pseudonymKey"))
        #expect(!FileManager.default.fileExists(atPath: f.path("out")))
        let anonymize = try HtdxProcess.run(["anonymize", "--policy", "policy.yaml", "--out", "out2", "--input", "partners/alpha.yaml=alpha.csv"],
                                            in: f.path(""))
        #expect(anonymize.status == 2 && anonymize.stderr.contains("--key-file"))
        // A key variable that is not set is refused the same way, by its name.
        let unset = try HtdxProcess.run(["run", "job.yaml", "--key-env", "HTDX_TEST_NO_SUCH_KEY"], in: f.path(""))
        #expect(unset.status == 2 && unset.stderr.contains("HTDX_TEST_NO_SUCH_KEY"))
    }

    @Test func aRunWithoutPseudonymsOrPersonKeysNeedsNoKey() throws {
        let f = try F()
        defer { f.remove() }
        try f.profile("alpha", personKey: false)
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Feminine,30"])
        try f.policy(reference: "identifying")
        try f.job([("alpha", "alpha.csv")])
        let run = try HtdxProcess.run(["run", "job.yaml"], in: f.path(""))
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test(arguments: ["short", "group-readable", "not a key"])
    func aBadKeyIsRefusedWithoutShowingIt(_ problem: String) throws {
        let f = try F()
        defer { f.remove() }
        try f.profile("alpha")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,"])
        try f.policy()
        try f.job([("alpha", "alpha.csv")], key: "{file: secret/key}")
        switch problem {
        case "short": try f.keyFile(String(F.keyHex.prefix(62)))
        case "group-readable": try f.keyFile(mode: 0o640)
        default: try f.keyFile("not-a-key text!")
        }
        let run = try HtdxProcess.run(["run", "job.yaml"], in: f.path(""))
        #expect(run.status == 2)
        #expect(run.stderr.contains("secret/key"))
        #expect(!run.stderr.contains(F.keyHex.prefix(16)) && !run.stderr.contains("not-a-key"))
        #expect(!FileManager.default.fileExists(atPath: f.path("out")))
    }

    /// A release with pseudonyms and duplicate persons, its report, rejects, summary and JSON:
    /// none holds the key, as hexadecimal, base64 or raw bytes, from a file or the environment.
    @Test(arguments: ["file", "environment", "option"])
    func theKeyAppearsInNoOutput(_ source: String) throws {
        let f = try F()
        defer { f.remove() }
        try f.profile("alpha")
        try f.profile("beta")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Masculine,30"])
        try f.export("beta", ["B1,Silva,Jose,1990-01-02,UA,Feminine,25", "B2,Cy,Ode,1991-03-03,NG,Masculine,20", "B3,,,,,Feminine,"])
        try f.policy(k: 2, suppressionLimit: 0)
        var arguments = ["run", "job.yaml", "--json"]
        var environment: [String: String] = [:]
        switch source {
        case "file":
            try f.keyFile(Self.keyBytes.base64EncodedString() + "\n")
            try f.job([("alpha", "alpha.csv"), ("beta", "beta.csv")], key: "{file: secret/key}")
        case "environment":
            environment["HTDX_TEST_KEY"] = F.keyHex
            try f.job([("alpha", "alpha.csv"), ("beta", "beta.csv")], key: "{environment: HTDX_TEST_KEY}")
        default:
            try f.keyFile()
            try f.job([("alpha", "alpha.csv"), ("beta", "beta.csv")])
            arguments += ["--key-file", "secret/key"]
        }
        let run = try HtdxProcess.run(arguments, in: f.path(""), environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let published = try f.published("ext_PartnerReference")
        #expect(published.count == 4 && published.allSatisfy { $0.count == 64 })
        var outputs = Self.files(under: f.path("out")).map { ("out/" + $0.0, $0.1) }
        outputs.append(("out.rejects.csv", try Data(contentsOf: URL(fileURLWithPath: f.path("out.rejects.csv")))))
        outputs += [("stdout", Data(run.stdout.utf8)), ("stderr", Data(run.stderr.utf8))]
        #expect(outputs.count >= 5)
        for (name, data) in outputs {
            for form in Self.forms { #expect(data.range(of: form) == nil, "\(name) holds the key") }
        }
    }

    @Test func bothKeyOptionsAtOnceAreAUsageError() throws {
        let run = try HtdxProcess.run(["run", "job.yaml", "--key-file", "k", "--key-env", "K"])
        #expect(run.status == 64 || run.status == 2, "\(run.status)")
        #expect(run.stderr.contains("not both"))
    }

    /// The output is replaced whole: were the key's folder the output, or the key the rejects file,
    /// a publish would destroy it or a release would carry it.
    @Test func anOutputOrRejectsFileOverTheKeyIsRefused() throws {
        let f = try F()
        defer { f.remove() }
        try f.profile("alpha")
        try f.export("alpha", ["A1,José,Silva,1990-01-02,UA,Feminine,", "A2,Ann,Lee,1985-05-05,GB,Masculine,30"])
        try f.policy()
        _ = try f.keyFile()
        for (out, rejects) in [("secret", "r.csv"), ("out", "secret/key")] {
            let run = try HtdxProcess.run(["anonymize", "--policy", "policy.yaml", "--out", out, "--rejects", rejects,
                                           "--key-file", "secret/key", "--input", "partners/alpha.yaml=alpha.csv"], in: f.path(""))
            #expect(run.status == 2, "\(out), \(rejects): \(run.stderr)")
            #expect(run.stderr.contains("pseudonym key"), "\(run.stderr)")
            #expect(try String(contentsOfFile: f.path("secret/key"), encoding: .utf8) == PersonFixtures.keyHex + "\n")
        }
    }
}
