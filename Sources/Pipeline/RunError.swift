/// Why a run stopped, sorted by the exit code a scheduler sees.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// Exit 2: the policy, a hierarchy, the arguments, or input that the policy does not describe.
    case configuration(String)
    /// Exit 3: input that cannot be read.
    case inputData(String)
    /// Exit 4: k-anonymity cannot be met within the suppression limit.
    case privacy(String)
    /// Exit 1: a failure of htdx itself or of the machine (a full disk, a failed verification).
    case internalError(String)

    public var exitCode: Int32 {
        switch self {
        case .internalError: return 1
        case .configuration: return 2
        case .inputData: return 3
        case .privacy: return 4
        }
    }

    public var description: String {
        switch self {
        case .configuration(let m), .inputData(let m), .privacy(let m), .internalError(let m): return m
        }
    }
}
