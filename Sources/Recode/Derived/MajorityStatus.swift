/// Whether a person was a child or an adult at some moment, as CTDC's `majorityStatus`,
/// `majorityStatusAtExploit` and `majorityEntry` publish it.
///
/// ```swift
/// MajorityStatus(age: 17)   // .minor   → "Minor"
/// MajorityStatus(age: 18)   // .adult   → "Adult"
/// MajorityStatus(age: nil)  // .unknown → "Unknown"
/// ```
public enum MajorityStatus: String, Sendable, CaseIterable {
    case minor = "Minor"
    case adult = "Adult"
    case unknown = "Unknown"

    /// The age at which a person counts as an adult, as in the UN Convention on the Rights of the
    /// Child and the Palermo Protocol (article 3(d)).
    public static let ageOfMajority = 18

    /// `minor` below `ageOfMajority`, `adult` from it, `unknown` when the age is unknown (nil).
    public init(age: Int?, ageOfMajority: Int = MajorityStatus.ageOfMajority) {
        guard let age else { self = .unknown; return }
        self = age < ageOfMajority ? .minor : .adult
    }
}
