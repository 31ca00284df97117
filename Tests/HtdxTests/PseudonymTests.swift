import Crypto
import Export
import Foundation
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// The `pseudonymised` role: a keyed HMAC-SHA-256 of the normalised value, under a sub-key per
/// attribute and scope, with the key read from a file or the environment and never written out.
@Suite struct PseudonymTests {
    static let key = (0..<32).map { UInt8(($0 * 37 + 11) & 0xFF) }
    static var keyHex: String { key.map { String(format: "%02x", $0) }.joined() }
    static var keyBase64: String { Data(key).base64EncodedString() }

    /// A plain CSV whose `case` and `alias` columns are pseudonymised (the alias stable), with gender
    /// the quasi-identifier. Row 1 holds the same text in both columns.
    static func fixture(_ scratch: Scratch, extra: String = "") throws -> (policy: String, input: String) {
        let policy = try scratch.write("policy.yaml", """
            version: 1
            attributes:
              case: pseudonymised
              alias: {type: pseudonymised, scope: stable}
              gender: quasi-identifying
              note: insensitive
            privacy: {k: 2, suppressionLimit: 0}
            \(extra)

            """)
        let input = try scratch.write("cases.csv", """
            case,alias,gender,note
            " Ab１２   C ",ab12 c,F,x
            Straße 9,STRASSE 9,F,y
            ,,M,z
            K-7,k-7,M,w

            """)
        return (policy, input)
    }

    static func expected(_ normal: String, info: String) -> String {
        let sub = HKDF<Crypto.SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: key), salt: [UInt8](), info: Array(info.utf8),
                                                outputByteCount: 32)
        return HMAC<Crypto.SHA256>.authenticationCode(for: Array(normal.utf8), using: sub).map { String(format: "%02x", $0) }.joined()
    }

    static func run(_ scratch: Scratch, date: String, out: String = "out") throws -> [[String]] {
        let (policy, input) = try fixture(scratch)
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path(out))
        let keyPath = try scratch.write("secret/key", keyHex + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        run.keySource = .file(keyPath)
        run.releaseDate = date
        _ = try run.run()
        return Array(try readSimpleCSV(scratch.path("\(out)/anonymized.csv"), delimiter: ",").dropFirst())
    }

    @Test func aPseudonymIsTheHMACOfTheNormalisedValueUnderItsAttributesReleaseKey() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = try Self.run(scratch, date: "2026-01-31")
        let policySHA = Export.SHA256.hex(try [UInt8](Data(contentsOf: URL(fileURLWithPath: scratch.path("policy.yaml")))))
        let release = "htdx pseudonym case\nrelease 2026-01-31 \(policySHA)"
        // Rows are found by their insensitive note, not by their place.
        let byNote = Dictionary(uniqueKeysWithValues: rows.map { ($0[3], $0) })
        // NFKC turns the full-width digits into 1 and 2; case folding, trimming and collapsing do the rest.
        #expect(byNote["x"]?[0] == Self.expected("ab12 c", info: release))
        #expect(byNote["x"]?[1] == Self.expected("ab12 c", info: "htdx pseudonym alias"))
        // Case folding maps ß to ss, so the two spellings agree within an attribute.
        #expect(byNote["y"]?[0] == Self.expected("strasse 9", info: release))
        #expect(byNote["y"]?[1] == Self.expected("strasse 9", info: "htdx pseudonym alias"))
        // The same value in two attributes, or two scopes, gives unrelated pseudonyms.
        #expect(byNote["x"]?[0] != byNote["x"]?[1])
        // An empty value stays empty rather than becoming one hash shared by every empty record.
        #expect(byNote["z"]?[0] == "" && byNote["z"]?[1] == "")
        #expect(rows.allSatisfy { $0[0].isEmpty || ($0[0].count == 64 && $0[0].allSatisfy(\.isHexDigit) && $0[0] == $0[0].lowercased()) })
    }

    @Test func aReleaseScopedPseudonymChangesWithTheReleaseAndAStableOneDoesNot() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let january = try Self.run(scratch, date: "2026-01-31", out: "jan")
        let february = try Self.run(scratch, date: "2026-02-28", out: "feb")
        // Rows are ordered by a hash of their bytes within a class, and the pseudonyms change those
        // bytes: the two releases' rows are paired by their note.
        let februaryByNote = Dictionary(uniqueKeysWithValues: february.map { ($0[3], $0) })
        #expect(january.count == february.count)
        for a in january where !a[0].isEmpty {
            let b = try #require(februaryByNote[a[3]])
            #expect(a[0] != b[0], "a release-scoped pseudonym links two releases")
            #expect(a[1] == b[1], "a stable pseudonym changed between releases")
        }
    }

    @Test func anAggregateOfAPseudonymisedAttributeIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (policy, input) = try Self.fixture(scratch)
        var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: scratch.path("out"))
        let keyPath = try scratch.write("secret/key", Self.keyHex)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        run.keySource = .file(keyPath)
        run.tables = [JobDocument.Table(name: "per-case", dimensions: ["case"])]
        let error = #expect(throws: RunError.self) { try run.run() }
        #expect(error?.exitCode == 2 && error?.description.contains("pseudonymises") == true)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }

    @Test func thePolicyRefusesRulesAndScopesThatCannotApply() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cases: [(String, String)] = [
            ("rules: {fold: [{name: rare, field: case, below: 2}]}", "rules.fold.field"),
            ("rules: {topCode: [{name: top, field: alias, atOrAbove: 9, as: \"9+\"}]}", "rules.topCode.field"),
        ]
        for (extra, key) in cases {
            let (policy, _) = try Self.fixture(scratch, extra: extra)
            let error = #expect(throws: PolicyError.self) { try PolicyDocument.load(path: policy) }
            #expect(error?.key == key, "\(String(describing: error))")
        }
        try scratch.write("scoped.yaml", """
            version: 1
            attributes: {case: {type: insensitive, scope: stable}, gender: quasi-identifying}
            privacy: {k: 2, suppressionLimit: 0}
            """)
        let error = #expect(throws: PolicyError.self) { try PolicyDocument.load(path: scratch.path("scoped.yaml")) }
        #expect(error?.key == "attributes.case.scope")
        // The property the history guard reads: only the stable attribute.
        let (policy, _) = try Self.fixture(scratch)
        #expect(try PolicyDocument.load(path: policy).policy.stablePseudonyms == ["alias"])
        #expect(try PolicyDocument.load(path: policy).policy.duplicatePersons == .reject)
    }
}
