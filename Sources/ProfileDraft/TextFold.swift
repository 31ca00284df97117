/// How headers and values are compared when guessing: lower-cased, accents removed, and split
/// into words at punctuation, spaces and camelCase humps, so that `Date de naissance`,
/// `date_de_naissance`, `DATE-DE-NAISSANCE` and `dateDeNaissance` are one thing.
///
/// Written without Foundation, like the rest of the readers: the accent table covers the Latin
/// letters that French, Spanish and Portuguese use.
enum TextFold {
    /// Words of `text`: lower-case ASCII-folded runs of letters and digits.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for c in text {
            if c.isLetter || c.isNumber {
                // A hump (`firstName`) starts a word; an all-caps run (`ID`) does not split.
                if c.isUppercase && previousWasLower && !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current += plain(c)
                previousWasLower = c.isLowercase || c.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The words joined by single spaces: the key of a value in the code vocabularies.
    static func key(_ text: String) -> String { words(text).joined(separator: " ") }

    /// The words run together: `prs_First_Name` and `prs_FirstName` both give `prsfirstname`.
    static func compact(_ text: String) -> String { words(text).joined() }

    /// One character lower-cased, without its accent.
    static func plain(_ c: Character) -> String {
        let lower = c.lowercased()
        guard lower.unicodeScalars.count == 1, let s = lower.unicodeScalars.first, !s.isASCII else { return lower }
        return accents[s] ?? lower
    }

    private static let accents: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåā", "a"), ("çćč", "c"), ("èéêëēę", "e"), ("ìíîïī", "i"), ("ñń", "n"),
            ("òóôõöøō", "o"), ("ùúûüū", "u"), ("ýÿ", "y"), ("ß", "ss"), ("œ", "oe"), ("æ", "ae"),
            ("ºª", ""),
        ]
        for (letters, base) in groups {
            for s in letters.unicodeScalars { table[s] = base }
        }
        return table
    }()

    /// Levenshtein distance between two short strings, by characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// 1 for equal strings, falling to 0 as the edit distance reaches the longer length.
    static func similarity(_ a: String, _ b: String) -> Double {
        let longest = max(a.count, b.count)
        guard longest > 0 else { return 1 }
        return 1 - Double(distance(a, b)) / Double(longest)
    }
}
