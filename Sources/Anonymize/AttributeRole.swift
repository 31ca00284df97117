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
}
