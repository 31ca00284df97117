import Tabular

/// Remembers each field's canonical form of the source values already seen, keyed by the source
/// bytes. Partner columns repeat a few codes, countries and dates endlessly, and normalising each
/// again (decoding, splitting, trimming, mapping, parsing) costs far more than one lookup; a hit
/// builds no `String` and runs no seeded hasher. Bounded per field, so that a column of distinct
/// values costs memory by the limit, not by the number of records.
struct NormalizationCache {
    static let limit = 50_000
    private var seen: [ValueDictionary] = []
    private var results: [[Result<String, Rejection>]] = []

    mutating func normalized(
        _ bytes: UnsafeBufferPointer<UInt8>, field: Int, _ compute: () -> Result<String, Rejection>
    ) -> Result<String, Rejection> {
        if field >= seen.count {
            seen += Array(repeating: ValueDictionary(values: []), count: field + 1 - seen.count)
            results += Array(repeating: [], count: field + 1 - results.count)
        }
        if let code = seen[field].code(of: bytes) { return results[field][Int(code)] }
        let result = compute()
        if seen[field].count < Self.limit {
            seen[field].insert(bytes)
            results[field].append(result)
        }
        return result
    }
}
