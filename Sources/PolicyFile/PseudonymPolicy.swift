/// How long a pseudonym links rows (`scope:` of a pseudonymised attribute).
///
/// A stable pseudonym links a person's rows across releases, and so tells a reader which rows of a
/// later release are newcomers: exactly what the differencing guard hides. A pseudonym is therefore
/// scoped to one release unless the policy asks for `stable`.
public enum PseudonymScope: String, Sendable, CaseIterable {
    /// The derived key also takes the release's date and the policy's hash: pseudonyms link rows
    /// within the release only.
    case release
    /// The same value gives the same pseudonym in every release under the same key.
    case stable
}

/// What a run does with records of a person it has already seen (`duplicatePersons:`).
public enum DuplicatePersons: String, Sendable, CaseIterable {
    /// The later record in input order is rejected as `duplicate person`.
    case reject
    /// The record with the most non-empty published fields is kept (ties to the earlier); the
    /// others are rejected as `duplicate person (kept a more complete record)`.
    case keepMostComplete
}

/// Where the pseudonym key is read from: the key itself is never written into a job, a policy,
/// a report or a message.
public enum PseudonymKeySource: Sendable, Equatable {
    /// A file holding the key as hexadecimal or base64 text, readable by its owner only.
    case file(String)
    /// An environment variable holding the key as hexadecimal or base64 text.
    case environment(String)

    /// How messages name the source: the path or variable name, never its content.
    public var description: String {
        switch self {
        case .file(let path): return "the key file \(path)"
        case .environment(let name): return "the environment variable \(name)"
        }
    }
}
