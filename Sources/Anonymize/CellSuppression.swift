/// Cell suppression: the records of classes smaller than k have some quasi-identifier cells
/// blanked, so that they publish in classes of at least k, instead of being dropped whole. CTDC's
/// k-anonymised release did both: whole records dropped, single cells such as `citizenship` left
/// empty.
///
/// A blank counts as a value of its own when classes are counted, never as a wildcard that
/// matches anything: a record with a blank region is in the class of the other records with a
/// blank region and the same other values, and in no other. That is the conservative reading, and
/// a cell blanked here and one missing in the input are the same value.
extension CellSuppressionPlan {
    /// Plans which cells of the small classes to blank.
    ///
    /// For m = 1, 2, … up to the cap, and for each set of m attributes of `priority`, taken in
    /// lexicographic order of their ranks (for priority [a, b, c]: {a}, {b}, {c}, {a, b}, {a, c},
    /// {b, c}, …), every small class not yet resolved is projected: those attributes are set to
    /// blank. Classes with the same projection form a group. The group is accepted when its records,
    /// plus the records already published with that tuple, number at least k; its classes then
    /// publish as the projection and are resolved. The records already published with a tuple are
    /// those of the classes of at least k and of the groups this plan accepted before. Classes left
    /// at the end are suppressed. So fewer cells come first, and at equal number the priority order
    /// decides; the result does not depend on the order of the tuples in the histogram, because the
    /// groups of one pass are disjoint and each one's acceptance depends only on itself.
    ///
    /// The points that need care:
    /// - **Classes move whole.** The publishing pass decides by tuple, with no state per record, so
    ///   all records of a class share one fate; splitting a class across groups would also make the
    ///   output depend on the order of the records. A class is never partly joined.
    /// - **(a) A projection equal to a small class that is not yet resolved.** That class has blanks
    ///   wherever the projection does, so it projects onto itself and is a member of the group, at
    ///   no cost in cells: its records count toward k and publish as they are if the group is
    ///   accepted. It is therefore never counted as "already published" as well.
    /// - **(b) Groups formed earlier.** An accepted group's records are added to the count of its
    ///   tuple, which later groups with the same projection join, at any later m or subset.
    /// - **(c) Cells that are already blank.** Blanking them changes nothing, so they are not
    ///   counted as blanked cells, nor toward the cap. A class that the projection leaves unchanged
    ///   makes no progress: a group whose members all stay unchanged is never accepted (its only
    ///   member is the class itself, and nothing is published with its tuple yet, by (a)).
    /// - **(d) No published class smaller than k.** Classes of at least k never lose records. A
    ///   tuple's published count only grows, and it becomes nonzero only when a group reaching k
    ///   is accepted there. Suppressed classes publish nothing. So every published class has at
    ///   least k records, whether formed by the plan or joined; the tests recount this with
    ///   `verify(against:)`, and a run recounts the written file.
    ///
    /// The cost is one pass over the unresolved small classes per set of attributes, at most
    /// Σ C(p, m) for m ≤ the cap, with p the length of `priority`; it stops once nothing is left.
    ///
    /// - Parameters:
    ///   - histogram: The generalised tuples at the chosen transformation, with their counts.
    ///   - k: The k of k-anonymity.
    ///   - blank: For each quasi-identifier, the code of the empty value at its chosen level,
    ///     whether or not it occurs in the data.
    ///   - priority: The quasi-identifiers that may be blanked, the first blanked first; the others
    ///     never are.
    ///   - maxBlankedPerRecord: The most cells blanked in one record; all of `priority` if nil.
    public init(histogram: TupleHistogram, k: Int, blank: [UInt32], priority: [Int], maxBlankedPerRecord: Int? = nil) {
        let w = histogram.width
        precondition(k >= 1 && blank.count == w, "k must be at least 1, with one blank code per quasi-identifier")
        precondition(priority.allSatisfy { (0..<w).contains($0) } && Set(priority).count == priority.count,
                     "the priority must list distinct quasi-identifiers")
        let cap = min(maxBlankedPerRecord ?? priority.count, priority.count)
        precondition(cap >= 0, "the cap on blanked cells cannot be negative")

        var small = TupleHistogram(width: w)
        histogram.codes.withUnsafeBufferPointer { codes in
            for t in 0..<histogram.tupleCount where (1..<k).contains(histogram.counts[t]) {
                small.add(UnsafeBufferPointer(rebasing: codes[(t * w)..<((t + 1) * w)]), multiplicity: histogram.counts[t])
            }
        }
        var replacement = small.codes
        var unresolved = Array(0..<small.tupleCount)
        // Records the plan has added to each published tuple: the groups accepted so far.
        var joined = TupleHistogram(width: w)
        var projection = [UInt32](repeating: 0, count: w)

        /// Records already published with `tuple`: its class in the input if that is at least k,
        /// plus the groups accepted there. A small class with that tuple is not counted (see (a)).
        func publishedCount(_ tuple: UnsafeBufferPointer<UInt32>) -> Int {
            let existing = histogram.index(of: tuple).map { histogram.counts[$0] } ?? 0
            return (existing >= k ? existing : 0) + (joined.index(of: tuple).map { joined.counts[$0] } ?? 0)
        }

        var m = 1
        while m <= cap && !unresolved.isEmpty {
            var ranks = Array(0..<m)
            repeat {
                var groups = TupleHistogram(width: w)
                var groupOf: [Int] = []
                var progress: [Bool] = []
                // Classes with the same projection form one group; a class whose blanked cells
                // were all blank already projects onto itself and is no progress, by (c).
                for s in unresolved {
                    var changed = false
                    for i in 0..<w { projection[i] = small.codes[s * w + i] }
                    for r in ranks where projection[priority[r]] != blank[priority[r]] {
                        projection[priority[r]] = blank[priority[r]]
                        changed = true
                    }
                    let g = projection.withUnsafeBufferPointer { groups.add($0, multiplicity: small.counts[s]) }
                    if g == progress.count { progress.append(false) }
                    progress[g] = progress[g] || changed
                    groupOf.append(g)
                }
                // The groups of one pass have distinct tuples, so each one's acceptance depends
                // only on itself and on earlier passes, never on the order they are visited in.
                let accepted = groups.codes.withUnsafeBufferPointer { codes in
                    (0..<groups.tupleCount).map { g in
                        let tuple = UnsafeBufferPointer(rebasing: codes[(g * w)..<((g + 1) * w)])
                        guard progress[g], groups.counts[g] + publishedCount(tuple) >= k else { return false }
                        joined.add(tuple, multiplicity: groups.counts[g])
                        return true
                    }
                }
                var left: [Int] = []
                for (s, g) in zip(unresolved, groupOf) {
                    if accepted[g] {
                        replacement.replaceSubrange((s * w)..<((s + 1) * w), with: groups.codes[(g * w)..<((g + 1) * w)])
                    } else {
                        left.append(s)
                    }
                }
                unresolved = left
            } while !unresolved.isEmpty && Self.advance(&ranks, below: priority.count)
            m += 1
        }

        var cells = [Int](repeating: 0, count: w)
        var blankedRecords = 0
        var suppressed = [Bool](repeating: false, count: small.tupleCount)
        for s in unresolved { suppressed[s] = true }
        for s in 0..<small.tupleCount where !suppressed[s] {
            var changed = false
            for i in 0..<w where replacement[s * w + i] != small.codes[s * w + i] {
                cells[i] += small.counts[s]
                changed = true
            }
            if changed { blankedRecords += small.counts[s] }
        }
        self.k = k
        self.width = w
        self.blank = blank
        self.small = small
        self.replacement = replacement
        self.suppressed = suppressed
        self.summary = Summary(cellsBlanked: cells, recordsBlanked: blankedRecords,
                               recordsSuppressed: unresolved.reduce(0) { $0 + small.counts[$1] })
    }

    /// Moves `ranks`, an increasing m-subset of 0..<n, to the next one in lexicographic order;
    /// false after the last.
    static func advance(_ ranks: inout [Int], below n: Int) -> Bool {
        let m = ranks.count
        var i = m - 1
        while i >= 0 && ranks[i] == n - m + i { i -= 1 }
        guard i >= 0 else { return false }
        ranks[i] += 1
        for j in (i + 1)..<m { ranks[j] = ranks[j - 1] + 1 }
        return true
    }
}
