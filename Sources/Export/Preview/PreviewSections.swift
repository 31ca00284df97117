import Anonymize
import Foundation

/// The sections of `preview.html`, one function each, in the order the page shows them.
enum PreviewSections {
    typealias T = HTMLText
    typealias F = Figures

    static func records(_ r: Report) -> String {
        let n = r.records
        let share = { (x: Int) in n.in == 0 ? "" : F.percent(Double(x) / Double(n.in)) }
        let rows: [(String, Int, String)] = [
            ("Read", n.in, "muted"), ("Rejected (unreadable or unmappable)", n.rejected, "before"),
            ("Excluded by the policy's filters", n.excluded, "warn"), ("Suppressed (class smaller than k)", n.suppressed, "before"),
            ("Published", n.published, "after"),
        ]
        let bars = rows.map { SVGChart.Bar(label: String($0.0.split(separator: " ")[0]), value: Double($0.1), text: F.count($0.1), style: $0.2) }
        return "<section><h2>Records</h2>"
            + T.table(["", "records", "share of read"], rows.map { [$0.0, F.count($0.1), $0.0 == "Read" ? "" : share($0.1)] }, numeric: [1, 2])
            + SVGChart.horizontal(bars, maximum: Double(n.in), title: "Records by outcome")
            + "<p class=\"muted-note\">Every record read is published, suppressed, excluded or rejected: "
            + "\(F.count(n.published)) + \(F.count(n.suppressed)) + \(F.count(n.excluded)) + \(F.count(n.rejected)) = \(F.count(n.in)). "
            + "The suppression limit allowed \(F.count(n.suppressionAllowed)).</p></section>"
    }

    static func risk(_ r: Report) -> String {
        guard let risk = r.risk else { return "" }
        let b = risk.before, a = risk.after
        var bars: [SVGChart.Bar] = []
        for (name, before, after) in [("Highest risk", b.highestRisk, a.highestRisk), ("Average risk", b.averageRisk, a.averageRisk),
                                      ("Records at highest risk", b.recordsAtHighestRisk, a.recordsAtHighestRisk)] {
            bars.append(.init(label: name + ", before", value: before, text: F.percent(before), style: "before"))
            bars.append(.init(label: "after", value: after, text: F.percent(after), style: "after"))
        }
        let rows: [[String]] = [
            ["Highest risk (1 ÷ smallest class)", F.percent(b.highestRisk), F.percent(a.highestRisk)],
            ["Average risk (classes ÷ records)", F.percent(b.averageRisk), F.percent(a.averageRisk)],
            ["Records at the highest risk", F.percent(b.recordsAtHighestRisk), F.percent(a.recordsAtHighestRisk)],
            ["Sample uniques (alone in their class)", F.count(b.sampleUniques), F.count(a.sampleUniques)],
            ["Classes", F.count(b.classes), F.count(a.classes)],
            ["Smallest class", F.count(b.smallestClass), F.count(a.smallestClass)],
            ["Records", F.count(b.records), F.count(a.records)],
        ]
        return "<section><h2>Re-identification risk</h2>"
            + "<p class=\"muted-note\">Prosecutor model over the quasi-identifiers (\(T.escape(r.quasiIdentifiers.joined(separator: ", ")))): "
            + "an attacker who knows someone is in the data links them to one record of their class at random. "
            + "Before is the raw values after the policy's rules; after is the published file.</p>"
            + "<p class=\"legend\"><span style=\"background:var(--before)\"></span>before<span style=\"background:var(--after)\"></span>after</p>"
            + SVGChart.horizontal(bars, maximum: 1, title: "Risk before and after")
            + T.table(["", "before", "after"], rows, numeric: [1, 2]) + "</section>"
    }

    /// Bins that fall on k: sizes below k are what anonymisation removes.
    static func bins(k: Int) -> [(lower: Int, upper: Int?)] {
        var edges = [1, 2]
        for next in [k, 2 * k, 5 * k, 10 * k, 50 * k] where next > edges.last! { edges.append(next) }
        return edges.indices.map { i in (edges[i], i + 1 < edges.count ? edges[i + 1] - 1 : nil) }
    }

    static func binned(_ sizes: [ClassSizeCount], k: Int) -> [SVGChart.Column] {
        bins(k: k).map { bin in
            let classes = sizes.filter { $0.size >= bin.lower && $0.size <= (bin.upper ?? .max) }.reduce(0) { $0 + $1.classes }
            let label = bin.upper.map { $0 == bin.lower ? "\(bin.lower)" : "\(bin.lower)–\($0)" } ?? "≥\(bin.lower)"
            return SVGChart.Column(label: label, value: classes, style: bin.lower < k ? "before" : "after")
        }
    }

    static func classSizes(_ r: Report) -> String {
        guard let risk = r.risk else { return "" }
        let c = r.equivalenceClasses
        return "<section><h2>Equivalence classes</h2>"
            + "<p>\(F.count(c.count)) published classes; the smallest holds \(F.count(c.smallest)) records, the mean "
            + "\(F.decimal(c.mean, places: 1)). Bins below k = \(r.k) are drawn in red.</p>"
            + "<h3>Published class sizes</h3>"
            + SVGChart.columns(binned(risk.classSizesAfter, k: r.k), title: "Classes by size, published", axis: "records in the class → number of classes")
            + "<h3>Class sizes before anonymisation</h3>"
            + SVGChart.columns(binned(risk.classSizesBefore, k: r.k), title: "Classes by size, before", axis: "records in the class → number of classes")
            + "</section>"
    }

    static func transformation(_ r: Report, attributes: [PreviewPage.Attribute]) -> String {
        let utility = Dictionary(uniqueKeysWithValues: (r.risk?.attributes ?? []).map { ($0.name, $0) })
        let rows = attributes.map { a -> [String] in
            let u = utility[a.name]
            return [a.name, "\(a.chosen) of \(a.levels.count - 1)", mostCommon(u?.after ?? [:]),
                    F.decimal(r.attributeLoss[a.name] ?? 0), u.map { F.percent($0.shareChanged) } ?? "",
                    u.map { "\($0.distinctBefore) → \($0.distinctAfter)" } ?? ""]
        }
        var html = "<section><h2>Transformation</h2>"
            + "<p>Chosen by the optimal search over \(F.count(r.search.latticeSize)) transformations for the least "
            + "\(T.escape(r.metric)) (\(F.decimal(r.informationLoss))); discernibility \(F.count(Int(r.discernibility))).</p>"
            + T.table(["attribute", "level", "published as", "loss Lᵢ", "values changed", "distinct before → after"], rows, numeric: [1, 3, 4])
        for a in attributes {
            let names = a.levels.indices.map { $0 == 0 ? "raw values" : "level \($0)" }
            let notes = a.levels.indices.map { l -> String in
                let labels = a.levels[l]
                if labels.count == 1 { return labels[0].isEmpty ? "(empty)" : String(labels[0].prefix(18)) }
                return "\(labels.count) \(l == 0 && a.source == nil ? "seen" : "values")"
            }
            html += "<h3>\(T.escape(a.name))</h3><p class=\"muted-note\">\(a.source.map { "Hierarchy " + T.escape(($0 as NSString).lastPathComponent) } ?? "No hierarchy: published whole or as *").</p>"
            html += SVGChart.hierarchy(levels: names, notes: notes, chosen: a.chosen, title: "\(a.name): level \(a.chosen) chosen")
            html += "<div class=\"pair\">" + frequencyTable(utility[a.name]?.after ?? [:], caption: "Published values")
            html += frequencyTable(a.commonBefore, caption: "Before: values of at least k records")
                + "</div>"
            if a.rareValuesBefore > 0 {
                html += "<p class=\"muted-note\">Before, \(F.count(a.rareValuesBefore)) more value\(a.rareValuesBefore == 1 ? "" : "s") "
                    + "held fewer than k records each (\(F.count(a.rareRecordsBefore)) records); they are counted, not named.</p>"
            }
        }
        return html + "</section>"
    }

    /// The three most common published labels, then how many more.
    static func mostCommon(_ counts: [String: Int]) -> String {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { $0.key.isEmpty ? "(empty)" : $0.key }
        return sorted.prefix(3).joined(separator: ", ") + (sorted.count > 3 ? " and \(sorted.count - 3) more" : "")
    }

    static func frequencyTable(_ counts: [String: Int], caption: String, limit: Int = 12) -> String {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var rows = sorted.prefix(limit).map { [$0.key.isEmpty ? "(empty)" : $0.key, F.count($0.value)] }
        if sorted.count > limit {
            rows.append(["\(sorted.count - limit) more", F.count(sorted.dropFirst(limit).reduce(0) { $0 + $1.value })])
        }
        return "<div>" + T.table(["value", "records"], rows, numeric: [1], caption: caption) + "</div>"
    }

    static func valuesLost(_ r: Report) -> String {
        var html = "<section><h2>Values lost to the rules</h2>"
        if r.rules.isEmpty && r.cellSuppression == nil { return html + "<p>The policy has no record rules.</p></section>" }
        if !r.rules.isEmpty {
            html += T.table(["rule", "kind", "records", "cells", "values folded"], r.rules.map { rule in
                [rule.name + (rule.touchedNothing ? " (touched nothing: check its value)" : ""), rule.kind, F.count(rule.records),
                 rule.cells.map(F.count) ?? "", rule.valuesFolded.map(F.count) ?? ""]
            }, numeric: [2, 3, 4])
        }
        if let cells = r.cellSuppression {
            html += "<h3>Cell suppression</h3><p>\(F.count(cells.recordsBlanked)) records of classes smaller than k were published "
                + "with cells blanked instead of being suppressed (at most \(cells.maxCells) per record, in the order "
                + "\(T.escape(cells.priority.joined(separator: ", ")))); \(F.count(cells.recordsSuppressed)) could not be.</p>"
                + T.table(["attribute", "cells blanked"], cells.priority.map { [$0, F.count(cells.cellsBlanked[$0] ?? 0)] }, numeric: [1])
        }
        return html + "</section>"
    }

    static func setAside(_ r: Report) -> String {
        var html = "<section><h2>Suppressed, excluded and rejected</h2><p class=\"muted-note\">By reason, counted: no record's values are shown.</p>"
        let suppressed = r.risk?.suppressedByClassSize ?? []
        html += suppressed.isEmpty ? "<h3>Suppressed</h3><p>None.</p>"
            : "<h3>Suppressed</h3>" + T.table(["class size under the chosen transformation", "classes", "records"],
                                             suppressed.map { ["\($0.size)", F.count($0.classes), F.count($0.records)] }, numeric: [0, 1, 2])
        html += "<h3>Excluded</h3>" + (r.exclusions.isEmpty ? "<p>None.</p>"
            : T.table(["filter", "records"], r.exclusions.sorted { $0.key < $1.key }.map { [$0.key, F.count($0.value)] }, numeric: [1]))
        html += "<h3>Rejected</h3>" + (r.rejections.isEmpty ? "<p>None.</p>"
            : T.table(["reason", "records"], r.rejections.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { [$0.key, F.count($0.value)] }, numeric: [1]))
        if !r.partners.isEmpty {
            html += T.table(["partner", "read", "accepted", "rejected"], r.partners.sorted { $0.key < $1.key }.map {
                [$0.key, F.count($0.value.read), F.count($0.value.accepted), F.count($0.value.rejected.values.reduce(0, +))]
            }, numeric: [1, 2, 3], caption: "By partner")
        }
        return html + "</section>"
    }

    static func aggregates(_ r: Report) -> String {
        guard let files = r.aggregates, !files.isEmpty else { return "" }
        return "<section><h2>Aggregates</h2>"
            + T.table(["file", "rows", "cells suppressed"], files.map { [$0.file, F.count($0.rows), $0.suppressedCells.map(F.count) ?? ""] },
                      numeric: [1, 2]) + "</section>"
    }

    static func policy(_ r: Report, file: String, text: String) -> String {
        var hashes = [["policy: " + (file as NSString).lastPathComponent, r.policySHA256]]
        hashes += r.hierarchySHA256.sorted { $0.key < $1.key }.map { ["hierarchy: " + $0.key, $0.value] }
        hashes += (r.crosswalkSHA256 ?? [:]).sorted { $0.key < $1.key }.map { ["crosswalk: " + $0.key, $0.value] }
        return "<section><h2>Policy</h2>" + T.table(["file", "SHA-256"], hashes)
            + "<pre>\(T.escape(text))</pre></section>"
    }
}
