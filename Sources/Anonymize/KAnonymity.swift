/// k-anonymity (Sweeney 2002): every published record shares its quasi-identifier values with at
/// least k − 1 others. Records in smaller classes may be suppressed, up to ⌊limit × N⌋ of them.
public struct KAnonymity: Sendable, Equatable {
    public let k: Int
    /// The share of records that may be suppressed, in [0, 1].
    public let suppressionLimit: Double

    public init(k: Int, suppressionLimit: Double) {
        precondition(k >= 1 && (0...1).contains(suppressionLimit))
        self.k = k
        self.suppressionLimit = suppressionLimit
    }

    /// ⌊limit × N⌋, robust to the binary representation of limits like 0.29.
    public func maxSuppressed(records: Int) -> Int {
        let exact = suppressionLimit * Double(records)
        return Int((exact + 1e-9 * max(1, exact)).rounded(.down))
    }
}

public enum AnonymizationError: Error, Sendable {
    case infeasible(k: Int, records: Int, maxSuppressed: Int, closest: NodeEvaluation)
    case latticeTooLarge(nodes: Int, limit: Int)
}

extension AnonymizationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .infeasible(let k, let records, let maxSuppressed, let closest):
            if records < k {
                return "k = \(k) cannot be met: only \(records) record\(records == 1 ? "" : "s") entered anonymisation, "
                    + "so even the most general transformation leaves one class of \(records). "
                    + "Lower k or publish a larger release."
            }
            return "k = \(k) cannot be met within the suppression limit (\(maxSuppressed) of \(records) records): "
                + "the closest transformation \(closest.levels) suppresses \(closest.suppressed)."
        case .latticeTooLarge(let nodes, let limit):
            return "the generalisation lattice has \(nodes) transformations, more than the \(limit) the search handles; "
                + "use fewer quasi-identifiers or fewer hierarchy levels"
        }
    }
}
