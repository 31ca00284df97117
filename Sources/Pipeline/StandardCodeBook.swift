import Ingest

/// The HTCDS v2 code lists, the translations from older versions, and ISO 3166.
public struct StandardCodeBook: CodeBook {
    public init() {}

    public func country(_ text: String) -> String? { nil }
    public func translate(_ code: String, field: String, from version: String) -> String? { nil }
    public func accepts(_ code: String, field: String) -> Bool? { nil }
}
