/// ARX's Loss per quasi-identifier of what is actually published, after cell suppression: a
/// suppressed record costs 1 in every attribute, a blanked cell 1 in its own attribute only, and
/// any other cell the loss of its group at the chosen level. The search scores classes before
/// blanking, when every record of a small class counts as suppressed.
public enum PublishedLoss {
    public static func attributeLoss(histogram: TupleHistogram, hierarchies: [Hierarchy], levels: [Int],
                                     suppressed: [Bool], blanking: CellSuppressionPlan?) -> [Double] {
        let width = histogram.width
        var sum = [Double](repeating: 0, count: width)
        var generalised = [UInt32](repeating: 0, count: width)
        for t in 0..<histogram.tupleCount {
            let n = Double(histogram.counts[t])
            for q in 0..<width { generalised[q] = hierarchies[q].map[levels[q]][Int(histogram.codes[t * width + q])] }
            var published: [UInt32]? = generalised
            if suppressed[t] {
                published = nil
                if let blanking, case let outcome = blanking.outcome(of: generalised), outcome != .suppressed {
                    if case .blanked(let codes) = outcome { published = codes } else { published = generalised }
                }
            }
            for q in 0..<width {
                guard let published, published[q] == generalised[q] else {
                    sum[q] += n
                    continue
                }
                sum[q] += n * hierarchies[q].loss(level: levels[q], group: published[q])
            }
        }
        let records = Double(max(1, histogram.recordCount))
        return (0..<width).map { hierarchies[$0].rawCount > 1 ? sum[$0] / records : 0 }
    }
}
