import Foundation
import Ingest
import Recode
import Tabular
import Yams

/// A partner profile file, loaded and checked: every key known, every canonical field real.
public struct ProfileDocument: Sendable {
    public var path: String
    public var profile: PartnerProfile
    public var bytes: [UInt8]

    /// Reads a profile and checks it against the HTCDS v2 catalogue and htdx's extension fields.
    public static func load(path: String) throws(PolicyError) -> ProfileDocument {
        let (node, data) = try YAMLFile.compose(path: path, what: "profile")
        let profile = try ProfileParser(path: path).parse(node)
        return ProfileDocument(path: path, profile: profile, bytes: [UInt8](data))
    }
}

/// Walks a profile's YAML node tree; see the README's "Partner profiles" for the format.
struct ProfileParser: YAMLNodeReading {
    let path: String

    func parse(_ root: Node) throws(PolicyError) -> PartnerProfile {
        let allowed = ["version", "partner", "format", "standard", "csv", "xml", "reference", "ignore", "fields", "personKey"]
        try YAMLFile.expectKind(root, path: path, what: "profile", known: allowed)
        let top = try mapping(root, key: "", allowed: allowed)
        guard let versionNode = top["version"] else { throw error(root, key: "version", "is missing; start the profile with `version: 1`") }
        guard try integer(versionNode, key: "version") == 1 else {
            throw error(versionNode, key: "version", "must be 1, the only profile version this htdx reads")
        }
        let name = try string(try required(top, "partner", in: root, key: ""), key: "partner")
        let formatNode = try required(top, "format", in: root, key: "")
        let formatName = try string(formatNode, key: "format")
        let format: PartnerProfile.Format
        switch formatName {
        case "csv":
            if let x = top["xml"] { throw error(x, key: "xml", "belongs to an xml profile; this one reads csv") }
            format = .csv(try csvLayout(top["csv"]))
        case "xml":
            if let c = top["csv"] { throw error(c, key: "csv", "belongs to a csv profile; this one reads xml") }
            format = .xml(try xmlLayout(try required(top, "xml", in: root, key: "")))
        default:
            throw error(formatNode, key: "format", "is \"\(SafeText.name(formatName))\"; use csv or xml\(hint(formatName, ["csv", "xml"]))")
        }
        var standard = "2.0"
        if let s = top["standard"] {
            standard = try string(s, key: "standard")
            guard ["0.2", "1.0", "2.0"].contains(standard) else {
                throw error(s, key: "standard", "must be the HTCDS version the partner's codes follow: \"0.2\", \"1.0\" or \"2.0\"")
            }
        }
        let reference = try top["reference"].map { (n) throws(PolicyError) in try string(n, key: "reference") }
        var ignored: [String] = []
        if let i = top["ignore"] {
            guard case .sequence(let items) = i else { throw error(i, key: "ignore", "must be a list of source columns") }
            for item in items { ignored.append(try string(item, key: "ignore")) }
        }
        guard let fieldsNode = top["fields"], case .mapping(let fieldMap) = fieldsNode, !fieldMap.isEmpty else {
            throw error(top["fields"] ?? root, key: "fields", "must map canonical fields to their sources")
        }
        var rules: [FieldRule] = []
        var seen = Set<String>()
        for (nameNode, spec) in fieldMap {
            let canonical = try string(nameNode, key: "fields")
            guard HTCDS.field(named: canonical) != nil || ExtensionField(rawValue: canonical) != nil else {
                let known = HTCDS.fields.map(\.name) + ExtensionField.allCases.map(\.rawValue)
                throw error(nameNode, key: "fields.\(SafeText.name(canonical))",
                            "is neither an HTCDS v2 field nor an htdx extension field\(hint(canonical, known))")
            }
            guard seen.insert(canonical).inserted else { throw error(nameNode, key: "fields.\(SafeText.name(canonical))", "is given twice") }
            rules.append(try rule(canonical, spec))
        }
        for rule in rules {
            if case .ageInYears(let birth, let at) = rule.source {
                for f in [birth, at] where !seen.contains(f) {
                    throw error(fieldsNode, key: "fields.\(rule.canonical).age", "uses \(SafeText.name(f)), which this profile does not fill")
                }
            }
        }
        if case .xml(let layout) = format {
            // Every path is checked now, with its line, rather than at the first record.
            for ((nameNode, _), rule) in zip(fieldMap, rules) {
                guard case .column(let text) = rule.source else { continue }
                do { _ = try XMLPath(text, namespaces: layout.namespaces) } catch {
                    throw self.error(nameNode, key: "fields.\(rule.canonical)", error.description)
                }
            }
            for text in ignored + (reference.map { [$0] } ?? []) {
                do { _ = try XMLPath(text, namespaces: layout.namespaces) } catch {
                    throw self.error(top["ignore"] ?? top["reference"] ?? root, key: "ignore", error.description)
                }
            }
        }
        var profile = PartnerProfile(name: name, format: format, standard: standard, reference: reference,
                                     fields: rules, ignored: ignored)
        if let node = top["personKey"] { profile.personKey = try personKey(node, filled: seen) }
        return profile
    }

    private func xmlLayout(_ node: Node) throws(PolicyError) -> PartnerProfile.XMLLayout {
        let x = try mapping(node, key: "xml", allowed: ["record", "namespaces", "submissions"])
        let recordNode = try required(x, "record", in: node, key: "xml")
        var layout = PartnerProfile.XMLLayout(record: try string(recordNode, key: "xml.record"))
        if let ns = x["namespaces"] {
            guard case .mapping(let pairs) = ns else { throw error(ns, key: "xml.namespaces", "must map prefixes to namespace URIs") }
            for (prefix, uri) in pairs { layout.namespaces[try string(prefix, key: "xml.namespaces")] = try string(uri, key: "xml.namespaces") }
        }
        if let sub = x["submissions"] { layout.submissions = try boolean(sub, key: "xml.submissions") }
        do { _ = try XMLPath(layout.record, namespaces: layout.namespaces) } catch {
            throw self.error(recordNode, key: "xml.record", error.description)
        }
        return layout
    }

    private func csvLayout(_ node: Node?) throws(PolicyError) -> PartnerProfile.CSVLayout {
        var layout = PartnerProfile.CSVLayout()
        guard let csvNode = node else { return layout }
        let csv = try mapping(csvNode, key: "csv", allowed: ["delimiter", "encoding", "headerRows", "nameRow"])
        if let d = csv["delimiter"] {
            let bytes = Array(try string(d, key: "csv.delimiter").utf8)
            guard bytes.count == 1, bytes[0] < 0x80, ![UInt8(ascii: "\""), 10, 13].contains(bytes[0]) else {
                throw error(d, key: "csv.delimiter", "must be one ASCII character other than a quote or a line break")
            }
            layout.delimiter = bytes[0]
        }
        if let e = csv["encoding"] {
            let text = try string(e, key: "csv.encoding")
            let names = TextEncoding.allCases.map(\.rawValue)
            guard let encoding = TextEncoding(rawValue: text.lowercased()) else {
                throw error(e, key: "csv.encoding", "\"\(SafeText.name(text))\" is not supported; use one of: \(names.joined(separator: ", "))\(hint(text, names))")
            }
            layout.encoding = encoding
        }
        if let h = csv["headerRows"] {
            layout.headerRows = try integer(h, key: "csv.headerRows")
            guard layout.headerRows >= 1 else { throw error(h, key: "csv.headerRows", "must be at least 1: the column names are needed") }
        }
        if let n = csv["nameRow"] {
            layout.nameRow = try integer(n, key: "csv.nameRow")
            guard (1...layout.headerRows).contains(layout.nameRow) else {
                throw error(n, key: "csv.nameRow", "must be one of the header rows, 1 to \(layout.headerRows)")
            }
        }
        return layout
    }

    private func rule(_ canonical: String, _ spec: Node) throws(PolicyError) -> FieldRule {
        let key = "fields.\(SafeText.name(canonical))"
        if case .scalar = spec {
            return FieldRule(canonical: canonical, source: .column(try string(spec, key: key)), kind: Self.defaultKind(of: canonical))
        }
        let f = try mapping(spec, key: key, allowed: ["from", "constant", "age", "type", "format", "split", "map", "missing"])
        let sources = ["from", "constant", "age"].filter { f[$0] != nil }
        guard sources.count == 1 else {
            throw error(spec, key: key, "needs exactly one of from (a source column), constant, or age")
        }
        let source: FieldRule.Source
        if let from = f["from"] {
            source = .column(try string(from, key: "\(key).from"))
        } else if let constant = f["constant"] {
            source = .constant(try string(constant, key: "\(key).constant"))
        } else {
            let age = try mapping(f["age"]!, key: "\(key).age", allowed: ["birth", "at"])
            source = .ageInYears(birth: try string(try required(age, "birth", in: f["age"]!, key: "\(key).age"), key: "\(key).age.birth"),
                                 at: try string(try required(age, "at", in: f["age"]!, key: "\(key).age"), key: "\(key).age.at"))
        }
        var kind = Self.defaultKind(of: canonical)
        if case .ageInYears = source { kind = .integer }
        if let t = f["type"] {
            let text = try string(t, key: "\(key).type")
            let names = ["text", "code", "date", "country", "integer"]
            switch text {
            case "text": kind = .text
            case "code": kind = .code
            case "country": kind = .country
            case "integer": kind = .integer
            case "date":
                guard let formatNode = f["format"] else {
                    throw error(t, key: "\(key).format", "a date needs its format, such as yyyy-MM-dd or dd/MM/yyyy")
                }
                kind = .date(try dateFormats(formatNode, key: key))
            default:
                throw error(t, key: "\(key).type", "\"\(SafeText.name(text))\" is not a type; use one of: \(names.joined(separator: ", "))\(hint(text, names))")
            }
        }
        if case .date = kind, f["type"] == nil, let formatNode = f["format"] {
            // A date field of the standard with its own format, or several tried in turn.
            kind = .date(try dateFormats(formatNode, key: key))
        } else if f["format"] != nil, case .date = kind {} else if let formatNode = f["format"] {
            throw error(formatNode, key: "\(key).format", "only a field of type date has a format")
        }
        var split: [String] = []
        if let n = f["split"] {
            let items: [Node]
            if case .sequence(let list) = n { items = Array(list) } else { items = [n] }
            for item in items {
                let separator = try string(item, key: "\(key).split")
                guard !separator.isEmpty else { throw error(item, key: "\(key).split", "must not be empty") }
                if !split.contains(separator) { split.append(separator) }
            }
            guard !split.isEmpty else { throw error(n, key: "\(key).split", "must name at least one separator") }
        }
        var valueMap: [String: String] = [:]
        if let m = f["map"] {
            guard case .mapping(let pairs) = m else { throw error(m, key: "\(key).map", "must map source values to canonical values") }
            for (from, to) in pairs {
                valueMap[try string(from, key: "\(key).map")] = try string(to, key: "\(key).map")
            }
            if let (a, b) = MapKey.clashes(valueMap).first {
                throw error(m, key: "\(key).map", "maps \"\(SafeText.name(a))\" and \"\(SafeText.name(b))\" to different codes, but they differ only in case, "
                            + "_, - or spacing, which a value is matched without; give them one code, or remove one")
            }
        }
        var missing: Set<String> = [""]
        if let m = f["missing"] {
            guard case .sequence(let items) = m else { throw error(m, key: "\(key).missing", "must be a list of values that mean unknown") }
            for item in items { missing.insert(try string(item, key: "\(key).missing")) }
        }
        return FieldRule(canonical: canonical, source: source, kind: kind, split: split, valueMap: valueMap, missing: missing)
    }

    /// One date format or a list of them, each checked.
    private func dateFormats(_ node: Node, key: String) throws(PolicyError) -> [DateFormat] {
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
