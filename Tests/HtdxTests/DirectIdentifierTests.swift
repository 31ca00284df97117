import Foundation
import Ingest
import PolicyFile
import Recode
import TestSupport
import Testing

/// Direct identifiers and free text are never published unless a policy says so, by name, with a reason.
@Suite struct DirectIdentifierTests {
    func load(_ lines: [String]) throws -> Result<PolicyDocument, PolicyError> {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("policy.yaml", lines.joined(separator: "\n") + "\n")
        return Result { () throws(PolicyError) in try PolicyDocument.load(path: path) }
    }

    static let head = ["version: 1", "attributes:", "  prs_Gender: {type: quasi-identifying}"]
    static let tail = ["privacy: {k: 11, suppressionLimit: 0.05}"]

    @Test(arguments: ["prs_FirstName", "prs_Birthdate", "prs_MobilePhone", "prs_Email", "cco_CaseComment",
                      "hte_Latitude", "cas_CaseOwner", "ext_PartnerReference", "prs_IdentityNumber"])
    func publishingAnIdentifierIsRefusedAtItsLine(_ field: String) throws {
        let result = try load(Self.head + ["  \(field): insensitive"] + Self.tail)
        guard case .failure(let error) = result else {
            Issue.record("\(field) was published without an override")
            return
        }
        #expect(error.line == 4 && error.key == "attributes.\(field)", "\(error)")
        #expect(error.message.contains("override"), "\(error)")
    }

    @Test func anIdentifyingRoleNeedsNoOverride() throws {
        #expect(throws: Never.self) { try load(Self.head + ["  prs_FirstName: identifying"] + Self.tail).get() }
    }

    @Test func anOverrideWithAReasonPublishesKnowingly() throws {
        let document = try load(Self.head + ["  prs_Title: insensitive"] + Self.tail + [
            "overrides:", "  - {publish: prs_Title, reason: \"Titles are coded by the partner as Dr/Mr/Ms only\"}",
        ]).get()
        #expect(document.policy.overrides == ["prs_Title": "Titles are coded by the partner as Dr/Mr/Ms only"])
    }

    @Test func overridesMustBeNeededAndExplained() throws {
        let cases: [(String, String, Int)] = [
            ("  - {publish: prs_Title}", "reason", 7),
            ("  - {publish: prs_Title, reason: ok}", "overrides.reason", 7),
            ("  - {publish: prs_Gender, reason: \"Gender is not an identifier at all\"}", "overrides.publish", 7),
            ("  - {publish: prs_FirstName, reason: \"The policy does not publish it\"}", "overrides.publish", 7),
        ]
        for (line, key, number) in cases {
            let result = try load(Self.head + ["  prs_Title: insensitive"] + Self.tail + ["overrides:", line])
            guard case .failure(let error) = result else {
                Issue.record("\(line) was accepted")
                continue
            }
            #expect(error.key.contains(key) && error.line == number, "\(line): \(error)")
        }
    }

    @Test func theListCoversEveryFreeTextPhoneEmailAndCoordinateField() {
        for field in HTCDS.fields where [.longText, .phone, .email, .geolocation].contains(field.kind) {
            #expect(DirectIdentifiers.fields[field.name] != nil, "\(field.name)")
        }
        for picklist in HTCDS.fields where picklist.kind == .picklist {
            #expect(DirectIdentifiers.fields[picklist.name] == nil, "\(picklist.name) is a code, not an identifier")
        }
    }
}
