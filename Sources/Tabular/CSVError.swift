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
            return "field \(field) is not valid UTF-8. "
                + "Re-save the file as UTF-8 (it may be Windows-1252 or Latin-1)."
        case .nulByte(let field):
            return "field \(field) contains a NUL byte, so this is not a text CSV file. "
                + "Check that the right file was exported."
        case .recordTooLong(let limit):
            return "a record starting here is longer than \(limit >> 20) MiB, "
                + "which usually means a quote that is never closed."
        }
    }
}
