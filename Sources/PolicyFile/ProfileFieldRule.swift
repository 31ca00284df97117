import Ingest
import Recode
import Tabular
import Yams

extension ProfileParser {
    /// One field's rule, with its mistakes noted; nil when its source cannot be read. A part that
    /// is wrong is left out of the rule, so that a sample can still be checked against the rest.
    mutating func rule(_ canonical: String, _ spec: Node, standard: String) -> FieldRule? {
        let key = "fields.\(SafeText.name(canonical))"
        if case .scalar = spec {
            guard let column = keep(Result { () throws(PolicyError) in try string(spec, key: key) }) else { return nil }
            return FieldRule(canonical: canonical, source: .column(column), kind: Self.defaultKind(of: canonical))
        }
        guard let f = keep(Result { () throws(PolicyError) in
            try lenientMapping(spec, key: key, allowed: ["from", "constant", "age", "type", "format", "split", "map", "missing"])
        }) else { return nil }
        let sources = ["from", "constant", "age"].filter { f[$0] != nil }
        // Without a source the field is left out, but its other settings are still checked.
        var usable = true
        let source: FieldRule.Source
        var constantNode: Node?
        if sources.count != 1 {
            note(error(spec, key: sources.isEmpty ? "\(key).from" : key, "needs exactly one of from (a source column), constant, or age"))
            usable = false
            source = .column("")
        } else if let from = f["from"] {
            guard let column = keep(Result { () throws(PolicyError) in try string(from, key: "\(key).from") }) else { return nil }
            source = .column(column)
        } else if let constant = f["constant"] {
            guard let value = keep(Result { () throws(PolicyError) in try string(constant, key: "\(key).constant") }) else { return nil }
            source = .constant(value)
            constantNode = constant
        } else {
            let ageNode = f["age"]!
            guard let age = keep(Result { () throws(PolicyError) in
                let age = try mapping(ageNode, key: "\(key).age", allowed: ["birth", "at"])
                return FieldRule.Source.ageInYears(
                    birth: try string(try required(age, "birth", in: ageNode, key: "\(key).age"), key: "\(key).age.birth"),
                    at: try string(try required(age, "at", in: ageNode, key: "\(key).age"), key: "\(key).age.at"))
            }) else { return nil }
            source = age
        }
        var kind = Self.defaultKind(of: canonical)
        if case .ageInYears = source { kind = .integer }
        var formatsRead = false
        if let t = f["type"], let text = keep(Result { () throws(PolicyError) in try string(t, key: "\(key).type") }) {
            let names = ["text", "code", "date", "country", "integer"]
            switch text {
            case "text": kind = .text
            case "code": kind = .code
            case "country": kind = .country
            case "integer": kind = .integer
            case "date":
                if let formatNode = f["format"] {
                    formatsRead = true
                    if let formats = keep(Result { () throws(PolicyError) in try dateFormats(formatNode, key: key) }) { kind = .date(formats) }
                } else {
                    note(error(t, key: "\(key).format", "a date needs its format, such as yyyy-MM-dd or dd/MM/yyyy"))
                }
            default:
                note(error(t, key: "\(key).type", "\"\(SafeText.name(text))\" is not a type; use one of: \(names.joined(separator: ", "))\(hint(text, names))"))
            }
        }
        if !formatsRead, let formatNode = f["format"] {
            if case .date = kind {
                // A date field of the standard with its own format, or several tried in turn.
                if let formats = keep(Result { () throws(PolicyError) in try dateFormats(formatNode, key: key) }) { kind = .date(formats) }
            } else {
                note(error(formatNode, key: "\(key).format", "only a field of type date has a format"))
            }
        }
        var split: [String] = []
        if let n = f["split"] {
            let items: [Node]
            if case .sequence(let list) = n { items = Array(list) } else { items = [n] }
            for item in items {
                guard let separator = keep(Result { () throws(PolicyError) in try string(item, key: "\(key).split") }) else { continue }
                guard !separator.isEmpty else { note(error(item, key: "\(key).split", "must not be empty")); continue }
                if !split.contains(separator) { split.append(separator) }
            }
            if items.isEmpty { note(error(n, key: "\(key).split", "must name at least one separator")) }
        }
        var missing: Set<String> = [""]
        if let m = f["missing"] {
            if case .sequence(let items) = m {
                for item in items { if let s = keep(Result { () throws(PolicyError) in try string(item, key: "\(key).missing") }) { missing.insert(s) } }
            } else {
                note(error(m, key: "\(key).missing", "must be a list of values that mean unknown"))
            }
        }
        var rule = FieldRule(canonical: canonical, source: source, kind: kind, split: split, missing: missing)
        let list = ProfileCodeList.of(rule, standard: standard)
        if let m = f["map"] { rule.valueMap = valueMap(m, canonical: canonical, key: key, list: list, missing: missing) }
        if let node = constantNode, case .constant(let value) = source, let list, !missing.contains(value), !list.accepts(value) {
            note(error(node, key: "\(key).constant", Self.targetProblem(value, list)))
        }
        return usable ? rule : nil
    }

    /// A value map whose every target its field accepts; a target it does not is noted at its
    /// entry, with the codes to choose from, and the entry left out.
    private mutating func valueMap(_ m: Node, canonical: String, key: String, list: ProfileCodeList?, missing: Set<String>) -> [String: String] {
        guard case .mapping(let pairs) = m else {
            note(error(m, key: "\(key).map", "must map source values to canonical values"))
            return [:]
        }
        var valueMap: [String: String] = [:]
        for (from, to) in pairs {
            guard let source = keep(Result { () throws(PolicyError) in try string(from, key: "\(key).map") }),
                  let target = keep(Result { () throws(PolicyError) in try string(to, key: "\(key).map") }) else { continue }
            if let list, !missing.contains(target), !list.accepts(target) {
                // The entry's source value is the partner's word, so it is not repeated: the
                // line and column find it.
                note(error(to, key: "\(key).map", Self.targetProblem(target, list)))
                places.unusableMapKeys[canonical, default: []].insert(MapKey.fold(source))
                continue
            }
            valueMap[source] = target
        }
        if let (a, b) = MapKey.clashes(valueMap).first {
            note(error(m, key: "\(key).map", "maps \"\(SafeText.name(a))\" and \"\(SafeText.name(b))\" to different codes, but they differ only in case, "
                       + "_, - or spacing, which a value is matched without; give them one code, or remove one"))
        }
        return valueMap
    }

    /// Why a target does not fit its field, and what would: a draft's TODO said as what it is.
    static func targetProblem(_ target: String, _ list: ProfileCodeList) -> String {
        if target.uppercased().hasPrefix("TODO") { return "is still TODO; replace it with \(list.expected(near: target))" }
        return "\"\(SafeText.name(target))\" is not \(list.expected(near: target))"
    }

    /// One date format or a list of them, each checked.
    func dateFormats(_ node: Node, key: String) throws(PolicyError) -> [DateFormat] {
        let patterns: [Node]
        if case .sequence(let items) = node { patterns = Array(items) } else { patterns = [node] }
        guard !patterns.isEmpty else { throw error(node, key: "\(key).format", "must name at least one date format") }
        var formats: [DateFormat] = []
        for p in patterns {
            let pattern = try string(p, key: "\(key).format")
            guard let format = DateFormat(pattern) else {
                throw error(p, key: "\(key).format", "\"\(SafeText.name(pattern))\" is not a date format; use yyyy, MM and dd with one separator, or iso-datetime")
            }
            formats.append(format)
        }
        return formats
    }

    /// What a field is when the profile does not say: taken from the HTCDS catalogue, so that
    /// codes are checked against their list and countries normalised without being asked.
    static func defaultKind(of canonical: String) -> FieldRule.Kind {
        if let ext = ExtensionField(rawValue: canonical) {
            switch ext {
            case .countryOfExploitation: return .country
            case .identificationDate: return .date([DateFormat("yyyy-MM-dd")!])
            case .reportedAge, .ageAtIdentification: return .integer
            case .dataSource: return .code
            case .partnerReference: return .text
            }
        }
        switch HTCDS.field(named: canonical)?.kind {
        case .picklist: return .code
        case .country: return .country
        case .date: return .date([DateFormat("yyyy-MM-dd")!])
        default: return .text
        }
    }
}
