/// A problem that stops the reading of a CSV file. Its description names the file, the line and the fix.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case io(String)
        case unterminatedQuote(field: Int)
        case loneCarriageReturn
        case invalidUTF8(field: Int)
        case nulByte(field: Int)
        case recordTooLong(limit: Int)
    }

    public var file: String
    /// The 1-based line of the problem; 0 when the file could not be opened or read.
    public var line: Int
    public var problem: Problem
    /// For invalid UTF-8: the single-byte encoding the record's bytes look like (`windows-1252` when
    /// they hold a byte 0x80–0x9F, which Latin-1 leaves to control characters; else `latin-1`).
    public var likelyEncoding: String?
    /// What the file was read as, which decides the fix an invalid-UTF-8 message names.
    public var source: Source = .file

    /// What a CSV file is read as.
    public enum Source: Sendable, Equatable {
        /// Any CSV file htdx reads (hierarchies, release files): re-saving it as UTF-8 is the fix.
        case file
        /// A policy's input, read as UTF-8 only: a partner profile can read other encodings.
        case policyInput
        /// A partner's export read through the named profile: its `csv.encoding` is the fix.
        case profile(String)
    }

    public init(file: String, line: Int, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        "\(line > 0 ? "\(file):\(line)" : file): \(message)"
    }

    /// The problem and its fix, without the file and line.
    public var message: String {
        switch problem {
        case .io(let message):
            return "cannot read the file: \(message)"
        case .unterminatedQuote(let field):
            return "field \(field) opens a quote that is never closed. "
                + "Close the quote, or double any quote inside a quoted field (\"\")."
        case .loneCarriageReturn:
            return "a carriage return (CR) without a line feed ends the line. "
                + "Lines must end in LF or CRLF; re-save the file with Unix or Windows line endings."
        case .invalidUTF8(let field):
            let encoding = likelyEncoding ?? "windows-1252"
            switch source {
            case .file:
                return "field \(field) is not valid UTF-8; its bytes look like \(encoding). Re-save the file as UTF-8."
            case .policyInput:
                return "field \(field) is not valid UTF-8, the only encoding a policy reads its input in; its bytes look like "
                    + "\(encoding). Read the file through a partner profile that sets `csv: {encoding: \(encoding)}` "
                    + "(see the README's \"Partner profiles\"), or re-save it as UTF-8."
            case .profile(let name):
                return "field \(field) is not valid UTF-8, the encoding profile \(name) reads the file in; its bytes look like "
                    + "\(encoding): set `csv: {encoding: \(encoding)}` in the profile."
            }
        case .nulByte(let field):
            return "field \(field) contains a NUL byte, so this is not a text CSV file. "
                + "Check that the right file was exported."
        case .recordTooLong(let limit):
            return "a record starting here is longer than \(limit >> 20) MiB, "
                + "which usually means a quote that is never closed."
        }
    }
}
