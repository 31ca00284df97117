/// How closely a header names a canonical field: the best of its phrases, by shared words
/// (generic words such as "date" or "country" counting half) or, for misspellings of a whole
/// name, by edit distance.
struct NameMatch: Sendable, Equatable {
    var score: Double
    /// The phrase that matched and its language, for the draft's comment.
    var language: String
    var phrase: String

    /// What the draft's comment says: `name "Nationalité" (fr: nationality)`, in English words
    /// for the other languages.
    func reason(header: String, field: String) -> String {
        var gloss = phrase
        if language != "en" && language != "HTCDS" && language != "htdx" {
            gloss = FieldVocabulary.phrases[field]?.first { $0.language == "en" }?.text ?? field
        }
        return "name \"\(header)\" (\(language): \(gloss))"
    }

    static let genericWords: Set<String> = [
        "date", "fecha", "data", "pays", "country", "pais", "type", "types", "tipo", "tipos", "status", "statut", "estado",
        "number", "numero", "name", "nom", "nombre", "nome", "prs", "vic", "cas", "con", "ext", "hte", "org", "per",
    ]

    static func best(header: String, field: String) -> NameMatch? {
        guard let phrases = FieldVocabulary.phrases[field] else { return nil }
        let words = FieldVocabulary.significant(TextFold.words(header))
        let compact = TextFold.compact(header)
        guard !compact.isEmpty else { return nil }
        var best: NameMatch?
        for p in phrases {
            let s = score(words: words, compact: compact, phrase: p)
            if s > (best?.score ?? 0) { best = NameMatch(score: s, language: p.language, phrase: p.text) }
        }
        return best
    }

    static func score(words: [String], compact: String, phrase: FieldVocabulary.Phrase) -> Double {
        if compact == phrase.compact { return 1 }
        func weight(_ w: String) -> Double { genericWords.contains(w) ? 0.5 : 1 }
        var matched = 0.0
        var unused = phrase.words
        for w in words {
            if let i = unused.firstIndex(where: { same(w, $0) }) {
                matched += weight(w)
                unused.remove(at: i)
            }
        }
        let total = words.map(weight).reduce(0, +) + phrase.words.map(weight).reduce(0, +)
        let dice = total == 0 ? 0 : 2 * matched / total
        // A misspelt whole name (`vic_TraffickinStatus`) is near in edit distance, not in words.
        let edit = compact.count >= 6 ? TextFold.similarity(compact, phrase.compact) : 0
        // Below an exact match, so that of two phrases with the same words the one written as the
        // header is written in wins (`date d'identification` is French, not English reordered).
        return min(0.99, max(dice, edit >= 0.85 ? edit : 0))
    }

    /// Words equal, or a plural, or one letter apart in a long word.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a + "s" == b || b + "s" == a { return true }
        return min(a.count, b.count) >= 6 && TextFold.distance(a, b) <= 1
    }
}
