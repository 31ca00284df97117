/// How a release writes a country: ISO 3166-1 alpha-2 as canonical records hold it (CTDC until
/// 2023), or alpha-3 through a table the caller supplies (CTDC from 2024).
///
/// A multi-select country value (`prs_Citizenship` of a dual national, `RU;UA`) is converted code
/// by code and stays `;`-joined, so that the policy's `multiple:` label still applies to it when
/// the column is a quasi-identifier. An alpha-2 code the alpha-3 table lacks rejects the record.
///
/// ```swift
/// CountryForm.alpha2.publish("UA")                          // .success("UA")
/// CountryForm.alpha3(["UA": "UKR"]).publish("UA")          // .success("UKR")
/// CountryForm.alpha3(["UA": "UKR"]).publish("XK")          // .failure: not in the alpha-3 table
/// ```
/// Anonymize knows no country list; build the table from Ingest's `ISO3166.countries`.
public enum CountryForm: Sendable, Equatable {
    /// Alpha-2 codes published as they are.
    case alpha2
    /// Alpha-2 code → alpha-3 code.
    case alpha3([String: String])

    /// The published form of `value` (one code, or codes joined by `;`); "" when missing. A
    /// failure carries the code the table lacks.
    public func publish(_ value: String) -> Result<String, CountryFormMiss> {
        switch self {
        case .alpha2:
            return .success(value)
        case .alpha3(let table):
            if value.isEmpty { return .success("") }
            if let code = table[value] { return .success(code) }
            guard value.utf8.contains(UInt8(ascii: ";")) else { return .failure(CountryFormMiss(code: value)) }
            var out = ""
            for part in value.split(separator: ";") {
                guard let code = table[String(part)] else { return .failure(CountryFormMiss(code: String(part))) }
                if !out.isEmpty { out.append(";") }
                out.append(code)
            }
            return .success(out)
        }
    }
}

/// An alpha-2 code that ``CountryForm/alpha3(_:)``'s table does not list.
public struct CountryFormMiss: Error, Sendable, Equatable {
    public let code: String
    public init(code: String) { self.code = code }
}
