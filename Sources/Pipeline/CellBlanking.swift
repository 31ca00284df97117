import Anonymize
import Export
import Tabular

/// Cell suppression applied to a run: which records of the classes smaller than k publish with
/// some quasi-identifier cells blanked, and which are still suppressed (``CellSuppressionPlan``).
///
/// A blanked cell publishes what a missing value publishes at the chosen level: the label of the
/// empty raw value when the hierarchy has one (so a blanked cell and a missing one are the same
/// value, as a reader sees them), or an empty cell when it has none. The rows are decided per raw
/// tuple of the counted histogram, so pass 2 pays one lookup per record of a small class, and
/// memory follows the number of small classes.
struct CellBlanking {
    /// For each raw tuple of a class smaller than k that publishes: its quasi-identifier labels,
    /// encoded for the writer.
    let rows: [Int: [[UInt8]]]
    let plan: CellSuppressionPlan
    /// Per quasi-identifier, the label a blanked cell publishes.
    let blankLabels: [String]

    init(histogram: TupleHistogram, hierarchies: [Hierarchy], levels: [Int], suppressedTuples: [Bool], k: Int,
         priority: [Int], maxCells: Int?, delimiter: UInt8) {
        let width = histogram.width
        var blank: [UInt32] = []
        var blankLabels: [String] = []
        for (q, h) in hierarchies.enumerated() {
            let labels = h.labels[levels[q]]
            if let raw = h.rawValues.firstIndex(of: "") {
                let code = h.map[levels[q]][raw]
                blank.append(code)
                blankLabels.append(labels[Int(code)])
            } else {
                blank.append(UInt32(labels.count))
                blankLabels.append("")
            }
        }
        // The classes as the search left them.
        let (generalised, classOf) = histogram.generalised(by: hierarchies, levels: levels)
        plan = CellSuppressionPlan(histogram: generalised, k: k, blank: blank, priority: priority, maxBlankedPerRecord: maxCells)

        var rows: [Int: [[UInt8]]] = [:]
        for t in 0..<histogram.tupleCount where suppressedTuples[t] {
            var tuple = generalised.tuple(classOf[t])
            guard plan.apply(to: &tuple) else { continue }
            rows[t] = (0..<width).map { q in
                let code = Int(tuple[q])
                let labels = hierarchies[q].labels[levels[q]]
                return CSVWriter.encode(code < labels.count ? labels[code] : blankLabels[q], delimiter: delimiter)
            }
        }
        self.rows = rows
        self.blankLabels = blankLabels
    }
}
