import Foundation

/// The numbers a preview prints, in its summary and its page alike, formatted one way everywhere.
enum Figures {
    /// 12,345: thousands grouped, as the summary table reads.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A share as a percentage with one decimal: 0.0734 → 7.3%.
    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    static func decimal(_ x: Double, places: Int = 4) -> String {
        String(format: "%.\(places)f", x)
    }
}
