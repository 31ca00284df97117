/// What an attribute is to the privacy model, in ARX's vocabulary.
public enum AttributeRole: String, Sendable, CaseIterable, Codable {
    /// Names a person directly: dropped from every output.
    case identifying
    /// Could single a person out in combination with others: generalised until k-anonymous.
    case quasiIdentifying = "quasi-identifying"
    /// The information being protected: published as is, never used to link.
    case sensitive
    /// Neither identifying nor worth protecting: published as is.
    case insensitive
    /// Published as a keyed hash of its normalised value (HMAC-SHA-256), never as itself: it links
    /// rows without saying what it links them by. Never a quasi-identifier or sensitive attribute.
    case pseudonymised
}
