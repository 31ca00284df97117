/// Sniffs an export's shape and summarises its columns in one streaming read.
public enum ExportSummarizer {
    /// - Parameters:
    ///   - format: csv or xml; sniffed from the first bytes when nil.
    ///   - record: the XML record element (prefixed or not); sniffed when nil.
    public static func summarize(path: String, format: DraftFormat? = nil, record: String? = nil) throws(DraftError) -> ExportSummary {
        throw DraftError("not yet built")
    }
}
