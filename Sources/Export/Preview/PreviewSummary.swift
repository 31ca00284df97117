import Anonymize
import Foundation

/// The summary `htdx preview` prints: the same figures as `preview.html`, as aligned plain text
/// for a terminal or a log. Shares are printed with four decimals so that they can be checked.
public enum PreviewSummary {
    public static func text(_ r: Report, attributes: [PreviewPage.Attribute]) -> String {
        typealias T = Figures
        var out: [String] = []
        let n = r.records
        out.append("Records")
        func line(_ label: String, _ value: Int, _ note: String = "") {
            out.append("  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + pad(T.count(value), 9) + (note.isEmpty ? "" : "   " + note))
        }
        line("read", n.in)
        line("rejected", n.rejected, r.rejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · "))
        line("excluded", n.excluded, r.exclusions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · "))
        line("suppressed", n.suppressed, "limit \(T.count(n.suppressionAllowed))"
             + (r.risk?.suppressedByClassSize.isEmpty == false
                ? "; in classes of " + r.risk!.suppressedByClassSize.map { "\($0.size): \($0.records)" }.joined(separator: ", ") : ""))
        line("published", n.published, r.cellSuppression.map { "\($0.recordsBlanked) with cells blanked" } ?? "")

        out.append("")
        out.append("Transformation   k = \(r.k), \(r.metric) \(T.decimal(r.informationLoss)), discernibility \(T.count(Int(r.discernibility)))")
        let utility = Dictionary(uniqueKeysWithValues: (r.risk?.attributes ?? []).map { ($0.name, $0) })
        let width = max(12, (attributes.map(\.name.count).max() ?? 0) + 2)
        out.append("  " + "attribute".padding(toLength: width, withPad: " ", startingAt: 0)
                   + "level      loss   changed   distinct before → after")
        for a in attributes {
            let u = utility[a.name]
            out.append("  " + a.name.padding(toLength: width, withPad: " ", startingAt: 0)
                       + "\(a.chosen) of \(a.levels.count - 1)".padding(toLength: 7, withPad: " ", startingAt: 0)
                       + pad(T.decimal(r.attributeLoss[a.name] ?? 0), 8)
                       + pad(u.map { T.percent($0.shareChanged) } ?? "", 10)
                       + "   " + (u.map { "\($0.distinctBefore) → \($0.distinctAfter)" } ?? ""))
        }

        let c = r.equivalenceClasses
        out.append("")
        out.append("Classes          \(T.count(c.count)) published, smallest \(T.count(c.smallest)), mean \(T.decimal(c.mean, places: 1))")
        for m in r.privacyModels ?? [] {
            out.append("  \(m.model): worst class \(m.worst.map { T.decimal($0) } ?? "–")")
        }
        if let risk = r.risk {
            let bins = PreviewSections.binned(risk.classSizesAfter, k: r.k).filter { $0.value > 0 }
            out.append("  sizes " + bins.map { "\($0.label): \($0.value)" }.joined(separator: " · "))

            out.append("")
            out.append("Risk (prosecutor)          before      after")
            let b = risk.before, a = risk.after
            func row(_ label: String, _ x: String, _ y: String) {
                out.append("  " + label.padding(toLength: 22, withPad: " ", startingAt: 0) + pad(x, 10) + pad(y, 11))
            }
            row("highest", T.decimal(b.highestRisk), T.decimal(a.highestRisk))
            row("average", T.decimal(b.averageRisk), T.decimal(a.averageRisk))
            row("records at highest", T.decimal(b.recordsAtHighestRisk), T.decimal(a.recordsAtHighestRisk))
            row("sample uniques", T.count(b.sampleUniques), T.count(a.sampleUniques))
            row("classes", T.count(b.classes), T.count(a.classes))
        }

        let lost = r.rules.map { rule -> String in
            switch rule.kind {
            case "blank": return "\(rule.name): \(rule.cells ?? 0) cells blanked in \(rule.records) records"
            case "fold": return "\(rule.name): \(rule.valuesFolded ?? 0) values folded in \(rule.records) records"
            case "exclude": return ""
            default: return "\(rule.name): \(rule.cells ?? rule.records) cells recoded"
            }
        }.filter { !$0.isEmpty }
        let cells = r.cellSuppression.map { s in
            ["cell suppression: " + s.priority.map { "\($0) \(s.cellsBlanked[$0] ?? 0)" }.joined(separator: ", ") + " cells blanked"]
        } ?? []
        if !(lost + cells).isEmpty {
            out.append("")
            out.append("Values lost to the rules")
            out += (lost + cells).map { "  " + $0 }
        }
        if let files = r.aggregates, !files.isEmpty {
            out.append("")
            out.append("Aggregates")
            out += files.map { "  \($0.file): \($0.rows) rows" + ($0.suppressedCells.map { ", \($0) cells suppressed" } ?? "") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
