import Tabular

/// Values pass 1 found that a quasi-identifier's or sensitive attribute's hierarchy does not list.
///
/// The run still stops, but only after the whole input is read, so that one message names every
/// attribute and how much is missing: a data officer fixes them all in one round, not one per run.
/// The values themselves are kept only to count them (bounded), and never shown.
struct UncoveredValues {
    private struct Gap {
        var hierarchy: String
        var values = Set<String>()
        var overflow = false
        var records = 0
        var first: String
    }

    /// Distinct values kept per attribute; beyond it they are counted as "more than".
    static let distinctLimit = 10_000

    private var gaps: [String: Gap] = [:]
    private var order: [String] = []

    var isEmpty: Bool { gaps.isEmpty }

    mutating func note(attribute: String, hierarchy: String?, value: String, file: String, line: Int) {
        if gaps[attribute] == nil {
            gaps[attribute] = Gap(hierarchy: hierarchy ?? "its hierarchy", first: "\(file):\(line)")
            order.append(attribute)
        }
        gaps[attribute]!.records += 1
        if gaps[attribute]!.values.count < Self.distinctLimit {
            gaps[attribute]!.values.insert(value)
        } else if !gaps[attribute]!.values.contains(value) {
            gaps[attribute]!.overflow = true
        }
    }

    /// One message for every attribute with values missing from its hierarchy.
    var message: String {
        let parts = order.map { name -> String in
            let g = gaps[name]!
            let n = g.values.count
            let values = g.overflow ? "more than \(n) values" : n == 1 ? "1 value" : "\(n) values"
            return "column \(SafeText.name(name)): \(values) in \(g.records) record\(g.records == 1 ? "" : "s") (first at \(g.first)) "
                + "not in \(SafeText.path(g.hierarchy))"
        }
        return parts.joined(separator: "; ")
            + ". Add rows for them to the hierarchy, or correct the input (htdx check POLICY --sample FILE --show-values lists them); "
            + "nothing was published."
    }
}
