import Anonymize
import Testing

@Suite struct DifferencingExampleTests {
    /// Age bands of ten years under "*", and regions under "*".
    let age = ReleaseClasses.Ladder(rows: [["23", "20-29", "*"], ["35", "30-39", "*"]], level: 1, digest: "age")
    let region = ReleaseClasses.Ladder(rows: [["North", "*"], ["South", "*"]], level: 0, digest: "region")

    func release(_ counts: [[String]: Int]) -> ReleaseClasses {
        ReleaseClasses(names: ["age", "region"], ladders: [age, region], counts: counts)
    }

    @Test func aClassThatGrewByOneIsFoundAndHeldBack() {
        let before = release([["20-29", "North"]: 6, ["30-39", "North"]: 7, ["30-39", "South"]: 5])
        let after = release([["20-29", "North"]: 7, ["30-39", "North"]: 7, ["30-39", "South"]: 5])
        let found = DifferencingGuard.findings(earlier: before, current: after, k: 5)
        // The newcomer is alone in its class, and in every coarsening of it.
        #expect(found == [
            DifferenceFinding(levels: [1, 0], labels: ["20-29", "North"], difference: 1),
            DifferenceFinding(levels: [1, 1], labels: ["20-29", "*"], difference: 1),
            DifferenceFinding(levels: [2, 0], labels: ["*", "North"], difference: 1),
            DifferenceFinding(levels: [2, 1], labels: ["*", "*"], difference: 1),
        ])
        #expect(DifferencingGuard.smallestDifference(earlier: before, current: after) == 1)
        #expect(DifferencingGuard.holdBack(earlier: [before], current: after, k: 5, limit: 1, wholeClassesOnly: false)
            == [["20-29", "North"]: 1])
        #expect(DifferencingGuard.holdBack(earlier: [before], current: after, k: 5, limit: 0, wholeClassesOnly: false) == nil)
        // Whole classes only: all 7 go, which leaves −6 against the earlier 6, as far from 0 as k allows.
        #expect(DifferencingGuard.holdBack(earlier: [before], current: after, k: 5, limit: 100, wholeClassesOnly: true)
            == [["20-29", "North"]: 7])
    }

    @Test func differencesThatCancelOnlyAtACoarserNode() {
        // +5 and −9 are each safe for k = 5; their sum over the region, −4, is not.
        let before = release([["20-29", "North"]: 5, ["20-29", "South"]: 9])
        let after = release([["20-29", "North"]: 10])
        let found = DifferencingGuard.findings(earlier: before, current: after, k: 5)
        #expect(found == [
            DifferenceFinding(levels: [1, 1], labels: ["20-29", "*"], difference: -4),
            DifferenceFinding(levels: [2, 1], labels: ["*", "*"], difference: -4),
        ])
        #expect(DifferencingGuard.smallestDifference(earlier: before, current: after) == 4)
        // Holding back 1 takes the sum to −5 but leaves North +4 against its earlier 5, so the
        // fixed point holds back 4 more: North is back to 5, the sum at −9.
        #expect(DifferencingGuard.holdBack(earlier: [before], current: after, k: 5, limit: 10, wholeClassesOnly: false)
            == [["20-29", "North"]: 5])
        #expect(DifferencingGuard.holdBack(earlier: [before], current: after, k: 5, limit: 4, wholeClassesOnly: false) == nil)
    }

    @Test func ladderFromRowsStartsAtThePublishedLevel() {
        let rows = [["23", "20-29", "*"], ["35", "30-39", "*"], ["38", "30-39", "*"]]
        let ladder = ReleaseClasses.Ladder(rows: rows, level: 1, digest: "d", blank: "")
        #expect(ladder.top == 2)
        #expect(ladder.ancestors == ["20-29": ["20-29", "*"], "30-39": ["30-39", "*"], "": ["", "*"]])
    }

    @Test func differentHierarchiesAreComparedAtTheTopOnly() {
        var before = release([["20-29", "North"]: 6, ["30-39", "North"]: 7])
        before.ladders[0].digest = "age, an older hierarchy"
        let after = release([["20-29", "North"]: 7, ["30-39", "North"]: 7])
        #expect(DifferencingGuard.findings(earlier: before, current: after, k: 5)
            == [DifferenceFinding(levels: [2, 0], labels: ["*", "North"], difference: 1),
                DifferenceFinding(levels: [2, 1], labels: ["*", "*"], difference: 1)])
    }

    @Test func aHierarchyThatIsNotATreeIsCoarsenedLabelByLabel() {
        // "Other" sits under G1 for a and under G2 for b: the level-2 class of b's newcomer is G2,
        // which summing level 1's classes (where a and b are one) would miss.
        let rows = [["a", "Other", "G1", "*"], ["b", "Other", "G2", "*"], ["c", "C", "G1", "*"]]
        let ladder = ReleaseClasses.Ladder(rows: rows, level: 0, digest: "d")
        let before = ReleaseClasses(names: ["x"], ladders: [ladder], counts: [["a"]: 5, ["b"]: 5, ["c"]: 5])
        var after = before
        after.counts[["b"]] = 6
        #expect(DifferencingGuard.findings(earlier: before, current: after, k: 3) == [
            DifferenceFinding(levels: [0], labels: ["b"], difference: 1),
            DifferenceFinding(levels: [1], labels: ["Other"], difference: 1),
            DifferenceFinding(levels: [2], labels: ["G2"], difference: 1),
            DifferenceFinding(levels: [3], labels: ["*"], difference: 1),
        ])
    }

    @Test func cellsDifferingByFewerThanKOffend() {
        let before: [String: Int?] = ["a": 10, "b": 10, "c": nil, "d": 3, "e": 4]
        let after: [String: Int?] = ["a": 12, "b": 15, "c": 1, "e": 4, "f": 2]
        // a: 2; b: 5 = k; c suppressed before; d: gone (−3); e: same; f: new (2).
        #expect(CellDifferences.offending(earlier: before, current: after, k: 5) == ["a", "d", "f"])
        #expect(CellDifferences.offending(earlier: before, current: after, k: 1) == [])
    }
}
