import Foundation
import Ingest
import PolicyFile
import TestSupport
import Testing

/// The variants a profile may accept without losing anything: several date formats, several list
/// separators, and value-map keys matched without case, `_`, `-` or spacing.
@Suite struct ProfileLeniencyTests {
    typealias F = ProfileFixtures

    static let profile = """
        version: 1
        partner: lenient
        format: csv
        reference: id
        fields:
          prs_Birthdate: {from: dob, format: [dd/MM/yyyy, yyyy-MM-dd]}
          vic_TypeOfExploitation:
            from: types
            split: [";", " + "]
            map: {sexual: SexualExploitation, forced labour: ForcedLabour, domestic work: Servitude}
          vic_RelationshipToTrafficker: {from: rel, map: {intimate partner: Acquainted, family: Familial}}

        """

    @Test func variantsOfDatesListsAndWordsReadAlike() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let profile = try F.load(try scratch.write("p.yaml", Self.profile))
        let csv = try scratch.write("x.csv", """
            id,dob,types,rel
            A,01/02/2000,sexual;forced labour,intimate partner
            B,2000-02-01,Sexual + Forced_Labour,Intimate_Partner
            C,2000-02-01,forced-labour + SEXUAL;sexual,INTIMATE  PARTNER
            D,2000-02-01,domestic_work,family
            E,2000-02-30,sexual,family
            F,2000-02-01,sexual labour,family
            G,2000-02-01,sexual,intimatepartner

            """)
        let records = try F.readAll(profile, csv)
        for r in records.prefix(3) {
            #expect(r.rejection == nil)
            #expect(r.values["prs_Birthdate"] == "2000-02-01")
            #expect(r.values["vic_TypeOfExploitation"] == "ForcedLabour;SexualExploitation")
            #expect(r.values["vic_RelationshipToTrafficker"] == "Acquainted")
        }
        #expect(records[3].values["vic_TypeOfExploitation"] == "Servitude")
        // Not a real date in either format, a word the map does not hold, and a word that differs
        // by more than spacing: rejected as before.
        #expect(records[4].rejection?.field == "prs_Birthdate")
        #expect(records[4].rejection?.reason.contains("dd/MM/yyyy or yyyy-MM-dd") == true)
        #expect(records[5].rejection?.field == "vic_TypeOfExploitation")
        #expect(records[6].rejection?.field == "vic_RelationshipToTrafficker")
    }

    @Test func foldingIsCaseUnderscoreHyphenAndSpacing() {
        #expect(MapKey.fold("  Domestic_Work ") == "domestic work")
        #expect(MapKey.fold("domestic-work") == "domestic work")
        #expect(MapKey.fold("DOMESTIC \t work") == "domestic work")
        #expect(MapKey.fold("Travail forcé") == "travail forcé")
        #expect(MapKey.fold("domesticwork") != MapKey.fold("domestic work"))
    }

    @Test func keysThatFoldAlikeToDifferentCodesAreRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = Self.profile.replacingOccurrences(of: "family: Familial}", with: "family: Familial, Intimate_Partner: Familial}")
        let path = try scratch.write("p.yaml", text)
        #expect(throws: PolicyError.self) { try ProfileDocument.load(path: path) }
        do {
            _ = try ProfileDocument.load(path: path)
        } catch {
            #expect(error.line == 11)
            #expect(error.message.contains("differ only in case"))
        }
        // Alike and to the same code: harmless, accepted.
        let same = Self.profile.replacingOccurrences(of: "family: Familial}", with: "family: Familial, Intimate_Partner: Acquainted}")
        #expect(throws: Never.self) { try ProfileDocument.load(path: try scratch.write("q.yaml", same)) }
    }

    @Test func foldedMapDropsClashesAndFollowsChanges() {
        #expect(MapKey.folded(["A b": "X", "a_B": "Y", "c": "Z"]) == ["c": "Z"])
        var rule = FieldRule(canonical: "prs_Gender", source: .column("sex"), valueMap: ["F": "Feminine"])
        #expect(rule.foldedMap == ["f": "Feminine"])
        rule.valueMap["Male"] = "Masculine"
        #expect(rule.foldedMap == ["f": "Feminine", "male": "Masculine"])
    }

    @Test func anEmptySeparatorOrFormatListIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for (old, new) in [("split: [\";\", \" + \"]", "split: []"), ("split: [\";\", \" + \"]", "split: [\";\", \"\"]"),
                           ("format: [dd/MM/yyyy, yyyy-MM-dd]", "format: []"), ("format: [dd/MM/yyyy, yyyy-MM-dd]", "format: [dd/MM/yyyy, dd-mm]")] {
            let path = try scratch.write("p.yaml", Self.profile.replacingOccurrences(of: old, with: new))
            #expect(throws: PolicyError.self, "\(new)") { try ProfileDocument.load(path: path) }
        }
    }
}
