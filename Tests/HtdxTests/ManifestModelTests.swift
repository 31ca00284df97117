import Anonymize
import Export
import Testing

/// A manifest is untrusted input to `htdx verify`: malformed models or reference distributions are
/// refused with a message, never a crash.
@Suite struct ManifestModelTests {
    func microdata(_ references: [Manifest.Reference], models: [Manifest.Model]? = nil) -> Manifest.Microdata {
        var m = Manifest.Microdata(file: "anonymized.csv", delimiter: ";", headerRows: 1, k: 5, quasiIdentifiers: ["a"])
        m.references = references
        m.models = models
        return m
    }

    func reference(values: [String], counts: [Int]) -> Manifest.Reference {
        var r = Manifest.Reference(SensitiveColumn(name: "s", values: ["x"], referenceCounts: [1]), withHierarchy: false)
        r.values = values
        r.counts = counts
        return r
    }

    @Test(arguments: [
        (["x", "y"], [1]),                 // counts do not pair with values
        (["x", "x"], [1, 2]),              // a value twice
        (["x", "y"], [1, -3]),             // a negative count
        (["x", "y"], [Int.max, Int.max]),  // a sum that would overflow
    ])
    func malformedReferencesAreRefused(values: [String], counts: [Int]) {
        #expect(throws: Manifest.ManifestReferenceError.self) {
            _ = try microdata([reference(values: values, counts: counts)]).referenceColumns()
        }
    }

    @Test func aWellFormedReferenceRoundTrips() throws {
        let columns = try microdata([reference(values: ["x", "y"], counts: [3, 4])]).referenceColumns()
        #expect(columns["s"]?.referenceCounts == [3, 4])
    }

    @Test func unknownModelsAndBadParametersAreRefused() {
        var unknown = Manifest.Model(KAnonymity(k: 5))
        unknown.key = "betaLikeness"
        #expect(throws: ModelParameterError.self) { _ = try microdata([], models: [unknown]).privacyModels() }
        var bad = Manifest.Model(KAnonymity(k: 5))
        bad.parameters = ["k": "99999999999999999999999"]
        #expect(throws: ModelParameterError.self) { _ = try microdata([], models: [bad]).privacyModels() }
    }
}
