import Anonymize
import Foundation
import TestSupport
import Testing

/// Each privacy model on hand-made classes, against values worked out by hand from the papers'
/// definitions; the registry's parameter checks; and what monotonicity does and does not promise.
@Suite struct PrivacyModelTests {
    /// A column of `n` values named v0, v1, …, with the given reference counts.
    static func column(_ reference: [Int], hierarchy: Hierarchy? = nil) -> SensitiveColumn {
        SensitiveColumn(name: "s", values: reference.indices.map { "v\($0)" }, referenceCounts: reference, hierarchy: hierarchy)
    }

    /// A class holding `counts[code]` records of each code (zero counts left out, as the search does).
    static func profile(_ counts: [Int], column: SensitiveColumn? = nil) -> ClassProfile {
        let present = counts.indices.filter { counts[$0] > 0 }
        return ClassProfile(size: counts.reduce(0, +), codes: present.map { UInt32($0) },
                            counts: present.map { counts[$0] }, column: column ?? Self.column(counts.map { _ in 1 }))
    }

    static func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    @Test func kAnonymityCountsRecords() {
        let k = KAnonymity(k: 3)
        #expect(k.isSatisfied(by: ClassProfile(size: 3)))
        #expect(!k.isSatisfied(by: ClassProfile(size: 2)))
        #expect(k.measure(ClassProfile(size: 7)) == 7)
    }

    @Test func distinctCountsValuesNotRecords() {
        let m = DistinctLDiversity(attribute: "s", l: 3)
        #expect(m.isSatisfied(by: Self.profile([1, 1, 1])))
        #expect(!m.isSatisfied(by: Self.profile([10, 10, 0])))
        #expect(m.measure(Self.profile([4, 0, 2, 1])) == 3)
        #expect(m.minimumClassSize == 3)
    }

    @Test func entropyUsesTheNaturalLogarithm() {
        let m = EntropyLDiversity(attribute: "s", l: 3)
        // [2,2,2]: H = ln 3 exactly, the boundary, which meets ℓ = 3.
        #expect(m.isSatisfied(by: Self.profile([2, 2, 2])))
        #expect(Self.near(m.measure(Self.profile([2, 2, 2])), 3))
        // [3,2,1]: H = ½ ln 2 + ⅓ ln 3 + ⅙ ln 6 ≈ 1.0114 < ln 3 ≈ 1.0986.
        let h = 0.5 * log(2.0) + log(3.0) / 3 + log(6.0) / 6
        #expect(Self.near(h, 1.0114042647))
        #expect(!m.isSatisfied(by: Self.profile([3, 2, 1])))
        #expect(Self.near(m.measure(Self.profile([3, 2, 1])), exp(h)))
        // Yet it meets ℓ = e^h ≈ 2.749, and not a hair more.
        #expect(EntropyLDiversity(attribute: "s", l: exp(h) - 1e-9).isSatisfied(by: Self.profile([3, 2, 1])))
        #expect(!EntropyLDiversity(attribute: "s", l: exp(h) + 1e-6).isSatisfied(by: Self.profile([3, 2, 1])))
        // Two values can never reach ℓ = 3, however balanced.
        #expect(!m.isSatisfied(by: Self.profile([50, 50])))
        #expect(m.minimumClassSize == 3)
        #expect(EntropyLDiversity(attribute: "s", l: 2.5).minimumClassSize == 3)
    }

    @Test func recursiveComparesTheTopCountWithTheTail() {
        // Sorted [3,2,1]. ℓ = 2: tail r₂ + r₃ = 3, so c = 2 holds (3 < 6) and c = 1 does not (3 < 3 fails).
        #expect(RecursiveCLDiversity(attribute: "s", c: 2, l: 2).isSatisfied(by: Self.profile([1, 3, 2])))
        #expect(!RecursiveCLDiversity(attribute: "s", c: 1, l: 2).isSatisfied(by: Self.profile([1, 3, 2])))
        // ℓ = 3: tail r₃ = 1, so c = 4 holds (3 < 4) and c = 3 does not: the inequality is strict.
        #expect(RecursiveCLDiversity(attribute: "s", c: 4, l: 3).isSatisfied(by: Self.profile([2, 1, 3])))
        #expect(!RecursiveCLDiversity(attribute: "s", c: 3, l: 3).isSatisfied(by: Self.profile([2, 1, 3])))
        #expect(RecursiveCLDiversity(attribute: "s", c: 4, l: 3).measure(Self.profile([2, 1, 3])) == 3)
        // Fewer than ℓ values fail whatever c is.
        #expect(!RecursiveCLDiversity(attribute: "s", c: 1000, l: 3).isSatisfied(by: Self.profile([1, 1, 0])))
        #expect(RecursiveCLDiversity(attribute: "s", c: 4, l: 3).measure(Self.profile([1, 1, 0])) == .infinity)
        // Ties at the top: [2,2,2,1], ℓ = 2: r₁ = 2 < c · 5.
        #expect(RecursiveCLDiversity(attribute: "s", c: 0.5, l: 2).isSatisfied(by: Self.profile([2, 2, 2, 1])))
        #expect(!RecursiveCLDiversity(attribute: "s", c: 0.4, l: 2).isSatisfied(by: Self.profile([2, 2, 2, 1])))
    }

    @Test func equalDistanceIsHalfTheL1Distance() {
        // Reference 3:3:4, so q = (0.3, 0.3, 0.4); the class holds one v0 and one v1: p = (0.5, 0.5, 0).
        // ½(|0.5−0.3| + |0.5−0.3| + |0−0.4|) = 0.4.
        let column = Self.column([3, 3, 4])
        let m = EqualDistanceTCloseness(attribute: "s", t: 0.4)
        #expect(Self.near(m.measure(Self.profile([1, 1, 0], column: column)), 0.4))
        #expect(m.isSatisfied(by: Self.profile([1, 1, 0], column: column)))
        #expect(!EqualDistanceTCloseness(attribute: "s", t: 0.39).isSatisfied(by: Self.profile([1, 1, 0], column: column)))
        // A class distributed as the table is at distance 0; one holding only v2, at 0.6.
        #expect(Self.near(m.measure(Self.profile([3, 3, 4], column: column)), 0))
        #expect(Self.near(m.measure(Self.profile([0, 0, 5], column: column)), 0.6))
    }

    /// v0, v1 under A; v2, v3 under B; then `*` (or, with `implicitRoot`, no top level at all).
    static func twoFamilies(implicitRoot: Bool) throws -> Hierarchy {
        try Hierarchy(rows: [["v0", "A"], ["v1", "A"], ["v2", "B"], ["v3", "B"]].map { implicitRoot ? $0 : $0 + ["*"] })
    }

    @Test(arguments: [false, true])
    func hierarchicalDistanceOnTwoFamilies(implicitRoot: Bool) throws {
        // Uniform reference, q = ¼ each; the hierarchy has height 2, so a move within a family costs
        // ½ and across families 1.
        let column = Self.column([1, 1, 1, 1], hierarchy: try Self.twoFamilies(implicitRoot: implicitRoot))
        let m = HierarchicalDistanceTCloseness(attribute: "s", t: 0.5)
        // All mass on v0: move ¼ to v1 at ½ (0.125) and ½ to the B family at 1 (0.5): 0.625.
        #expect(Self.near(m.measure(Self.profile([2, 0, 0, 0], column: column)), 0.625))
        // v0 and v1 half each: the family A holds ½ too many, moved across at 1: 0.5.
        #expect(Self.near(m.measure(Self.profile([1, 1, 0, 0], column: column)), 0.5))
        #expect(m.isSatisfied(by: Self.profile([1, 1, 0, 0], column: column)))
        // v0 and v2: each family is right, a quarter moves within each at ½: 0.25.
        #expect(Self.near(m.measure(Self.profile([1, 0, 1, 0], column: column)), 0.25))
        // The equal distance sees no families: both of the last two are at ½.
        let equal = EqualDistanceTCloseness(attribute: "s", t: 0.5)
        #expect(Self.near(equal.measure(Self.profile([1, 0, 1, 0], column: column)), 0.5))
    }

    /// With a hierarchy of height 1 (every value straight under `*`) every move costs 1, so the
    /// hierarchical distance must be the equal distance, ½ Σ |p − q|, on any class.
    @Test func aFlatHierarchyGivesTheEqualDistance() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let m = Int.random(in: 1...6, using: &rng)
            let reference = (0..<m).map { _ in Int.random(in: 0...9, using: &rng) }
            guard reference.reduce(0, +) > 0 else { continue }
            let flat = try Hierarchy(rows: (0..<m).map { ["v\($0)", "*"] })
            let column = Self.column(reference, hierarchy: flat)
            let counts = (0..<m).map { _ in Int.random(in: 0...4, using: &rng) }
            guard counts.reduce(0, +) > 0 else { continue }
            let p = Self.profile(counts, column: column)
            let h = HierarchicalDistanceTCloseness(attribute: "s", t: 1).measure(p)
            let e = EqualDistanceTCloseness(attribute: "s", t: 1).measure(p)
            let n = Double(counts.reduce(0, +)), total = Double(reference.reduce(0, +))
            let direct = 0.5 * zip(counts, reference).map { abs(Double($0) / n - Double($1) / total) }.reduce(0, +)
            #expect(Self.near(h, direct), "\(counts) against \(reference)")
            #expect(Self.near(e, direct), "\(counts) against \(reference)")
        }
    }

    // MARK: The registry

    static func parameterError(_ key: String, _ values: [String: String]) -> ModelParameterError? {
        do {
            let model = try PrivacyModels.model(key: key, parameters: ModelParameters(values))
            Issue.record("built \(model.description), but should not have")
            return nil
        } catch {
            return error
        }
    }

    @Test func parametersBuildTheRightVariant() throws {
        let distinct = try PrivacyModels.model(key: "lDiversity", parameters: ModelParameters(["attribute": "s", "l": "3"]))
        #expect((distinct as? DistinctLDiversity)?.l == 3)
        let entropy = try PrivacyModels.model(key: "lDiversity", parameters: ModelParameters(["attribute": "s", "l": "2.5", "variant": "entropy"]))
        #expect((entropy as? EntropyLDiversity)?.l == 2.5)
        let recursive = try PrivacyModels.model(key: "lDiversity", parameters: ModelParameters(["attribute": "s", "l": "3", "c": "4", "variant": "recursive"]))
        #expect((recursive as? RecursiveCLDiversity).map { ($0.c, $0.l) } ?? (0, 0) == (4, 3))
        let equal = try PrivacyModels.model(key: "tCloseness", parameters: ModelParameters(["attribute": "s", "t": "0.2"]))
        #expect((equal as? EqualDistanceTCloseness)?.t == 0.2)
        let hierarchical = try PrivacyModels.model(key: "tCloseness", parameters: ModelParameters(["attribute": "s", "t": "0", "distance": "hierarchical"]))
        #expect((hierarchical as? HierarchicalDistanceTCloseness)?.t == 0)
        let k = try PrivacyModels.model(key: "k", parameters: ModelParameters(["k": "5"]))
        #expect((k as? KAnonymity)?.k == 5)
        // What a model echoes builds the same model again: the manifest depends on it.
        for model in [distinct, entropy, recursive, equal, hierarchical, k] {
            let again = try PrivacyModels.model(key: type(of: model).policyKey, parameters: ModelParameters(model.parameters))
            #expect(type(of: again) == type(of: model) && again.parameters == model.parameters)
        }
    }

    @Test func badParametersNameTheirKey() {
        #expect(Self.parameterError("lDiversity", ["l": "3"])?.key == "attribute")
        #expect(Self.parameterError("lDiversity", ["attribute": "", "l": "3"])?.key == "attribute")
        #expect(Self.parameterError("lDiversity", ["attribute": "s", "l": "1"])?.key == "l")
        #expect(Self.parameterError("lDiversity", ["attribute": "s", "l": "2.5"])?.key == "l")
        #expect(Self.parameterError("lDiversity", ["attribute": "s", "l": "0.5", "variant": "entropy"])?.key == "l")
        #expect(Self.parameterError("lDiversity", ["attribute": "s", "l": "3", "variant": "recursive"])?.key == "c")
        #expect(Self.parameterError("lDiversity", ["attribute": "s", "l": "1", "c": "2", "variant": "recursive"])?.key == "l")
        #expect(Self.parameterError("tCloseness", ["attribute": "s", "t": "1.5"])?.key == "t")
        #expect(Self.parameterError("tCloseness", ["attribute": "s", "t": "-0.1"])?.key == "t")
        #expect(Self.parameterError("tCloseness", ["attribute": "s", "t": "nan", "distance": "hierarchical"])?.key == "t")
        #expect(Self.parameterError("tCloseness", ["attribute": "s"])?.key == "t")
        #expect(Self.parameterError("k", ["k": "1"])?.key == "k")
        // A misspelt parameter is refused by its own name, never ignored.
        #expect(Self.parameterError("lDiversity", ["attribute": "s", "l": "3", "lvl": "3"])?.key == "lvl")
        #expect(Self.parameterError("tCloseness", ["attribute": "s", "t": "0.2", "variant": "equal"])?.key == "variant")
        // Unknown variants and keys.
        let variant = Self.parameterError("lDiversity", ["attribute": "s", "l": "3", "variant": "probabilistic"])
        #expect(variant?.key == "variant")
        #expect(variant.map { $0.problem.contains("distinct") && $0.problem.contains("entropy") && $0.problem.contains("recursive") } == true)
        #expect(!(variant?.problem.contains("probabilistic") ?? true))
        #expect(Self.parameterError("tCloseness", ["attribute": "s", "t": "0.2", "distance": "ordered"])?.key == "distance")
        let unknown = Self.parameterError("deltaPresence", [:])
        #expect(unknown?.key == "deltaPresence")
        #expect(unknown.map { $0.problem.contains("lDiversity") && $0.problem.contains("tCloseness") } == true)
    }

    // MARK: Monotonicity

    @Test func monotonicityFlags() {
        #expect(KAnonymity(k: 2).isMonotone)
        #expect(DistinctLDiversity(attribute: "s", l: 2).isMonotone)
        #expect(!EntropyLDiversity(attribute: "s", l: 2).isMonotone)
        #expect(!RecursiveCLDiversity(attribute: "s", c: 3, l: 2).isMonotone)
        #expect(!EqualDistanceTCloseness(attribute: "s", t: 0.2).isMonotone)
        #expect(!HierarchicalDistanceTCloseness(attribute: "s", t: 0.2).isMonotone)
        #expect(PrivacyModels(models: [KAnonymity(k: 2), DistinctLDiversity(attribute: "s", l: 2)], suppressionLimit: 0).isMonotone)
        #expect(!PrivacyModels(models: [KAnonymity(k: 2), EntropyLDiversity(attribute: "s", l: 2)], suppressionLimit: 0).isMonotone)
        #expect(PrivacyModels(models: [KAnonymity(k: 2), RecursiveCLDiversity(attribute: "s", c: 3, l: 4)], suppressionLimit: 0).minimumClassSize == 4)
    }

    static func merged(_ a: [Int], _ b: [Int]) -> [Int] { zip(a, b).map { $0 + $1 } }

    @Test func aClassMeetingAMonotoneModelStillMeetsItMergedWithAnyClass() {
        var rng = SplitMix64(seed: 11)
        var checked = 0
        for _ in 0..<2000 {
            let m = Int.random(in: 1...5, using: &rng)
            let a = (0..<m).map { _ in Int.random(in: 0...3, using: &rng) }
            let b = (0..<m).map { _ in Int.random(in: 0...3, using: &rng) }
            guard a.reduce(0, +) > 0, b.reduce(0, +) > 0 else { continue }
            let l = Int.random(in: 2...4, using: &rng)
            let models: [any PrivacyModel] = [DistinctLDiversity(attribute: "s", l: l), KAnonymity(k: l)]
            for model in models where model.isSatisfied(by: Self.profile(a)) {
                #expect(model.isSatisfied(by: Self.profile(Self.merged(a, b))), "\(model.description): \(a) + \(b)")
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    @Test func entropyIsNotMonotone() {
        // {v0, v1} has entropy ln 2 and meets ℓ = 2; five more v0 (a class that fails alone) bring
        // it to 6:1, entropy ≈ 0.41 < ln 2 ≈ 0.69: publishing the merge would expose v0.
        let m = EntropyLDiversity(attribute: "s", l: 2)
        let satisfying = [1, 1], failing = [5, 0]
        #expect(m.isSatisfied(by: Self.profile(satisfying)))
        #expect(!m.isSatisfied(by: Self.profile(failing)))
        #expect(!m.isSatisfied(by: Self.profile(Self.merged(satisfying, failing))))
        // Two satisfying classes never fail together: entropy is concave, so a merge's entropy is
        // at least the weighted mean of its parts'. Non-monotonicity needs a failing part.
        var rng = SplitMix64(seed: 12)
        for _ in 0..<2000 {
            let a = (0..<3).map { _ in Int.random(in: 0...4, using: &rng) }
            let b = (0..<3).map { _ in Int.random(in: 0...4, using: &rng) }
            guard m.isSatisfied(by: Self.profile(a)), m.isSatisfied(by: Self.profile(b)) else { continue }
            #expect(m.isSatisfied(by: Self.profile(Self.merged(a, b))), "\(a) + \(b)")
        }
    }

    @Test func recursiveAndClosenessAreNotMonotone() {
        // Recursive (2, 2): [1,1] holds (1 < 2·1); adding [3,0] gives [4,1], 4 < 2 fails.
        let r = RecursiveCLDiversity(attribute: "s", c: 2, l: 2)
        #expect(r.isSatisfied(by: Self.profile([1, 1])))
        #expect(!r.isSatisfied(by: Self.profile([4, 1])))
        // Equal 0.2-closeness against a 1:1 table: [1,1] is at 0; merged with [4,0] it is at 0.3.
        let column = Self.column([5, 5])
        let t = EqualDistanceTCloseness(attribute: "s", t: 0.2)
        #expect(t.isSatisfied(by: Self.profile([1, 1], column: column)))
        #expect(Self.near(t.measure(Self.profile([5, 1], column: column)), 1 / 3.0))
        #expect(!t.isSatisfied(by: Self.profile([5, 1], column: column)))
    }

    @Test func auditReportsTheWorstClassAndTheFailures() {
        let column = Self.column([2, 2, 2])
        let table = SensitiveHistogram(column: column, start: [0, 3, 4, 6], codes: [0, 1, 2, 0, 0, 1], counts: [1, 1, 1, 3, 1, 1])
        let models = PrivacyModels(models: [KAnonymity(k: 2), DistinctLDiversity(attribute: "s", l: 2),
                                            EqualDistanceTCloseness(attribute: "s", t: 0.5)], suppressionLimit: 0)
        let audit = ModelAudit(models: models, sizes: [3, 3, 2], sensitive: [table])
        #expect(audit.outcomes[0].worst == 2 && audit.outcomes[1].worst == 1)
        // Class 2 holds only v0: ½(⅔ + ⅓ + ⅓) = ⅔ from the uniform table.
        #expect(Self.near(audit.outcomes[2].worst ?? 0, 2 / 3.0))
        #expect(audit.outcomes.map(\.failingClasses) == [0, 1, 1])
        #expect(audit.outcomes.map(\.failingRecords) == [0, 3, 3])
        #expect(audit.firstFailure?.model == "distinct 2-diversity of s")
    }
}
