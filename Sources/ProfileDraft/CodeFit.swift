/// How well a column's values read as one field's codes, and the value choices a profile's map
/// needs: the separators of a multi-select, each distinct piece's code, the missing words.
struct CodeFit: Sendable {
    /// Share of the records whose every piece has a code.
    var coverage: Double
    var split: [String]
    /// Each distinct piece and its code (nil: none found), most records first; empty when every
    /// piece is already a code the reader accepts.
    var values: [FieldProposal.ValueChoice]
    /// Pieces read only as near spellings of a vocabulary word.
    var near: Int

    /// Separators tried for multi-selects, as exports write them.
    /// A lone space last: ODK select_multiple answers, when no other separator reads more.
    static let separators = [";", " + ", ",", "|", " / ", " "]

    /// - Parameter values: distinct values → records, missing words left out.
    static func fit(_ values: [String: Int], matcher: CodeMatcher, multiSelect: Bool, nearMatches: Bool = true) -> CodeFit {
        var split: [String] = []
        var best = evaluate(values, matcher: matcher, split: split, nearMatches: nearMatches)
        if multiSelect {
            // Add separators one by one while each reads more records than the values whole.
            for separator in separators where values.keys.contains(where: { $0.contains(separator) }) {
                let trial = evaluate(values, matcher: matcher, split: split + [separator], nearMatches: nearMatches)
                if trial.coverage > best.coverage + 1e-9 {
                    split.append(separator)
                    best = trial
                }
            }
        }
        return best
    }

    /// `text` cut at each separator, longest separator first (as the reader cuts), trimmed.
    static func pieces(_ text: String, split: [String]) -> [String] {
        var parts = [text]
        for separator in split.sorted(by: { $0.count > $1.count }) {
            parts = parts.flatMap { $0.split(separator: separator, omittingEmptySubsequences: true).map(String.init) }
        }
        return parts.map(trim).filter { !$0.isEmpty }
    }

    static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f.isWhitespace { sub = sub.dropFirst() }
        while let l = sub.last, l.isWhitespace { sub = sub.dropLast() }
        return String(sub)
    }

    private static func evaluate(_ values: [String: Int], matcher: CodeMatcher, split: [String], nearMatches: Bool) -> CodeFit {
        var total = 0, covered = 0, near = 0
        var pieceRecords: [String: Int] = [:]
        var pieceCode: [String: String?] = [:]
        var allCanonical = true
        var missingPieces = Set<String>()
        for (value, records) in values {
            total += records
            var whole = true
            for piece in pieces(value, split: split) {
                if pieceCode[piece] == nil {
                    if CodeVocabulary.isMissing(piece) { pieceCode[piece] = .some(nil); missingPieces.insert(piece); continue }
                    let found = matcher.code(for: piece, nearMatches: nearMatches)
                    pieceCode[piece] = .some(found?.code)
                    if found?.near == true { near += 1 }
                    if !matcher.isCanonical(piece) { allCanonical = false }
                }
                if missingPieces.contains(piece) { continue }
                pieceRecords[piece, default: 0] += records
                if pieceCode[piece] ?? nil == nil { whole = false }
            }
            if whole { covered += records }
        }
        let choices = pieceRecords
            .map { FieldProposal.ValueChoice(source: $0.key, target: pieceCode[$0.key] ?? nil, records: $0.value) }
            .sorted { ($0.records, $1.source) > ($1.records, $0.source) }
        return CodeFit(coverage: total == 0 ? 0 : Double(covered) / Double(total), split: split,
                       values: allCanonical ? [] : choices, near: near)
    }
}
