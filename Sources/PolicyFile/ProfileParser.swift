import Ingest
import Recode
import Tabular
import Yams

/// Walks a profile's YAML node tree; see the README's "Partner profiles" for the format.
///
/// Parsing goes on past a mistake wherever what follows does not depend on it, as the policy
/// parser does, so that `htdx check` lists every mistake in one run and the run names them all.
struct ProfileParser: YAMLNodeReading {
    let path: String
    /// Mistakes found so far.
    private(set) var found: [PolicyError] = []
    /// Keys an unknown key looked like a misspelling of: their absence is that same mistake.
    private var misspelt = Set<String>()
    var places = ProfilePlaces()

    static let topKeys = ["version", "partner", "format", "standard", "csv", "xml", "reference", "ignore", "fields", "personKey"]

    init(path: String) { self.path = path }

    mutating func keep<T>(_ result: Result<T, PolicyError>) -> T? {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            note(error)
            return nil
        }
    }

    /// Notes a mistake, unless it is the absence of a key that a misspelt key stood for.
    mutating func note(_ error: PolicyError) {
        let key = error.key.hasPrefix(".") ? String(error.key.dropFirst()) : error.key
        if !misspelt.contains(key) { found.append(error) }
    }

    /// Like `mapping`, but an unknown key is noted and skipped rather than ending the parse.
    mutating func lenientMapping(_ node: Node, key: String, allowed: [String]) throws(PolicyError) -> [String: Node] {
        var unknown: [(PolicyError, String)] = []
        let result = try mapping(node, key: key, allowed: allowed) { error, name in unknown.append((error, name)) }
        for (error, name) in unknown {
            if let meant = suggestion(for: name, among: allowed) { misspelt.insert(key.isEmpty ? meant : "\(key).\(meant)") }
            found.append(error)
        }
        return result
    }

    /// The profile as far as it can be read (nil when its partner, format or fields cannot be);
    /// the mistakes are in `found`.
    mutating func parseLeniently(_ root: Node) -> PartnerProfile? {
        let result = Result(catching: { () throws(PolicyError) in try parseCollecting(root) })
        switch result {
        case .success(let profile): return profile
        case .failure(let e): note(e); return nil
        }
    }

    private mutating func parseCollecting(_ root: Node) throws(PolicyError) -> PartnerProfile? {
        try YAMLFile.expectKind(root, path: path, what: "profile", known: Self.topKeys)
        let top = try lenientMapping(root, key: "", allowed: Self.topKeys)
        if let versionNode = top["version"] {
            if keep(Result { () throws(PolicyError) in try integer(versionNode, key: "version") }).map({ $0 != 1 }) == true {
                note(error(versionNode, key: "version", "must be 1, the only profile version this htdx reads"))
            }
        } else {
            note(error(root, key: "version", "is missing; start the profile with `version: 1`"))
        }
        let name = keep(Result { () throws(PolicyError) in try string(try required(top, "partner", in: root, key: ""), key: "partner") })
        let format = readFormat(top, root: root)
        var standard = "2.0"
        if let s = top["standard"], let text = keep(Result { () throws(PolicyError) in try string(s, key: "standard") }) {
            if ["0.2", "1.0", "2.0"].contains(text) { standard = text } else {
                note(error(s, key: "standard", "must be the HTCDS version the partner's codes follow: \"0.2\", \"1.0\" or \"2.0\""))
            }
        }
        let reference = top["reference"].flatMap { n in keep(Result { () throws(PolicyError) in try string(n, key: "reference") }) }
        var ignored: [String] = []
        if let i = top["ignore"] {
            places.ignore = place(i)
            if case .sequence(let items) = i {
                for item in items { if let s = keep(Result { () throws(PolicyError) in try string(item, key: "ignore") }) { ignored.append(s) } }
            } else {
                note(error(i, key: "ignore", "must be a list of source columns"))
            }
        }
        guard let fieldsNode = top["fields"], case .mapping(let fieldMap) = fieldsNode, !fieldMap.isEmpty else {
            note(error(top["fields"] ?? root, key: "fields", "must map canonical fields to their sources"))
            return nil
        }
        var rules: [FieldRule] = []
        var ruleNodes: [Node] = []
        var seen = Set<String>()
        for (nameNode, spec) in fieldMap {
            guard let canonical = keep(Result { () throws(PolicyError) in try string(nameNode, key: "fields") }) else { continue }
            guard HTCDS.field(named: canonical) != nil || ExtensionField(rawValue: canonical) != nil else {
                let known = HTCDS.fields.map(\.name) + ExtensionField.allCases.map(\.rawValue)
                note(error(nameNode, key: "fields.\(SafeText.name(canonical))",
                           "is neither an HTCDS v2 field nor an htdx extension field\(hint(canonical, known))"))
                continue
            }
            guard seen.insert(canonical).inserted else {
                note(error(nameNode, key: "fields.\(SafeText.name(canonical))", "is given twice"))
                continue
            }
            places.fields[canonical] = place(nameNode)
            if case .mapping = spec, let f = spec["format"] { places.formats[canonical] = place(f) }
            if let rule = rule(canonical, spec, standard: standard) {
                rules.append(rule)
                ruleNodes.append(nameNode)
            }
        }
        for rule in rules {
            if case .ageInYears(let birth, let at) = rule.source {
                for f in [birth, at] where !seen.contains(f) {
                    note(error(fieldsNode, key: "fields.\(rule.canonical).age", "uses \(SafeText.name(f)), which this profile does not fill"))
                }
            }
        }
        if case .xml(let layout)? = format {
            // Every path is checked now, with its line, rather than at the first record.
            for (nameNode, rule) in zip(ruleNodes, rules) {
                guard case .column(let text) = rule.source else { continue }
                do { _ = try XMLPath(text, namespaces: layout.namespaces) } catch {
                    note(self.error(nameNode, key: "fields.\(rule.canonical)", error.description))
                }
            }
            for text in ignored + (reference.map { [$0] } ?? []) {
                do { _ = try XMLPath(text, namespaces: layout.namespaces) } catch {
                    note(self.error(top["ignore"] ?? top["reference"] ?? root, key: "ignore", error.description))
                }
            }
        }
        var personKey: PersonKeyFields?
        if let node = top["personKey"] { personKey = keep(Result { () throws(PolicyError) in try self.personKey(node, filled: seen) }) }
        guard let name, let format else { return nil }
        var profile = PartnerProfile(name: name, format: format, standard: standard, reference: reference,
                                     fields: rules, ignored: ignored)
        profile.personKey = personKey
        return profile
    }

    private mutating func readFormat(_ top: [String: Node], root: Node) -> PartnerProfile.Format? {
        guard let formatNode = top["format"] else {
            note(error(root, key: ".format", "is missing; give format: csv or format: xml"))
            return nil
        }
        places.format = place(formatNode)
        guard let formatName = keep(Result { () throws(PolicyError) in try string(formatNode, key: "format") }) else { return nil }
        switch formatName {
        case "csv":
            if let x = top["xml"] { note(error(x, key: "xml", "belongs to an xml profile; this one reads csv")) }
            if let c = top["csv"] { places.csv = place(c) }
            return .csv(csvLayout(top["csv"]))
        case "xml":
            if let c = top["csv"] { note(error(c, key: "csv", "belongs to a csv profile; this one reads xml")) }
            guard let x = top["xml"] else {
                note(error(root, key: ".xml", "is missing; an xml profile names its record element under xml: {record: …}"))
                return nil
            }
            return keep(Result { () throws(PolicyError) in try xmlLayout(x) }).map { .xml($0) }
        default:
            note(error(formatNode, key: "format", "is \"\(SafeText.name(formatName))\"; use csv or xml\(hint(formatName, ["csv", "xml"]))"))
            return nil
        }
    }

    func place(_ node: Node) -> ProfilePlace {
        ProfilePlace(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
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

    /// The CSV layout; a wrong setting is noted and left at its default.
    private mutating func csvLayout(_ node: Node?) -> PartnerProfile.CSVLayout {
        var layout = PartnerProfile.CSVLayout()
        guard let csvNode = node,
              let csv = keep(Result { () throws(PolicyError) in try lenientMapping(csvNode, key: "csv", allowed: ["delimiter", "encoding", "headerRows", "nameRow"]) })
        else { return layout }
        if let d = csv["delimiter"], let text = keep(Result { () throws(PolicyError) in try string(d, key: "csv.delimiter") }) {
            let bytes = Array(text.utf8)
            if bytes.count == 1, bytes[0] < 0x80, ![UInt8(ascii: "\""), 10, 13].contains(bytes[0]) { layout.delimiter = bytes[0] } else {
                note(error(d, key: "csv.delimiter", "must be one ASCII character other than a quote or a line break"))
            }
        }
        if let e = csv["encoding"], let text = keep(Result { () throws(PolicyError) in try string(e, key: "csv.encoding") }) {
            let names = TextEncoding.allCases.map(\.rawValue)
            if let encoding = TextEncoding(rawValue: text.lowercased()) { layout.encoding = encoding } else {
                note(error(e, key: "csv.encoding", "\"\(SafeText.name(text))\" is not supported; use one of: \(names.joined(separator: ", "))\(hint(text, names))"))
            }
        }
        if let h = csv["headerRows"], let rows = keep(Result { () throws(PolicyError) in try integer(h, key: "csv.headerRows") }) {
            if rows >= 1 { layout.headerRows = rows } else {
                note(error(h, key: "csv.headerRows", "must be at least 1: the column names are needed"))
            }
        }
        if let n = csv["nameRow"], let row = keep(Result { () throws(PolicyError) in try integer(n, key: "csv.nameRow") }) {
            if (1...layout.headerRows).contains(row) { layout.nameRow = row } else {
                note(error(n, key: "csv.nameRow", "must be one of the header rows, 1 to \(layout.headerRows)"))
            }
        }
        return layout
    }
}
