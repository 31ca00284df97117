import Foundation

/// Sniffs an export's shape and summarises its columns in one streaming read.
public enum ExportSummarizer {
    /// - Parameters:
    ///   - format: csv or xml; sniffed from the first bytes when nil.
    ///   - record: the XML record element (prefixed or not); sniffed when nil.
    public static func summarize(path: String, format: DraftFormat? = nil, record: String? = nil) throws(DraftError) -> ExportSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DraftError("\(path): no such file or directory", isData: true)
        }
        let chosen: DraftFormat
        if let format { chosen = format } else { chosen = try sniff(path: path, isDirectory: isDirectory.boolValue) }
        switch chosen {
        case .csv:
            if isDirectory.boolValue { throw DraftError("\(path): is a directory; a CSV export is one file", isData: true) }
            return try CSVSummarizer.summarize(path: path)
        case .xml:
            return try XMLSummarizer.summarize(path: path, record: record, submissions: isDirectory.boolValue)
        }
    }

    /// XML when the first byte that is not white space (after an optional byte-order mark) is `<`,
    /// or when the path is a directory holding .xml files (one submission each).
    static func sniff(path: String, isDirectory: Bool) throws(DraftError) -> DraftFormat {
        if isDirectory {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            guard names.contains(where: { $0.hasSuffix(".xml") }) else {
                throw DraftError("\(path): is a directory without .xml files; give a CSV or XML export, or a directory of XML submissions", isData: true)
            }
            return .xml
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DraftError("\(path): cannot be opened", isData: true) }
        defer { try? handle.close() }
        var bytes = [UInt8](((try? handle.read(upToCount: 4096)) ?? nil) ?? Data())
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first == UInt8(ascii: "<") ? .xml : .csv
    }
}
