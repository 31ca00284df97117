import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// One input of a run: a plain CSV file read by its header, or a partner export read through its
/// profile. Both yield records of named canonical columns.
public struct RunInput: Sendable {
    public enum Kind: Sendable {
        case csv
        case profiled(PartnerProfile)
    }

    public var kind: Kind
    /// The input as the user named it, which messages and the rejects file give.
    public var path: String
    /// The profile file a profiled input was read through: messages point at its lines, and a
    /// run never writes over it.
    public var profilePath: String?
    /// Where the bytes are read from when they are not at `path`: a private copy of a pipe.
    var spooled: String?

    /// The file the readers open.
    var readPath: String { spooled ?? path }

    public static func csv(_ path: String) -> RunInput { RunInput(kind: .csv, path: path) }
    public static func profiled(_ profile: PartnerProfile, path: String) -> RunInput {
        RunInput(kind: .profiled(profile), path: path)
    }

    /// The name reports and rejects give this input's partner.
    public var partner: String {
        switch kind {
        case .csv: return "csv:" + (path.split(separator: "/").last.map(String.init) ?? path)
        case .profiled(let p): return p.name
        }
    }

    var isProfiled: Bool { if case .profiled = kind { true } else { false } }
    var isXMLProfiled: Bool {
        guard case .profiled(let p) = kind, case .xml = p.format else { return false }
        return true
    }

    /// The source field holding the partner's reference, by which repeated records are found;
    /// nil when there is none. A plain CSV names no reference, so its records are not checked.
    var referenceField: String? {
        if case .profiled(let profile) = kind { return profile.reference }
        return nil
    }

    /// A profiled input from `PROFILE=PATH` as the command line gives it. PROFILE is a profile
    /// file, or the name of one in `partners/` beside the policy (`casemgmt` → `partners/casemgmt.yaml`).
    public static func parse(_ argument: String, policyPath: String) throws(RunError) -> RunInput {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
              argument.index(after: equals) != argument.endIndex else {
            throw .configuration("--input \(argument): give PROFILE=PATH, such as casemgmt=exports/cases.csv")
        }
        return try profiled(String(argument[..<equals]), path: String(argument[argument.index(after: equals)...]),
                            policyPath: policyPath, what: "--input \(argument)")
    }

    /// A partner export read through a profile: a profile file, or the name of one in `partners/`
    /// beside the policy. `what` names the source of the request in messages.
    public static func profiled(_ name: String, path: String, policyPath: String, what: String) throws(RunError) -> RunInput {
        let candidates = name.hasSuffix(".yaml") || name.contains("/")
            ? [name] : [PathText.join(PathText.parent(policyPath), "partners/\(name).yaml")]
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw .configuration("\(what): no profile \(candidates.joined(separator: " or ")); "
                + "give a profile file, or the name of one in partners/ beside the policy")
        }
        do {
            let document = try ProfileDocument.load(path: file)
            var input = RunInput.profiled(document.profile, path: path)
            input.profilePath = file
            return input
        } catch {
            throw .configuration(error.description)
        }
    }
}

/// The records of one input, one at a time, as values of named columns.
protocol RecordStream: ~Copyable {
    /// The column names, fixed once the stream is open.
    var columns: [String] { get }
    mutating func next() throws(RunError) -> Bool
    var line: Int { get }
    /// The file the current record came from (a submission, inside a directory input).
    var file: String { get }
    /// The partner's reference of the current record, or "".
    var reference: String { get }
    var rejection: Rejection? { get }
    /// Calls `body` with the bytes of column `column` of the current record.
    func withValue<R, E: Error>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R
    /// Column `column` of the current record as a string; a stream that already holds strings
    /// hands its own over rather than decoding its bytes again.
    func string(_ column: Int) -> String
}

extension RecordStream where Self: ~Copyable {
    func string(_ column: Int) -> String {
        withValue(column) { String(decoding: $0, as: UTF8.self) }
    }
}

/// Something that reads every record of an input; the passes are.
protocol RecordConsumer {
    mutating func consume<S: RecordStream & ~Copyable>(_ stream: inout S, input: Int) throws(RunError)
}

extension RunInput {
    /// Opens this input and feeds its records to `consumer`, with the policy's derived columns
    /// appended when it declares any.
    func feed<C: RecordConsumer>(
        into consumer: inout C, index: Int, delimiter: UInt8, codeBook: any CodeBook, derived: DerivedColumns? = nil
    ) throws(RunError) {
        do {
            switch kind {
            case .csv:
                try Self.feed(try PlainCSVStream(path: readPath, name: path, delimiter: delimiter), into: &consumer, index: index, derived: derived)
            case .profiled(let profile):
                switch profile.format {
                case .csv:
                    try Self.feed(try ProfiledStream<ProfiledCSVReader>(profile: profile, path: readPath, name: path, codeBook: codeBook),
                                  into: &consumer, index: index, derived: derived)
                case .xml:
                    try Self.feed(try ProfiledStream<ProfiledXMLReader>(profile: profile, path: readPath, name: path, codeBook: codeBook),
                                  into: &consumer, index: index, derived: derived)
                }
            }
        } catch {
            // The readers name the file they opened; the user named another.
            guard let spooled else { throw error }
            throw error.naming(spooled, as: path)
        }
    }

    private static func feed<S: RecordStream & ~Copyable, C: RecordConsumer>(
        _ stream: consuming S, into consumer: inout C, index: Int, derived: DerivedColumns?
    ) throws(RunError) {
        if let derived {
            var wrapped = try DerivedStream(stream, derived: derived)
            try consumer.consume(&wrapped, input: index)
        } else {
            var plain = stream
            try consumer.consume(&plain, input: index)
        }
    }
}

/// A CSV file whose header names the columns: the first slice's input, fields passed through as bytes.
struct PlainCSVStream: ~Copyable, RecordStream {
    private var reader: CSVReader
    let columns: [String]
    private(set) var rejection: Rejection?
    /// The input as the user named it.
    let file: String

    init(path: String, name: String, delimiter: UInt8) throws(RunError) {
        file = name
        var reader = try Self.open(path, delimiter: delimiter)
        let hasHeader: Bool
        do { hasHeader = try reader.next() } catch { throw .inputData(error.description) }
        guard hasHeader else {
            throw .inputData("\(name): the file is empty; a header line naming the columns was expected")
        }
        let header = reader.strings()
        var seen: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            // Positions, not the name: a file without a header has data on its first line.
            if let first = seen[name] {
                throw .inputData("\(file):1: columns \(first + 1) and \(i + 1) of the header have the same name; column names must be unique")
            }
            seen[name] = i
        }
        columns = header
        self.reader = reader
    }

    private static func open(_ path: String, delimiter: UInt8) throws(RunError) -> CSVReader {
        do {
            var reader = try CSVReader(path: path, delimiter: delimiter)
            reader.source = .policyInput
            return reader
        } catch { throw .inputData(error.description) }
    }

    mutating func next() throws(RunError) -> Bool {
        let more: Bool
        do { more = try reader.next() } catch { throw .inputData(error.description) }
        guard more else { return false }
        if let malformed = reader.rejectReason {
            rejection = .malformed(malformed)
        } else if reader.fieldCount != columns.count {
            rejection = .wrongFieldCount(reader.fieldCount, expected: columns.count)
        } else {
            rejection = nil
        }
        return true
    }

    var line: Int { reader.line }
    var reference: String { "" }

    func withValue<R, E: Error>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(reader.field(column))
    }
}

/// What the run needs of a profiled reader, CSV or XML; their errors become the run's.
protocol ProfiledReading: ~Copyable {
    static func open(profile: PartnerProfile, path: String, codeBook: any CodeBook) throws(ProfileError) -> Self
    mutating func advance() throws(RunError) -> Bool
    var values: [String] { get }
    var rejection: Rejection? { get }
    var reference: String { get }
    var line: Int { get }
    var file: String { get }
}

extension ProfiledCSVReader: ProfiledReading {
    static func open(profile: PartnerProfile, path: String, codeBook: any CodeBook) throws(ProfileError) -> Self {
        try Self(profile: profile, path: path, codeBook: codeBook)
    }

    mutating func advance() throws(RunError) -> Bool {
        do { return try next() } catch { throw .inputData(error.description) }
    }

    var file: String { path }
}

extension ProfiledXMLReader: ProfiledReading {
    static func open(profile: PartnerProfile, path: String, codeBook: any CodeBook) throws(ProfileError) -> Self {
        try Self(profile: profile, path: path, codeBook: codeBook)
    }

    mutating func advance() throws(RunError) -> Bool {
        do { return try next() } catch {
            throw error.isData ? .inputData(error.message) : .configuration(error.message)
        }
    }
}

/// A partner export read through its profile: a CSV file, an XML file, or a directory of submissions.
struct ProfiledStream<Reader: ProfiledReading & ~Copyable>: ~Copyable, RecordStream {
    private var reader: Reader
    let columns: [String]
    /// The path opened, and the input as the user named it, when they differ.
    private let opened: String
    private let name: String

    init(profile: PartnerProfile, path: String, name: String, codeBook: any CodeBook) throws(RunError) {
        reader = try Self.open(profile: profile, path: path, codeBook: codeBook)
        columns = profile.canonicalFields
        opened = path
        self.name = name
    }

    private static func open(profile: PartnerProfile, path: String, codeBook: any CodeBook) throws(RunError) -> Reader {
        do {
            return try Reader.open(profile: profile, path: path, codeBook: codeBook)
        } catch {
            throw error.isData ? .inputData(error.message) : .configuration(error.message)
        }
    }

    mutating func next() throws(RunError) -> Bool { try reader.advance() }

    var line: Int { reader.line }
    var file: String { reader.file == opened ? name : reader.file }
    var reference: String { reader.reference }
    var rejection: Rejection? { reader.rejection }

    func withValue<R, E: Error>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try withUTF8(of: reader.values[column], body)
    }

    func string(_ column: Int) -> String { reader.values[column] }
}

/// The UTF-8 bytes of `text` without copying a native string, for a closure with a typed error.
func withUTF8<R, E: Error>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    var value = text
    return try value.withUTF8 { bytes in Result { () throws(E) -> R in try body(bytes) } }.get()
}
