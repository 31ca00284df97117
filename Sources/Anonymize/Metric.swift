/// How a transformation's information loss is scored; smaller is better.
public enum Metric: String, Sendable, Codable, CaseIterable {
    /// ARX's Loss: per attribute, the mean over records of (c − 1) ÷ (d − 1), a suppressed record
    /// counting 1; attributes combined by ARX's geometric mean, Π(1 + Lᵢ)^(1/n) − 1.
    /// (Iyengar 2002, as implemented by ARX's `MetricMDNMLoss` with its default weights.)
    case loss
    /// Σ |E|² over published classes plus N for each suppressed record (Bayardo and Agrawal 2005).
    case discernibility

    /// Combines per-attribute losses the way ARX does.
    public static func combinedLoss(_ attributeLoss: [Double]) -> Double {
        guard !attributeLoss.isEmpty else { return 0 }
        let n = Double(attributeLoss.count)
        return attributeLoss.reduce(1.0) { $0 * power(1 + $1, 1 / n) } - 1
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func power(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
import Darwin
@inline(__always) func power(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
