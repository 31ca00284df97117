public enum AnonymizationError: Error, Sendable {
    /// No transformation meets the models within the suppression limit. `minimumClassSize` is the
    /// smallest class the models allow, so fewer records than that can never be published.
    case infeasible(models: String, minimumClassSize: Int, records: Int, maxSuppressed: Int, closest: NodeEvaluation)
    case latticeTooLarge(nodes: Int, limit: Int)
}

extension AnonymizationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .infeasible(let models, let minimum, let records, let maxSuppressed, let closest):
            if records < minimum {
                return "\(models) cannot be met: only \(records) record\(records == 1 ? "" : "s") entered anonymisation, "
                    + "so even the most general transformation leaves one class of \(records). "
                    + "Lower the requirement or publish a larger release."
            }
            return "\(models) cannot be met within the suppression limit (\(maxSuppressed) of \(records) records): "
                + "the closest transformation \(closest.levels) suppresses \(closest.suppressed)."
        case .latticeTooLarge(let nodes, let limit):
            return "the generalisation lattice has \(nodes) transformations, more than the \(limit) the search handles; "
                + "use fewer quasi-identifiers, fewer hierarchy levels, or cap them with maxLevel"
        }
    }
}
