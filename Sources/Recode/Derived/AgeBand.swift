/// Bands of whole years, as CTDC publishes ages in `ageBroad`.
///
/// A band runs from one lower bound up to the year before the next; the last band is open
/// (`48+`). The labels are CTDC's: the two bounds joined by `--`. The bands are fixed when the value
/// is made and their labels built once, so banding a record allocates nothing.
///
/// ```swift
/// AgeBand.ctdc.label(forAge: 17)   // "9--17"
/// AgeBand.ctdc.label(forAge: 48)   // "48+"
/// AgeBand.ctdc.label(forAge: nil)  // ""  (age unknown)
/// let decades = try AgeBand(lowerBounds: [0, 10, 20, 30])   // 0--9, 10--19, 20--29, 30+
/// ```
public struct AgeBand: Sendable, Equatable {
    /// The first age of each band, strictly increasing, starting at 0.
    public let lowerBounds: [Int]
    /// The published label of each band, in the same order.
    public let labels: [String]

    /// CTDC's `ageBroad`: `0--8, 9--17, 18--20, 21--23, 24--26, 27--29, 30--38, 39--47, 48+`.
    public static let ctdc: AgeBand = try! AgeBand(lowerBounds: [0, 9, 18, 21, 24, 27, 30, 39, 48])

    /// Bands starting at each of `lowerBounds`; `separator` joins a band's first and last year.
    public init(lowerBounds: [Int], separator: String = "--") throws(DerivedColumnError) {
        guard lowerBounds.first == 0 else {
            throw DerivedColumnError("age bands: the first lower bound must be 0, so that every age has a band; got \(lowerBounds)")
        }
        for i in lowerBounds.indices.dropFirst() where lowerBounds[i] <= lowerBounds[i - 1] {
            throw DerivedColumnError("age bands: lower bounds must increase strictly; \(lowerBounds[i]) follows \(lowerBounds[i - 1])")
        }
        self.lowerBounds = lowerBounds
        labels = lowerBounds.indices.map { i in
            i + 1 < lowerBounds.count ? "\(lowerBounds[i])\(separator)\(lowerBounds[i + 1] - 1)" : "\(lowerBounds[i])+"
        }
    }

    /// The label of the band holding `age`, or "" when the age is unknown (nil) or negative.
    public func label(forAge age: Int?) -> String {
        guard let age, age >= 0 else { return "" }
        // Nine bands: a linear scan from the top beats a binary search.
        var i = lowerBounds.count - 1
        while lowerBounds[i] > age { i -= 1 }
        return labels[i]
    }
}
