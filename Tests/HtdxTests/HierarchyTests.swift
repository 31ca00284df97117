import Anonymize
import Testing

/// The labels each raw value gets at `level`, in raw order.
fileprivate func labelsOfRawValues(_ h: Hierarchy, level: Int) -> [String] {
    (0..<h.rawCount).map { h.labels[level][Int(h.map[level][$0])] }
}

/// Checks the invariants every hierarchy must hold, whatever built it.
fileprivate func checkInvariants(_ h: Hierarchy, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(h.map.count == h.levelCount, sourceLocation: sourceLocation)
    #expect(h.labels.count == h.levelCount, sourceLocation: sourceLocation)
    #expect(h.coverage.count == h.levelCount, sourceLocation: sourceLocation)
    guard h.map.count == h.levelCount, h.labels.count == h.levelCount, h.coverage.count == h.levelCount else { return }
    // Level 0 is the raw values themselves.
    #expect(labelsOfRawValues(h, level: 0) == h.rawValues, sourceLocation: sourceLocation)
    for level in 0..<h.levelCount {
        #expect(h.map[level].count == h.rawCount, sourceLocation: sourceLocation)
        #expect(h.labels[level].count == h.coverage[level].count, sourceLocation: sourceLocation)
        // Coverage counts the raw values mapped to each group, and every group is used.
        var counts = [Int](repeating: 0, count: h.labels[level].count)
        for g in h.map[level] { counts[Int(g)] += 1 }
        #expect(counts == h.coverage[level], sourceLocation: sourceLocation)
        #expect(Set(h.labels[level]).count == h.labels[level].count, "labels of a level are distinct", sourceLocation: sourceLocation)
        // Functional: sharing a group at one level means sharing one at the next.
        if level + 1 < h.levelCount {
            var parent: [UInt32: UInt32] = [:]
            for r in 0..<h.rawCount {
                let here = h.map[level][r], up = h.map[level + 1][r]
                if let p = parent[here] { #expect(p == up, sourceLocation: sourceLocation) } else { parent[here] = up }
            }
        }
    }
}

@Suite("Hierarchy")
struct HierarchyTests {

    // MARK: Tables

    @Test func validTable() throws {
        let h = try Hierarchy(rows: [
            ["Female", "F", "*"],
            ["Male", "M", "*"],
            ["Woman", "F", "*"],
            ["Other", "O", "*"],
        ])
        checkInvariants(h)
        #expect(h.levelCount == 3)
        #expect(h.maxLevel == 2)
        #expect(h.rawCount == 4)
        #expect(h.rawValues == ["Female", "Male", "Woman", "Other"])
        #expect(h.map[0] == [0, 1, 2, 3])
        #expect(labelsOfRawValues(h, level: 1) == ["F", "M", "F", "O"])
        #expect(Set(h.labels[1]) == ["F", "M", "O"])
        #expect(h.labels[2] == ["*"])
        #expect(h.coverage[0] == [1, 1, 1, 1])
        let f = try #require(h.labels[1].firstIndex(of: "F"))
        let m = try #require(h.labels[1].firstIndex(of: "M"))
        #expect(h.coverage[1][f] == 2)
        #expect(h.coverage[1][m] == 1)
        #expect(h.coverage[2] == [4])
        #expect(h.map[1][0] == h.map[1][2])
        #expect(h.map[1][0] != h.map[1][1])
    }

    @Test func lossIsCoverageMinusOneOverRawCountMinusOne() throws {
        let h = try Hierarchy(rows: [
            ["a", "ab", "*"], ["b", "ab", "*"], ["c", "cde", "*"], ["d", "cde", "*"], ["e", "cde", "*"],
        ])
        // d = 5: raw values lose nothing, `ab` (c = 2) loses 1/4, `cde` (c = 3) 2/4, `*` everything.
        #expect(h.loss(level: 0, group: 0) == 0)
        let ab = try #require(h.labels[1].firstIndex(of: "ab"))
        let cde = try #require(h.labels[1].firstIndex(of: "cde"))
        #expect(h.loss(level: 1, group: UInt32(ab)) == 0.25)
        #expect(h.loss(level: 1, group: UInt32(cde)) == 0.5)
        #expect(h.loss(level: 2, group: 0) == 1)
        for level in 0..<h.levelCount {
            for g in h.labels[level].indices {
                let expected = Double(h.coverage[level][g] - 1) / Double(h.rawCount - 1)
                #expect(h.loss(level: level, group: UInt32(g)) == expected)
            }
        }
    }

    @Test func singleRawValueLosesNothing() throws {
        let h = try Hierarchy(rows: [["only", "*"]])
        checkInvariants(h)
        #expect(h.levelCount == 2)
        #expect(h.loss(level: 0, group: 0) == 0)
        #expect(h.loss(level: 1, group: 0) == 0)
        #expect(!h.loss(level: 1, group: 0).isNaN)
    }

    @Test func emptyTableIsAnError() {
        #expect(throws: HierarchyError(row: 0, problem: .empty)) { try Hierarchy(rows: []) }
        #expect(throws: HierarchyError(row: 0, problem: .empty)) { try Hierarchy(rows: [[]]) }
    }

    @Test func inconsistentRowLengthsNameTheRow() {
        #expect(throws: HierarchyError(row: 2, problem: .inconsistentLevels(expected: 3, found: 2))) {
            try Hierarchy(rows: [["a", "x", "*"], ["b", "x", "*"], ["c", "*"], ["d", "x", "*"]])
        }
        #expect(throws: HierarchyError(row: 1, problem: .inconsistentLevels(expected: 2, found: 3))) {
            try Hierarchy(rows: [["a", "*"], ["b", "x", "*"]])
        }
    }

    @Test func duplicateRawValueIsAnError() {
        #expect(throws: HierarchyError(row: 3, problem: .duplicateRawValue("b", firstRow: 1))) {
            try Hierarchy(rows: [["a", "*"], ["b", "*"], ["c", "*"], ["b", "*"]])
        }
    }

    @Test func nonFunctionalHierarchyIsAnError() throws {
        // "x" at level 1 generalises to both "p" and "q" at level 2.
        let rows = [["a", "x", "p", "*"], ["b", "y", "p", "*"], ["c", "x", "q", "*"]]
        do {
            _ = try Hierarchy(rows: rows)
            Issue.record("a non-functional hierarchy was accepted")
        } catch {
            #expect(error.row == 2)
            #expect(error.problem == .notFunctional(value: "x", level: 1, parents: ["p", "q"]))
            // The row is named, the value is not: the table might be some other file.
            #expect(error.description.contains("each value must have one parent"))
            #expect(!error.description.contains("\"x\""))
        }
    }

    @Test func sameLabelAtDifferentLevelsIsFine() throws {
        // A label may repeat across levels (a bucket "5" at level 1 and raw value "5").
        let h = try Hierarchy(rows: [["5", "5", "*"], ["6", "6-7", "*"], ["7", "6-7", "*"]])
        checkInvariants(h)
        #expect(h.coverage[1].sorted() == [1, 2])
    }

    // MARK: Intervals

    @Test func intervalsWithNestedWidths() throws {
        let h = try HierarchyBuilder.intervals(min: 0, max: 99, widths: [5, 10, 20])
        checkInvariants(h)
        #expect(h.levelCount == 5)
        #expect(h.rawCount == 100)
        #expect(h.rawValues == (0...99).map(String.init))
        let byRaw = { (level: Int, v: Int) in h.labels[level][Int(h.map[level][v])] }
        #expect(byRaw(1, 0) == "0-4")
        #expect(byRaw(1, 4) == "0-4")
        #expect(byRaw(1, 5) == "5-9")
        #expect(byRaw(2, 17) == "10-19")
        #expect(byRaw(3, 20) == "20-39")
        #expect(byRaw(3, 39) == "20-39")
        #expect(byRaw(3, 99) == "80-99")
        #expect(h.labels[4] == ["*"])
        #expect(h.labels[1].count == 20)
        #expect(h.labels[2].count == 10)
        #expect(h.labels[3].count == 5)
        #expect(h.coverage[1].allSatisfy { $0 == 5 })
        #expect(h.coverage[2].allSatisfy { $0 == 10 })
        #expect(h.coverage[3].allSatisfy { $0 == 20 })
        #expect(h.coverage[4] == [100])
    }

    @Test func intervalsClampThePartialLastBucket() throws {
        let h = try HierarchyBuilder.intervals(min: 0, max: 97, widths: [5, 10, 20])
        checkInvariants(h)
        #expect(h.rawCount == 98)
        let group = { (level: Int, v: Int) in Int(h.map[level][v]) }
        #expect(h.labels[1][group(1, 97)] == "95-97")
        #expect(h.coverage[1][group(1, 97)] == 3)
        #expect(h.labels[2][group(2, 97)] == "90-97")
        #expect(h.coverage[2][group(2, 97)] == 8)
        #expect(h.labels[3][group(3, 97)] == "80-97")
        #expect(h.coverage[3][group(3, 97)] == 18)
        #expect(!h.labels[1].contains("95-99"))
        // A last bucket of a single value is labelled by that value.
        let single = try HierarchyBuilder.intervals(min: 10, max: 20, widths: [5])
        checkInvariants(single)
        #expect(single.labels[1] == ["10-14", "15-19", "20"])
        #expect(single.coverage[1] == [5, 5, 1])
    }

    @Test func intervalsAlignAtMin() throws {
        let h = try HierarchyBuilder.intervals(min: -3, max: 6, widths: [5])
        checkInvariants(h)
        #expect(h.labels[1] == ["-3-1", "2-6"])
        #expect(h.coverage[1] == [5, 5])
        let point = try HierarchyBuilder.intervals(min: 7, max: 7, widths: [])
        #expect(point.levelCount == 2)
        #expect(point.rawValues == ["7"])
    }

    @Test(arguments: [[5, 12], [10, 5], [5, 5], [1, 2], [0], [-5], [4, 6]])
    func intervalsRejectWidthsThatDoNotNest(widths: [Int]) {
        do {
            _ = try HierarchyBuilder.intervals(min: 0, max: 99, widths: widths)
            Issue.record("widths \(widths) were accepted")
        } catch {
            guard case .invalidDefinition(let message) = error.problem else {
                Issue.record("expected .invalidDefinition, got \(error.problem)")
                return
            }
            #expect(message.contains("widths"))
        }
    }

    /// Bounds a policy can state (any Int) must give an error, not trap on overflow.
    @Test func intervalsNearTheLimitsOfIntDoNotCrash() async {
        // Run in child processes, so that a trap on overflow fails this test instead of the run.
        await #expect(processExitsWith: .success) {
            _ = try? HierarchyBuilder.intervals(min: Int.min, max: Int.max, widths: [5])
        }
        await #expect(processExitsWith: .success) {
            _ = try? HierarchyBuilder.intervals(min: 10, max: 20, widths: [Int.max])
        }
        await #expect(processExitsWith: .success) {
            _ = try? HierarchyBuilder.intervals(min: Int.max - 7, max: Int.max, widths: [10])
        }
        await #expect(processExitsWith: .success) {
            _ = try? HierarchyBuilder.intervals(min: Int.min, max: Int.min + 7, widths: [4])
        }
    }

    @Test func intervalsAtTheTopOfIntAreLabelledExactly() throws {
        let h = try HierarchyBuilder.intervals(min: Int.max - 7, max: Int.max, widths: [5])
        checkInvariants(h)
        #expect(h.rawCount == 8)
        #expect(h.labels[1] == ["\(Int.max - 7)-\(Int.max - 3)", "\(Int.max - 2)-\(Int.max)"])
        #expect(h.coverage[1] == [5, 3])
    }

    @Test func intervalsRejectMinAboveMax() {
        do {
            _ = try HierarchyBuilder.intervals(min: 10, max: 9, widths: [5])
            Issue.record("min > max was accepted")
        } catch {
            guard case .invalidDefinition(let message) = error.problem else {
                Issue.record("expected .invalidDefinition, got \(error.problem)")
                return
            }
            #expect(message.contains("min"))
        }
    }

    // MARK: Dates

    @Test func datesAcrossAYearEnd() throws {
        let h = try HierarchyBuilder.dates(min: "2019-12-30", max: "2020-01-02", levels: [.month, .year])
        checkInvariants(h)
        #expect(h.levelCount == 4)
        #expect(h.rawValues == ["2019-12-30", "2019-12-31", "2020-01-01", "2020-01-02"])
        #expect(labelsOfRawValues(h, level: 1) == ["2019-12", "2019-12", "2020-01", "2020-01"])
        #expect(labelsOfRawValues(h, level: 2) == ["2019", "2019", "2020", "2020"])
        #expect(h.labels[3] == ["*"])
        #expect(h.coverage[1] == [2, 2])
        #expect(h.coverage[2] == [2, 2])
    }

    @Test func datesIncludeTheLeapDay() throws {
        let h = try HierarchyBuilder.dates(min: "2020-02-27", max: "2020-03-01", levels: [.month])
        #expect(h.rawValues == ["2020-02-27", "2020-02-28", "2020-02-29", "2020-03-01"])
        #expect(labelsOfRawValues(h, level: 1) == ["2020-02", "2020-02", "2020-02", "2020-03"])
        let century = try HierarchyBuilder.dates(min: "2000-02-28", max: "2000-03-01", levels: [])
        #expect(century.rawValues == ["2000-02-28", "2000-02-29", "2000-03-01"])
        let noLeap = try HierarchyBuilder.dates(min: "1900-02-28", max: "1900-03-01", levels: [])
        #expect(noLeap.rawValues == ["1900-02-28", "1900-03-01"])
    }

    @Test func leapDayIsAValidBoundOnlyInLeapYears() throws {
        for leap in ["2020-02-29", "2000-02-29", "2400-02-29", "1996-02-29"] {
            let h = try HierarchyBuilder.dates(min: leap, max: leap, levels: [.year])
            #expect(h.rawValues == [leap])
        }
        for notLeap in ["2021-02-29", "1900-02-29", "2100-02-29", "2019-02-29"] {
            #expect(throws: HierarchyError.self, "\(notLeap)") {
                try HierarchyBuilder.dates(min: notLeap, max: "2030-01-01", levels: [.year])
            }
            #expect(throws: HierarchyError.self, "\(notLeap)") {
                try HierarchyBuilder.dates(min: "1800-01-01", max: notLeap, levels: [.year])
            }
        }
    }

    @Test func datesCountEveryDayOfALongRange() throws {
        let h = try HierarchyBuilder.dates(min: "2015-01-01", max: "2024-12-31", levels: [.month, .quarter, .year, .decade])
        checkInvariants(h)
        #expect(h.rawCount == 3653)
        #expect(h.labels[1].count == 120)
        #expect(h.labels[2].count == 40)
        #expect(h.labels[3].count == 10)
        #expect(Set(h.labels[4]) == ["2010-2019", "2020-2029"])
        let feb2016 = try #require(h.labels[1].firstIndex(of: "2016-02"))
        #expect(h.coverage[1][feb2016] == 29)
        let q1of2019 = try #require(h.labels[2].firstIndex(of: "2019-Q1"))
        #expect(h.coverage[2][q1of2019] == 90)
        let y2020 = try #require(h.labels[3].firstIndex(of: "2020"))
        #expect(h.coverage[3][y2020] == 366)
    }

    @Test(arguments: ["2021-02-29", "2020-13-01", "2020-00-10", "2020-04-31", "2020-1-01", "20-01-01", "2020/01/01", ""])
    func datesRejectAnInvalidMin(min: String) {
        do {
            _ = try HierarchyBuilder.dates(min: min, max: "2021-12-31", levels: [.month])
            Issue.record("min \(min) was accepted")
        } catch {
            guard case .invalidDefinition(let message) = error.problem else {
                Issue.record("expected .invalidDefinition, got \(error.problem)")
                return
            }
            #expect(message.contains("min"))
        }
    }

    @Test(arguments: [
        [HierarchyBuilder.DateLevel.year, .month], [.month, .month], [.decade, .year], [.quarter, .month, .year],
    ])
    func datesRejectLevelsOutOfOrder(levels: [HierarchyBuilder.DateLevel]) {
        do {
            _ = try HierarchyBuilder.dates(min: "2020-01-01", max: "2020-12-31", levels: levels)
            Issue.record("levels \(levels) were accepted")
        } catch {
            guard case .invalidDefinition = error.problem else {
                Issue.record("expected .invalidDefinition, got \(error.problem)")
                return
            }
        }
    }

    @Test func datesRejectMinAfterMax() {
        #expect(throws: HierarchyError.self) {
            try HierarchyBuilder.dates(min: "2020-01-02", max: "2020-01-01", levels: [.month])
        }
    }

    // MARK: Flat

    @Test func flatHierarchy() throws {
        let h = try HierarchyBuilder.flat(values: ["x", "y", "z"])
        checkInvariants(h)
        #expect(h.levelCount == 2)
        #expect(h.rawValues == ["x", "y", "z"])
        #expect(h.labels[1] == ["*"])
        #expect(h.coverage[1] == [3])
        #expect(h.loss(level: 1, group: 0) == 1)
        #expect(throws: HierarchyError(row: 1, problem: .duplicateRawValue("x", firstRow: 0))) {
            try HierarchyBuilder.flat(values: ["x", "x"])
        }
    }
}
