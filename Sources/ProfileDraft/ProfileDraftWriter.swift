/// Writes a proposal as a profile YAML that `htdx check` and a run read, with a comment on every
/// guess and `TODO` wherever a person must decide.
public enum ProfileDraftWriter {
    /// - Parameters:
    ///   - partner: the profile's `partner:` name.
    ///   - k: values held by fewer than k records are marked as such wherever they are written.
    public static func yaml(summary: ExportSummary, proposal: ProfileProposal, partner: String, k: Int) -> String {
        ""
    }
}
