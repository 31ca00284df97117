/// How a transformation's information loss is scored; smaller is better.
public enum Metric: String, Sendable, Codable, CaseIterable {
    /// ARX's Loss: per attribute, the mean over records of (c − 1) ÷ (d − 1), a suppressed record
    /// counting 1; attributes combined by ARX's geometric mean, Π(1 + Lᵢ)^(1/n) − 1.
    /// (Iyengar 2002, as implemented by ARX's `MetricMDNMLoss` with its default weights.)
    case loss
    /// Σ |E|² over published classes plus N for each suppressed record (Bayardo and Agrawal 2005).
    case discernibility

    /// Combines per-attribute losses the way ARX does, a weighted geometric mean:
    /// Π(1 + Lᵢ)^wᵢ − 1 with the weights summing to 1 (equal weights when none are given).
    public static func combinedLoss(_ attributeLoss: [Double], weights: [Double]? = nil) -> Double {
        guard !attributeLoss.isEmpty else { return 0 }
        let w = normalisedWeights(weights, count: attributeLoss.count)
        var product = 1.0
        for (loss, weight) in zip(attributeLoss, w) { product *= power(1 + loss, weight) }
        return product - 1
    }

    /// Weights scaled to sum to 1; equal weights when none are given or all are zero.
    static func normalisedWeights(_ weights: [Double]?, count: Int) -> [Double] {
        guard count > 0 else { return [] }
        guard let weights, weights.count == count else { return [Double](repeating: 1 / Double(count), count: count) }
        let total = weights.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 1 / Double(count), count: count) }
        return weights.map { $0 / total }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func power(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
@inline(__always) func logarithm(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func exponential(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Darwin
@inline(__always) func power(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
@inline(__always) func logarithm(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func exponential(_ x: Double) -> Double { Darwin.exp(x) }
#endif
