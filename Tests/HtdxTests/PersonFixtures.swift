import Foundation
import TestSupport

/// Two partners' exports of a few people, their profiles with a person key, and a policy over
/// them, written into a scratch directory. Names, dates and references are invented.
struct PersonFixtures {
    static let header = "ref,first,last,born,citizen,gender,age"
    /// 32 bytes as 64 hexadecimal digits: the tests' key, never a real one.
    static let keyHex = "8f1c2b7e55a04d39c6e2f1a0b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6"

    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    func remove() { scratch.remove() }
    func path(_ name: String) -> String { scratch.path(name) }

    /// A profile for partner `name`; `personKey` false leaves the key out.
    @discardableResult
    func profile(_ name: String, personKey: Bool = true) throws -> String {
        try scratch.write("partners/\(name).yaml", """
            version: 1
            partner: \(name)
            format: csv
            reference: ref
            fields:
              ext_PartnerReference: ref
              prs_FirstName: first
              prs_SecondName: last
              prs_Birthdate: born
              prs_Citizenship: citizen
              prs_Gender: gender
              ext_ReportedAge: age
            \(personKey ? "personKey: {names: [prs_FirstName, prs_SecondName], birthDate: prs_Birthdate, citizenship: prs_Citizenship}" : "")

            """)
    }

    /// The policy: gender is the only quasi-identifier (no hierarchy: raw or `*`), the reference
    /// is published as a pseudonym, the age as is. `extra` goes at the top level.
    @discardableResult
    func policy(k: Int = 2, suppressionLimit: Double = 0, reference: String = "pseudonymised", extra: String = "") throws -> String {
        try scratch.write("policy.yaml", """
            version: 1
            attributes:
              ext_PartnerReference: \(reference)
              prs_FirstName: identifying
              prs_SecondName: identifying
              prs_Birthdate: identifying
              prs_Citizenship: insensitive
              prs_Gender: quasi-identifying
              ext_ReportedAge: insensitive
            \(reference == "identifying" ? "" : "overrides: [{publish: ext_PartnerReference, reason: published only as a keyed pseudonym}]")
            privacy: {k: \(k), suppressionLimit: \(suppressionLimit)}
            maxRejectedShare: 1
            \(extra)

            """)
    }

    @discardableResult
    func export(_ name: String, _ rows: [String]) throws -> String {
        try scratch.write("\(name).csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
    }

    /// A job over `inputs` (partner → export), publishing to `out`.
    @discardableResult
    func job(_ inputs: [(String, String)], key: String? = nil, extra: String = "") throws -> String {
        try scratch.write("job.yaml", """
            version: 1
            policy: policy.yaml
            inputs:
            \(inputs.map { "  - {profile: partners/\($0.0).yaml, path: \($0.1)}" }.joined(separator: "\n"))
            output: out
            rejects: out.rejects.csv
            \(key.map { "pseudonymKey: \($0)" } ?? "")
            \(extra)

            """)
    }

    /// Writes the tests' key to a file only its owner can read.
    @discardableResult
    func keyFile(_ text: String = PersonFixtures.keyHex + "\n", mode: Int = 0o600) throws -> String {
        let p = try scratch.write("secret/key", text)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: p)
        return p
    }

    /// Column `name` of the published records.
    func published(_ name: String) throws -> [String] {
        let rows = try readSimpleCSV(path("out/anonymized.csv"), delimiter: ",")
        guard let c = rows.first?.firstIndex(of: name) else { return [] }
        return rows.dropFirst().map { $0[c] }
    }

    /// The rejects file's rows after its header.
    func rejects() throws -> [[String]] {
        Array(try readSimpleCSV(path("out.rejects.csv"), delimiter: ",").dropFirst())
    }
}
