import Ingest

/// Which reader a draft uses; sniffed from the file when not given.
public enum DraftFormat: String, Sendable, CaseIterable {
    case csv, xml
}

/// How a CSV export is written, as far as its bytes tell.
public struct CSVShape: Sendable, Equatable {
    public var delimiter: UInt8
    public var encoding: TextEncoding
    /// Lines before the data; the column names are on line `nameRow` of them.
    public var headerRows: Int
    public var nameRow: Int
    /// What was uncertain, for the draft's comments (never quoting a value).
    public var notes: [String]

    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8, headerRows: Int = 1, nameRow: Int = 1, notes: [String] = []) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.headerRows = headerRows
        self.nameRow = nameRow
        self.notes = notes
    }
}

/// Where an XML export's records are, as a profile names them.
public struct XMLShape: Sendable, Equatable {
    /// The record element, prefixed as the profile writes it (`h:case`).
    public var record: String
    /// Prefix → namespace URI, for the record and every path.
    public var namespaces: [String: String]
    /// The input is a directory of one-record submission files.
    public var submissions: Bool
    public var notes: [String]

    public init(record: String, namespaces: [String: String] = [:], submissions: Bool = false, notes: [String] = []) {
        self.record = record
        self.namespaces = namespaces
        self.submissions = submissions
        self.notes = notes
    }
}

public enum ExportShape: Sendable, Equatable {
    case csv(CSVShape)
    case xml(XMLShape)
}

/// One source column (CSV) or path below the record (XML), summarised over every record in one
/// streaming pass. Memory is bounded: at most ``distinctLimit`` distinct values are kept.
public struct ColumnSummary: Sendable, Equatable {
    /// The name a profile gives it: the header's name, `#N` for a nameless CSV column, or the
    /// path below the record (`h:victim/h:age`, `@ref`).
    public var name: String
    /// 0-based position: the CSV column, or the order in which the XML path first appeared.
    public var position: Int
    /// Records read, and those in which the column holds a non-empty value.
    public var records: Int
    public var filled: Int
    /// Distinct trimmed non-empty values → the number of records holding them; at most
    /// ``distinctLimit`` of them.
    public var values: [String: Int]
    /// True when the column held more distinct values than ``distinctLimit``.
    public var isTruncated: Bool
    /// The longest value, in characters.
    public var longest: Int
    /// XML: records in which the path occurred more than once (a repeated element); CSV: 0.
    public var repeated: Int

    public static let distinctLimit = 500

    public init(name: String, position: Int, records: Int = 0, filled: Int = 0, values: [String: Int] = [:],
                isTruncated: Bool = false, longest: Int = 0, repeated: Int = 0) {
        self.name = name
        self.position = position
        self.records = records
        self.filled = filled
        self.values = values
        self.isTruncated = isTruncated
        self.longest = longest
        self.repeated = repeated
    }
}

/// What one read of an export found: its shape, its record count, and each column's summary.
public struct ExportSummary: Sendable {
    public var path: String
    public var shape: ExportShape
    public var records: Int
    public var columns: [ColumnSummary]

    public init(path: String, shape: ExportShape, records: Int, columns: [ColumnSummary]) {
        self.path = path
        self.shape = shape
        self.records = records
        self.columns = columns
    }
}

/// Why an export cannot be drafted from; names the file and never quotes its content.
public struct DraftError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True when the export could not be read (exit 3), rather than the request being wrong (exit 2).
    public var isData: Bool

    public init(_ message: String, isData: Bool = false) {
        self.message = message
        self.isData = isData
    }

    public var description: String { message }
}
