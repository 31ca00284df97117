/// What the mapper needs to know of the canonical standard: countries, code lists and the
/// translation of older versions' codes. The HTCDS tables provide it; tests may provide less.
public protocol CodeBook: Sendable {
    /// The ISO 3166 alpha-2 code of `text` (alpha-2 or alpha-3, any case), or nil.
    func country(_ text: String) -> String?
    /// `code` of canonical `field` in HTCDS `version`, as a v2 code; nil when it has no v2 equivalent.
    func translate(_ code: String, field: String, from version: String) -> String?
    /// Whether `code` is in the code list of canonical `field`; nil when the field has no code list.
    func accepts(_ code: String, field: String) -> Bool?
}

/// Why a record cannot be used: which canonical field, and a reason that names no value.
public struct Rejection: Error, Sendable, Equatable {
    public var field: String
    public var reason: String
    /// How reports count it, when that differs from field and reason (which may hold counts).
    public var category: String
    /// For a date that fails its format: whether it would parse with day and month swapped, so
    /// that a run can tell a profile's swapped format from bad dates.
    public var parsesSwapped = false

    public init(field: String, reason: String, category: String? = nil) {
        self.field = field
        self.reason = reason
        self.category = category ?? (field.isEmpty ? reason : "\(field): \(reason)")
    }

    public static func wrongFieldCount(_ found: Int, expected: Int) -> Rejection {
        Rejection(field: "", reason: "has \(found) field\(found == 1 ? "" : "s"); the header has \(expected)",
                  category: "wrong number of fields")
    }

    /// A record whose partner reference the same partner already sent; the first one is kept.
    /// `field` is the profile's reference field; the rejects file lists the reference itself.
    public static func duplicateReference(field: String) -> Rejection {
        Rejection(field: field, reason: "duplicate reference", category: "duplicate reference")
    }

    public static func malformed(_ reason: String) -> Rejection {
        Rejection(field: "", reason: reason, category: "malformed quoting")
    }
}

/// Turns the source values of one record into canonical values, by a profile's rules.
public struct RecordMapper: Sendable {
    public let profile: PartnerProfile
    let codeBook: any CodeBook
    /// For each rule, the index of its canonical field among the profile's fields, by name.
    private let position: [String: Int]
    /// How each field is filled, without the rule's maps and sets: the per-record loop copies
    /// these, and copying whole rules cost a retain for every map, set and string in them.
    private enum Step: Sendable {
        case column(String)
        case constant(Result<String, Rejection>)
        case derived
    }
    private var steps: [Step] = []
    /// The fields derived from others, filled after them.
    private var derived: [Int] = []

    public init(profile: PartnerProfile, codeBook: any CodeBook) {
        self.profile = profile
        self.codeBook = codeBook
        var position: [String: Int] = [:]
        for (i, rule) in profile.fields.enumerated() { position[rule.canonical] = i }
        self.position = position
        for (i, rule) in profile.fields.enumerated() {
            switch rule.source {
            case .constant(let value): steps.append(.constant(normalize([value], rule)))
            case .ageInYears: steps.append(.derived); derived.append(i)
            case .column(let column): steps.append(.column(column))
            }
        }
    }

    /// Maps one record into `values` (reused from record to record), whose column-sourced fields
    /// `field(index, column)` normalises; the constants and derived fields are filled here.
    /// Returns why the record cannot be used, or nil.
    func map(into values: inout [String], _ field: (Int, String) -> Result<String, Rejection>) -> Rejection? {
        if values.count != steps.count { values = [String](repeating: "", count: steps.count) }
        for i in steps.indices {
            let result: Result<String, Rejection>
            switch steps[i] {
            case .column(let column): result = field(i, column)
            case .constant(let value): result = value
            case .derived: continue
            }
            switch result {
            case .success(let v): values[i] = v
            case .failure(let r): return r
            }
        }
        for i in derived {
            guard case .ageInYears(let birth, let at) = profile.fields[i].source,
                  let b = position[birth], let a = position[at] else { continue }
            guard !values[b].isEmpty, !values[a].isEmpty else { values[i] = ""; continue }
            guard let years = DateFormat.years(from: values[b], to: values[a]), (0...130).contains(years) else {
                return Rejection(field: profile.fields[i].canonical,
                                 reason: "the age from \(birth) to \(at) is negative or over 130 years")
            }
            values[i] = String(years)
        }
        return nil
    }

    /// One field's canonical text: trimmed, mapped, typed, translated and checked.
    func normalize(_ raw: [String], _ rule: FieldRule) -> Result<String, Rejection> {
        // One value of a single-valued field, the common case, needs no list.
        if rule.split.isEmpty && raw.count <= 1 {
            return normalizeOne(Substring(raw.first ?? ""), rule).map { $0 ?? "" }
        }
        var pieces: [Substring] = []
        for text in raw {
            if rule.split.isEmpty {
                pieces.append(Substring(text))
            } else if rule.split.count == 1, let separator = rule.split.first {
                pieces += Self.pieces(of: Substring(text), by: separator)
            } else {
                // Several separators: split by each in turn, longest first, so that " + " is not
                // taken for a " ".
                var parts = [Substring(text)]
                for separator in rule.split.sorted(by: { $0.count > $1.count }) {
                    parts = parts.flatMap { Self.pieces(of: $0, by: separator) }
                }
                pieces += parts
            }
        }
        var out: [String] = []
        for piece in pieces {
            switch normalizeOne(piece, rule) {
            case .success(let value?): out.append(value)
            case .success(nil): continue
            case .failure(let rejection): return .failure(rejection)
            }
        }
        if rule.isMultiSelect { return .success(Array(Set(out)).sorted().joined(separator: ";")) }
        guard out.count <= 1 else {
            return .failure(Rejection(field: rule.canonical, reason: "several values for a field that holds one; give split if it is a multi-select"))
        }
        return .success(out.first ?? "")
    }

    /// The values of one source field as ``normalize(_:_:)`` takes them one by one: split by the
    /// rule's separators and trimmed, empty ones left out. For `htdx check`, which tallies them.
    public static func sourceValues(_ raw: [String], _ rule: FieldRule) -> [String] {
        var parts = raw.map { Substring($0) }
        for separator in rule.split.sorted(by: { $0.count > $1.count }) {
            parts = parts.flatMap { pieces(of: $0, by: separator) }
        }
        return parts.map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
    }

    /// One source value as a run normalises it: the canonical value, nil for "unknown", or why a
    /// record holding it is rejected.
    public func normalizeValue(_ value: String, _ rule: FieldRule) -> Result<String?, Rejection> {
        normalizeOne(Substring(value), rule)
    }

    private static func pieces(of text: Substring, by separator: String) -> [Substring] {
        // A one-character separator splits by Character; the substring searcher costs several
        // times more per value.
        if separator.count == 1, let c = separator.first {
            return text.split(separator: c, omittingEmptySubsequences: true)
        }
        return text.split(separator: separator, omittingEmptySubsequences: true)
    }

    /// One value: trimmed, mapped, typed, translated and checked; nil when it means "unknown".
    private func normalizeOne(_ piece: Substring, _ rule: FieldRule) -> Result<String?, Rejection> {
        let text = piece.trimmingCharacters()
        if text.isEmpty || (rule.missing.count > 1 && rule.missing.contains(text)) { return .success(nil) }
        var value = text
        if !rule.valueMap.isEmpty {
            guard let mapped = rule.valueMap[text] ?? rule.foldedMap[MapKey.fold(text)] else {
                return .failure(Rejection(field: rule.canonical, reason: "a value the profile's value map does not cover"))
            }
            value = mapped
            if value.isEmpty || (rule.missing.count > 1 && rule.missing.contains(value)) { return .success(nil) }
        }
        switch rule.kind {
        case .integer:
            guard Int(value) != nil else {
                return .failure(Rejection(field: rule.canonical, reason: "not a whole number"))
            }
        case .date(let formats):
            guard let date = formats.lazy.compactMap({ $0.parse(value) }).first else {
                var rejection = Rejection(field: rule.canonical,
                                          reason: "not a date in \(formats.map(\.pattern).joined(separator: " or "))")
                rejection.parsesSwapped = formats.contains { $0.swapped?.parse(value) != nil }
                return .failure(rejection)
            }
            value = date
        case .country:
            guard let code = codeBook.country(value) else {
                return .failure(Rejection(field: rule.canonical, reason: "not an ISO 3166 country code"))
            }
            value = code
        case .text, .code:
            if profile.standard != "2.0" {
                guard let translated = codeBook.translate(value, field: rule.canonical, from: profile.standard) else {
                    return .failure(Rejection(field: rule.canonical,
                                              reason: "an HTCDS \(profile.standard) code with no v2.0 equivalent"))
                }
                value = translated
            }
            if codeBook.accepts(value, field: rule.canonical) == false {
                return .failure(Rejection(field: rule.canonical, reason: "not a code of \(rule.canonical)'s code list"))
            }
        }
        return .success(value)
    }
}

extension Substring {
    /// Trims spaces, tabs and non-breaking spaces, which exports leave after codes.
    func trimmingCharacters() -> String {
        // Most values have nothing to trim: look at the first and last bytes before walking Characters.
        if let f = utf8.first, let l = utf8.last, f > 0x20 && f < 0x80 && l > 0x20 && l < 0x80 { return String(self) }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\r" || $0 == "\n" }
        var s = self
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return String(s)
    }
}
