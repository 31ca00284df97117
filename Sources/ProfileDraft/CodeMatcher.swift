import Recode

/// Reads a column's values as the codes of one canonical field: a picklist's codes, labels and
/// the partners' words for them; yes/no words for a boolean; country codes and names.
struct CodeMatcher: Sendable {
    enum Target: Sendable, Equatable {
        case picklist(String), boolean, country
    }

    let target: Target
    /// Folded word → code; keys that two codes share are left out.
    private let byKey: [String: String]
    private let byCompact: [String: String]
    /// The codes as the reader accepts them unmapped.
    let codes: Set<String>

    init?(field: String) {
        if field == "ext_CountryOfExploitation" {
            self.init(target: .country, words: [:], codes: [])
            return
        }
        guard let f = HTCDS.field(named: field) else { return nil }
        switch f.kind {
        case .country:
            self.init(target: .country, words: [:], codes: [])
        case .boolean:
            self.init(target: .boolean, words: CodeVocabulary.booleans, codes: ["TRUE", "FALSE"])
        case .picklist where !f.codes.isEmpty:
            var words: [String: [String]] = CodeVocabulary.words[field] ?? [:]
            for (code, label) in zip(f.codes, f.labels) { words[code, default: []] += [code, label] }
            self.init(target: .picklist(field), words: words, codes: Set(f.codes))
        default:
            return nil
        }
    }

    private init(target: Target, words: [String: [String]], codes: Set<String>) {
        self.target = target
        self.codes = codes
        var byKey: [String: String] = [:], byCompact: [String: String] = [:]
        var clashing = Set<String>()
        for (code, list) in words {
            for w in list {
                let key = TextFold.key(w), compact = TextFold.compact(w)
                if let other = byKey[key], other != code { clashing.insert(key) } else { byKey[key] = code }
                if let other = byCompact[compact], other != code { clashing.insert(compact) } else { byCompact[compact] = code }
            }
        }
        for c in clashing { byKey[c] = nil; byCompact[c] = nil }
        self.byKey = byKey
        self.byCompact = byCompact
    }

    /// The code `value` stands for, and whether it was a near match (a misspelling) rather than a
    /// word of the vocabulary.
    func code(for value: String, nearMatches: Bool = true) -> (code: String, near: Bool)? {
        if target == .country {
            return ISO3166.alpha2(forName: value).map { ($0, false) }
        }
        if codes.contains(value) { return (value, false) }
        let key = TextFold.key(value)
        if let code = byKey[key] ?? byCompact[key.filter { $0 != " " }] { return (code, false) }
        // A near spelling of a long word (`explotacion sexuall`), when only one code is that near.
        guard nearMatches, key.count >= 6 else { return nil }
        var best: (code: String, score: Double)?
        var tie = false
        for (k, code) in byKey where k.count >= 6 {
            let s = TextFold.similarity(key, k)
            guard s >= 0.85 else { continue }
            if let b = best, abs(b.score - s) < 1e-9, b.code != code { tie = true }
            if s > (best?.score ?? 0) { best = (code, s); tie = false }
        }
        return tie ? nil : best.map { ($0.code, true) }
    }

    /// Whether a value is exactly as the reader accepts it, needing no map.
    func isCanonical(_ value: String) -> Bool {
        switch target {
        case .country: return ISO3166.alpha2(value) != nil
        case .boolean, .picklist: return codes.contains(value)
        }
    }
}
