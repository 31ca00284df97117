/// A likelier delimiter for a header that reads as too few columns, so that a wrong delimiter is
/// reported as one rather than as unknown columns.
public enum DelimiterGuess {
    /// The separators exports use, in the order a tie is settled.
    public static let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), 9, UInt8(ascii: "|")]

    /// The candidate other than `delimiter` that every named column of `header` holds, with the
    /// number of columns the header splits into by it; nil unless that is more columns than now.
    public static func better(than delimiter: UInt8, header: [String]) -> (delimiter: UInt8, columns: Int)? {
        let named = header.filter { !$0.isEmpty }
        guard !named.isEmpty else { return nil }
        var best: (delimiter: UInt8, columns: Int)?
        for candidate in candidates where candidate != delimiter {
            let c = Character(Unicode.Scalar(candidate))
            guard named.allSatisfy({ $0.contains(c) }) else { continue }
            let columns = header.reduce(0) { $0 + $1.split(separator: c, omittingEmptySubsequences: false).count }
            if columns > header.count, columns > (best?.columns ?? 0) { best = (candidate, columns) }
        }
        return best
    }

    /// The delimiter as a profile writes it in double quotes: a tab as `\t`.
    public static func quoted(_ delimiter: UInt8) -> String {
        delimiter == 9 ? "\"\\t\"" : "\"\(Character(Unicode.Scalar(delimiter)))\""
    }
}
