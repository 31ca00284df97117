import Anonymize
import Foundation
import Ingest
import Recode
import Tabular
import Yams

/// Walks the YAML node tree of a policy, key by key, so that every mistake can name its line.
///
/// Codable decoding would silently accept a misspelt key and give no line numbers; a policy that
/// mis-spells `suppressionLimit` must not quietly run with the default.
struct PolicyParser: YAMLNodeReading {
    let path: String
    let directory: String
    private var hierarchyFiles: [(path: String, bytes: [UInt8])] = []
    private var hierarchyCache: [String: Hierarchy] = [:]

    /// Caps on what one policy may hold. Each attribute and rule costs work on every record, and a
    /// file far beyond these is not a policy anyone wrote (800,000 attributes took 930 MB to read).
    static let attributeLimit = 10_000
    static let ruleLimit = 10_000

    /// Whether hierarchy and crosswalk files may lie outside the policy's folder (`--allow-outside`).
    let allowOutside: Bool

    init(path: String, allowOutside: Bool = false) {
        self.path = path
        self.allowOutside = allowOutside
        directory = folder(of: path)
    }

    struct Parsed {
        var policy: Policy
        var delimiter: UInt8
        var hierarchyFiles: [(path: String, bytes: [UInt8])]
        var crosswalkFiles: [(path: String, bytes: [UInt8])] = []
        var layout = ReleaseLayout()
    }

    /// Mistakes found so far. Parsing goes on past a mistake wherever what follows does not
    /// depend on it, so that `htdx check` can list every one; the run still stops at the first.
    private var found: [PolicyError] = []
    /// Keys an unknown key looked like a misspelling of: their absence is that same mistake, so it
    /// is not reported again as a missing key.
    private var misspelt = Set<String>()

    private mutating func keep<T>(_ result: Result<T, PolicyError>) -> T? {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            found.append(error)
            return nil
        }
    }

    /// Like `mapping`, but an unknown key is noted and skipped rather than ending the parse.
    private mutating func lenientMapping(_ node: Node, key: String, allowed: [String]) throws(PolicyError) -> [String: Node] {
        try mapping(node, key: key, allowed: allowed) { error, name in
            if let meant = suggestion(for: name, among: allowed) { misspelt.insert(key.isEmpty ? meant : "\(key).\(meant)") }
            found.append(error)
        }
    }

    mutating func parse(_ root: Node) throws(PolicyError) -> Parsed {
        let result = Result(catching: { () throws(PolicyError) in try parseCollecting(root) })
        if case .failure(let e) = result { missing(e) }
        if var first = found.first {
            first.more = Array(found.dropFirst())
            throw first
        }
        return try result.get()
    }

    /// Notes that a required key is absent, unless an unknown key already stood for it.
    private mutating func missing(_ e: PolicyError) {
        if !misspelt.contains(e.key) { found.append(e) }
    }

    /// The policy as far as it can be read; mistakes are in `found`. Throws only where nothing
    /// after the mistake can be checked.
    private mutating func parseCollecting(_ root: Node) throws(PolicyError) -> Parsed {
        let allowed = ["version", "input", "attributes", "privacy", "metric", "overrides", "rules", "derive", "release", "maxRejectedShare",
                       "duplicatePersons"]
        try YAMLFile.expectKind(root, path: path, what: "policy", known: allowed)
        let top = try lenientMapping(root, key: "", allowed: allowed)

        if let versionNode = top["version"] {
            if let version = keep(Result { () throws(PolicyError) in try integer(versionNode, key: "version") }), version != 1 {
                found.append(error(versionNode, key: "version", "must be 1, the only policy version this htdx reads"))
            }
        } else {
            missing(error(root, key: "version", "is missing; start the policy with `version: 1`"))
        }

        var delimiter = UInt8(ascii: ",")
        if let inputNode = top["input"] {
            delimiter = keep(Result { () throws(PolicyError) -> UInt8 in
                let input = try mapping(inputNode, key: "input", allowed: ["delimiter"])
                guard let d = input["delimiter"] else { return UInt8(ascii: ",") }
                let bytes = Array(try string(d, key: "input.delimiter").utf8)
                guard bytes.count == 1, bytes[0] < 0x80, ![UInt8(ascii: "\""), 10, 13].contains(bytes[0]) else {
                    throw error(d, key: "input.delimiter", "must be one ASCII character other than a quote or a line break, such as \",\" or \";\"")
                }
                return bytes[0]
            }) ?? delimiter
        }

        guard let attributesNode = top["attributes"] else {
            throw error(root, key: "attributes", "is missing; list every input column with its role")
        }
        guard case .mapping(let attributeMap) = attributesNode, !attributeMap.isEmpty else {
            throw error(attributesNode, key: "attributes", "must map each column name to its role, such as `name: identifying`")
        }
        guard attributeMap.count <= Self.attributeLimit else {
            throw error(attributesNode, key: "attributes", "lists \(attributeMap.count) columns, more than the limit of \(Self.attributeLimit); "
                        + "no partner export has that many, so check that the right file was given")
        }
        var attributes: [Policy.Attribute] = []
        var seen = Set<String>()
        var nameNodes: [String: Node] = [:]
        for (nameNode, spec) in attributeMap {
            guard let name = keep(Result { () throws(PolicyError) in try string(nameNode, key: "attributes") }) else { continue }
            guard seen.insert(name).inserted else {
                found.append(error(nameNode, key: "attributes.\(SafeText.name(name))", "is listed twice"))
                continue
            }
            nameNodes[name] = nameNode
            do {
                attributes.append(try attribute(name: name, spec: spec))
            } catch {
                // Stands in for the attribute, with its role if that much can be read, so that
                // the rules naming it are still checked without a second error for the same cause.
                found.append(error)
                attributes.append(Policy.Attribute(name: name, role: placeholderRole(spec)))
            }
        }
        let overrides = keep(Result { () throws(PolicyError) in try self.overrides(top["overrides"], attributes: attributes) })
        // A field named in overrides that could not be read is not reported again as unprotected.
        let attempted = overrides == nil ? Self.publishedNames(top["overrides"]) : []
        for attribute in attributes where attribute.role != .identifying && overrides?[attribute.name] == nil
            && !attempted.contains(attribute.name) {
            guard let what = DirectIdentifiers.fields[attribute.name] else { continue }
            found.append(error(nameNodes[attribute.name]!, key: "attributes.\(attribute.name)",
                               "is \(what), which htdx never publishes, but the policy makes it \(attribute.role.rawValue). "
                                   + "Make it identifying, or publish it knowingly with an override: "
                                   + "`overrides: [{publish: \(attribute.name), reason: \"…\"}]`"))
        }

        // The portal's k stands in for a k that cannot be read, so that the rules are still checked.
        var k = 11
        var limit = 0.0
        var cellSuppressionNode: Node?
        var extraModels: [any PrivacyModel] = []
        if let privacyNode = top["privacy"] {
            let privacy = keep(Result { () throws(PolicyError) in
                try lenientMapping(privacyNode, key: "privacy", allowed: ["k", "suppressionLimit", "cellSuppression"]
                                   + PrivacyModels.keys.subtracting(["k"]).sorted())
            }) ?? [:]
            for key in PrivacyModels.keys.subtracting(["k"]).sorted() {
                guard let node = privacy[key] else { continue }
                extraModels += keep(Result { () throws(PolicyError) in try models(key: key, node: node, attributes: attributes) }) ?? []
            }
            cellSuppressionNode = privacy["cellSuppression"]
            if let kNode = privacy["k"] {
                if let value = keep(Result { () throws(PolicyError) in try integer(kNode, key: "privacy.k") }) {
                    if value >= 2 { k = value } else {
                        found.append(error(kNode, key: "privacy.k", "is \(value), but k-anonymity needs k ≥ 2 (the portal publishes at k = 11)"))
                    }
                }
            } else {
                missing(error(privacyNode, key: "privacy.k", "is missing"))
            }
            if let limitNode = privacy["suppressionLimit"] {
                if let value = keep(Result { () throws(PolicyError) in try number(limitNode, key: "privacy.suppressionLimit") }) {
                    if (0...1).contains(value) { limit = value } else {
                        found.append(error(limitNode, key: "privacy.suppressionLimit", "is \(value), but must be a share in [0, 1], such as 0.05 for 5 %"))
                    }
                }
            } else {
                missing(error(privacyNode, key: "privacy.suppressionLimit", "is missing; give the share of records that may be suppressed, in [0, 1]"))
            }
        } else {
            missing(error(root, key: "privacy", "is missing; for example `privacy: {k: 11, suppressionLimit: 0.05}`"))
        }

        var metric = Metric.loss
        if let metricNode = top["metric"] {
            metric = keep(Result { () throws(PolicyError) -> Metric in
                let text = try string(metricNode, key: "metric")
                guard let m = Metric(rawValue: text) else {
                    throw error(metricNode, key: "metric", "is \"\(SafeText.name(text))\"; use one of: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))\(hint(text, Metric.allCases.map(\.rawValue)))")
                }
                return m
            }) ?? metric
        }
        var policy = Policy(attributes: attributes, privacy: PrivacyModels(models: [KAnonymity(k: k)] + extraModels, suppressionLimit: limit),
                            metric: metric)
        policy.overrides = overrides ?? [:]
        // How many lost records a batch may take before it stops: a profile mistake rejects many.
        if let shareNode = top["maxRejectedShare"],
           let share = keep(Result { () throws(PolicyError) in try number(shareNode, key: "maxRejectedShare") }) {
            if (0...1).contains(share) { policy.maxRejectedShare = share } else {
                found.append(error(shareNode, key: "maxRejectedShare", "is \(share), but must be a share in [0, 1], such as 0.05 for 5 %"))
            }
        }
        if let node = top["duplicatePersons"], let rule = keep(Result { () throws(PolicyError) in try duplicatePersons(node) }) {
            policy.duplicatePersons = rule
        }
        (policy.filters, policy.blanks, policy.codings, policy.folds) = try rules(top["rules"], attributes: attributes, k: k)
        if let node = cellSuppressionNode {
            policy.cellSuppression = keep(Result { () throws(PolicyError) in try cellSuppression(node, attributes: attributes) })
            if policy.cellSuppression != nil, let model = policy.privacy.models.first(where: { $0.sensitiveAttribute != nil }) {
                // Blanking moves records between classes after the search, and is planned on class sizes alone.
                found.append(error(node, key: "privacy.cellSuppression", "cannot be combined with \(model.description): "
                                   + "blanked records would join classes whose sensitive values were never checked. "
                                   + "Remove cellSuppression, or the model"))
            }
        }
        var parsed = Parsed(policy: policy, delimiter: delimiter, hierarchyFiles: hierarchyFiles)
        let sections = ReleaseSectionsParser(path: path, directory: directory, allowOutside: allowOutside)
        if let node = top["derive"], let (columns, files) = keep(Result { () throws(PolicyError) in try sections.derived(node) }) {
            // A derived column is a column like any other: the policy gives it a role.
            let unlisted = columns.map(\.name).filter { name in !attributes.contains { $0.name == name } }
            if !unlisted.isEmpty {
                found.append(error(node, key: "derive", "derives \(SafeText.capped(unlisted.map(SafeText.name)).joined(separator: ", ")), which attributes does not list; "
                                   + "give every derived column a role, as every input column has one"))
            }
            parsed.policy.derived = columns
            parsed.crosswalkFiles = files
        }
        if let node = top["release"], let (layout, columnsNode) = keep(Result { () throws(PolicyError) in
            try sections.layout(node, derived: parsed.policy.derived)
        }) {
            for name in layout.columns ?? [] {
                guard let attribute = attributes.first(where: { $0.name == name }) else {
                    found.append(error(columnsNode!, key: "release.columns", "names \(SafeText.name(name)), which attributes does not list\(hint(name, attributes.map(\.name)))"))
                    continue
                }
                if attribute.role == .identifying {
                    found.append(error(columnsNode!, key: "release.columns", "names \(SafeText.name(name)), which is identifying and never published"))
                }
            }
            if let columns = layout.columns {
                for qi in attributes where qi.role == .quasiIdentifying && !columns.contains(qi.name) {
                    found.append(error(columnsNode!, key: "release.columns", "leaves out \(SafeText.name(qi.name)), a quasi-identifier: publish it, or make it insensitive"))
                }
                // The models are checked on the published file, so what they protect must be in it.
                for name in parsed.policy.privacy.sensitiveAttributes where !columns.contains(name) {
                    found.append(error(columnsNode!, key: "release.columns", "leaves out \(SafeText.name(name)), which a privacy model protects: publish it, or remove the model"))
                }
            }
            parsed.layout = layout
        }
        return parsed
    }

    /// The `publish` fields of an overrides list, as far as they can be read.
    private static func publishedNames(_ node: Node?) -> Set<String> {
        guard case .sequence(let items)? = node else { return [] }
        return Set(items.compactMap { item in
            guard case .mapping(let map) = item, let p = map["publish"], case .scalar(let s) = p else { return nil }
            return s.string
        })
    }

    /// The role an attribute that could not be read says it has, or insensitive.
    private func placeholderRole(_ spec: Node) -> AttributeRole {
        if case .scalar(let s) = spec { return AttributeRole(rawValue: s.string) ?? .insensitive }
        if case .mapping(let map) = spec, let type = map["type"], case .scalar(let s) = type { return AttributeRole(rawValue: s.string) ?? .insensitive }
        return .insensitive
    }

    /// `privacy.lDiversity` or `privacy.tCloseness`: one mapping of parameters, or a list of them
    /// (one per sensitive attribute). Each names a sensitive attribute the policy lists.
    private func models(key: String, node: Node, attributes: [Policy.Attribute]) throws(PolicyError) -> [any PrivacyModel] {
        let items: [Node]
        if case .sequence(let list) = node { items = Array(list) } else { items = [node] }
        guard !items.isEmpty else { throw error(node, key: "privacy.\(key)", "is an empty list; remove it or give the model's parameters") }
        var result: [any PrivacyModel] = []
        for item in items {
            guard case .mapping(let map) = item else {
                throw error(item, key: "privacy.\(key)", "must be a mapping of the model's parameters, such as `{attribute: vic_TypeOfExploitation, l: 2}`")
            }
            var values: [String: String] = [:]
            for (nameNode, valueNode) in map {
                let name = try string(nameNode, key: "privacy.\(key)")
                values[name] = try string(valueNode, key: "privacy.\(key).\(SafeText.name(name))")
            }
            let model: any PrivacyModel
            do {
                model = try PrivacyModels.model(key: key, parameters: ModelParameters(values))
            } catch let e {
                let at = map.first(where: { if case .scalar(let s) = $0.key { return s.string == e.key } else { return false } })?.value ?? item
                throw error(at, key: "privacy.\(key).\(SafeText.name(e.key))", e.problem)
            }
            if let name = model.sensitiveAttribute {
                guard let attribute = attributes.first(where: { $0.name == name }) else {
                    throw error(item, key: "privacy.\(key).attribute", "names \(SafeText.name(name)), which attributes does not list\(hint(name, attributes.map(\.name)))")
                }
                guard attribute.role == .sensitive else {
                    throw error(item, key: "privacy.\(key).attribute", "names \(SafeText.name(name)), which is \(attribute.role.rawValue); "
                                + "\(model.description) protects a sensitive attribute: make it `type: sensitive`")
                }
                if model.needsHierarchy && attribute.hierarchy == nil {
                    throw error(item, key: "privacy.\(key).attribute", "\(model.description) needs a hierarchy of \(SafeText.name(name)): "
                                + "give the attribute `hierarchy:` (a CSV file of its values and their groups)")
                }
            }
            result.append(model)
        }
        return result
    }

    /// `privacy.cellSuppression: {priority: [QI, ...], maxCells: N}`.
    private func cellSuppression(_ node: Node, attributes: [Policy.Attribute]) throws(PolicyError) -> CellSuppressionRule {
        let key = "privacy.cellSuppression"
        let fields = try mapping(node, key: key, allowed: ["priority", "maxCells"])
        guard let list = fields["priority"], case .sequence(let items) = list, !items.isEmpty else {
            throw error(fields["priority"] ?? node, key: key + ".priority",
                        "must list the quasi-identifiers that may be blanked, the first blanked first")
        }
        let qis = attributes.filter { $0.role == .quasiIdentifying }.map(\.name)
        var priority: [String] = []
        for item in items {
            let name = try string(item, key: key + ".priority")
            guard qis.contains(name) else {
                throw error(item, key: key + ".priority", "names \(SafeText.name(name)), which is not a quasi-identifier of this policy\(hint(name, qis))")
            }
            guard !priority.contains(name) else { throw error(item, key: key + ".priority", "names \(SafeText.name(name)) twice") }
            priority.append(name)
        }
        let maxCells = try fields["maxCells"].map { (n) throws(PolicyError) in try integer(n, key: key + ".maxCells") }
        if let maxCells, !(1...priority.count).contains(maxCells) {
            throw error(fields["maxCells"]!, key: key + ".maxCells", "must be between 1 and the number of attributes in priority (\(priority.count))")
        }
        return CellSuppressionRule(priority: priority, maxCells: maxCells)
    }

    /// `rules: {exclude: [{name, when}], blank: [{name, fields, when}]}`; see ``ConditionParser``
    /// for conditions.
    /// The record rules; a rule with a mistake is noted in `found` and left out, and the others
    /// are still read.
    private mutating func rules(_ node: Node?, attributes: [Policy.Attribute], k: Int)
        throws(PolicyError) -> ([RecordFilter], [BlankRule], [CodingRule], [FoldRule])
    {
        guard let node else { return ([], [], [], []) }
        let rules = try lenientMapping(node, key: "rules", allowed: ["exclude", "blank", "topCode", "bottomCode", "fold"])
        let count = rules.values.reduce(0) { total, list in
            if case .sequence(let items) = list { return total + items.count }
            return total
        }
        guard count <= Self.ruleLimit else {
            throw error(node, key: "rules", "holds \(count) rules, more than the limit of \(Self.ruleLimit); "
                        + "each rule is checked on every record, so group values with a hierarchy or a fold instead")
        }
        var names = Set<String>()
        var filters: [RecordFilter] = []
        let excludeItems = keep(Result { () throws(PolicyError) in
            try list(rules["exclude"], key: "rules.exclude", example: "[{name: no-consent, when: \"con_Consent != TRUE\"}]")
        }) ?? []
        for item in excludeItems {
            let filter = keep(Result { () throws(PolicyError) -> RecordFilter in
                let fields = try mapping(item, key: "rules.exclude", allowed: ["name", "when"])
                let name = try ruleName(fields, item, key: "rules.exclude", names: &names)
                return RecordFilter(name: name, when: try condition(fields, item, key: "rules.exclude", rule: name, attributes: attributes))
            })
            if let filter { filters.append(filter) }
        }
        var blanks: [BlankRule] = []
        let blankItems = keep(Result { () throws(PolicyError) in
            try list(rules["blank"], key: "rules.blank", example: "[{name: minors, fields: [vic_TypeOfSexExploitation], when: \"ext_AgeAtIdentification < 18\"}]")
        }) ?? []
        for item in blankItems {
            let rule = keep(Result { () throws(PolicyError) -> BlankRule in
                let fields = try mapping(item, key: "rules.blank", allowed: ["name", "fields", "when"])
                let name = try ruleName(fields, item, key: "rules.blank", names: &names)
                let listNode = try required(fields, "fields", in: item, key: "rules.blank")
                var blanked: [String] = []
                for f in try list(listNode, key: "rules.blank.fields", example: "[vic_TypeOfSexExploitation]") {
                    let field = try string(f, key: "rules.blank.fields")
                    guard let attribute = attributes.first(where: { $0.name == field }) else {
                        throw error(f, key: "rules.blank.fields", "\(SafeText.name(field)) is not an attribute of this policy\(hint(field, attributes.map(\.name)))")
                    }
                    guard attribute.role != .identifying else {
                        throw error(f, key: "rules.blank.fields", "\(SafeText.name(field)) is identifying, so it is never published and needs no blanking")
                    }
                    if attribute.role == .sensitive, let h = attribute.hierarchy, !h.rawValues.contains("") {
                        throw error(f, key: "rules.blank.fields", "\(SafeText.name(field)) has a hierarchy \(attribute.hierarchySource ?? "") without a row for the empty value, "
                                    + "which a blanked cell holds; add a row whose first cell is empty")
                    }
                    blanked.append(field)
                }
                guard !blanked.isEmpty else { throw error(listNode, key: "rules.blank.fields", "names no field") }
                return BlankRule(name: name, fields: blanked, when: try condition(fields, item, key: "rules.blank", rule: name, attributes: attributes))
            })
            if let rule { blanks.append(rule) }
        }
        var codings: [CodingRule] = []
        for (side, key, thresholdKey) in [(CodingRule.Side.top, "topCode", "atOrAbove"), (.bottom, "bottomCode", "below")] {
            let items = keep(Result { () throws(PolicyError) in
                try list(rules[key], key: "rules.\(key)", example: "[{name: age-60-plus, field: ext_AgeAtIdentification, \(thresholdKey): 60, as: \"60+\"}]")
            }) ?? []
            for item in items {
                let rule = keep(Result { () throws(PolicyError) -> CodingRule in
                    let fields = try mapping(item, key: "rules.\(key)", allowed: ["name", "field", thresholdKey, "as"])
                    let name = try ruleName(fields, item, key: "rules.\(key)", names: &names)
                    let fieldNode = try required(fields, "field", in: item, key: "rules.\(key)")
                    let field = try string(fieldNode, key: "rules.\(key).field")
                    guard let attribute = attributes.first(where: { $0.name == field }), attribute.role != .identifying else {
                        throw error(fieldNode, key: "rules.\(key).field", "\(SafeText.name(field)) is not a published attribute of this policy\(hint(field, attributes.map(\.name)))")
                    }
                    try refusePseudonymised(attribute, node: fieldNode, key: "rules.\(key).field")
                    let threshold = try string(try required(fields, thresholdKey, in: item, key: "rules.\(key)"), key: "rules.\(key).\(thresholdKey)")
                    let label = try string(try required(fields, "as", in: item, key: "rules.\(key)"), key: "rules.\(key).as")
                    return CodingRule(name: name, field: field, side: side, threshold: threshold, label: label)
                })
                if let rule { codings.append(rule) }
            }
        }
        var folds: [FoldRule] = []
        let foldItems = keep(Result { () throws(PolicyError) in
            try list(rules["fold"], key: "rules.fold", example: "[{name: rare-citizenship, field: prs_Citizenship, as: Other}]")
        }) ?? []
        for item in foldItems {
            let rule = keep(Result { () throws(PolicyError) -> FoldRule in
                let fields = try mapping(item, key: "rules.fold", allowed: ["name", "field", "below", "as"])
                let name = try ruleName(fields, item, key: "rules.fold", names: &names)
                let fieldNode = try required(fields, "field", in: item, key: "rules.fold")
                let field = try string(fieldNode, key: "rules.fold.field")
                guard let attribute = attributes.first(where: { $0.name == field }), attribute.role != .identifying else {
                    throw error(fieldNode, key: "rules.fold.field", "\(SafeText.name(field)) is not a published attribute of this policy\(hint(field, attributes.map(\.name)))")
                }
                try refusePseudonymised(attribute, node: fieldNode, key: "rules.fold.field")
                guard !folds.contains(where: { $0.field == field }) else {
                    throw error(fieldNode, key: "rules.fold.field", "\(SafeText.name(field)) is folded by two rules; give it one")
                }
                var below = k
                if let b = fields["below"] {
                    below = try integer(b, key: "rules.fold.below")
                    guard below >= 2 else { throw error(b, key: "rules.fold.below", "must be at least 2: a count below 1 folds nothing") }
                }
                let replacement = try fields["as"].map { (n) throws(PolicyError) in try string(n, key: "rules.fold.as") } ?? ""
                // A sensitive attribute's hierarchy places its values for hierarchical t-closeness.
                if attribute.role == .quasiIdentifying || attribute.role == .sensitive, let h = attribute.hierarchy,
                   !h.rawValues.contains(replacement) {
                    throw error(fields["as"] ?? item, key: "rules.fold.as",
                                "\"\(SafeText.name(replacement))\" must be a raw value of \(SafeText.name(field))'s hierarchy \(attribute.hierarchySource ?? ""), so that the folded value has a place in it")
                }
                return FoldRule(name: name, field: field, below: below, replacement: replacement)
            })
            if let rule { folds.append(rule) }
        }
        return (filters, blanks, codings, folds)
    }

    private func list(_ node: Node?, key: String, example: String) throws(PolicyError) -> [Node] {
        guard let node else { return [] }
        guard case .sequence(let items) = node else { throw error(node, key: key, "must be a list such as \(example)") }
        return Array(items)
    }

    private func ruleName(_ fields: [String: Node], _ item: Node, key: String, names: inout Set<String>) throws(PolicyError) -> String {
        let nameNode = try required(fields, "name", in: item, key: key)
        let name = try string(nameNode, key: "\(key).name")
        guard names.insert(name).inserted else {
            throw error(nameNode, key: "\(key).name", "\"\(SafeText.name(name))\" names two rules; each needs its own name")
        }
        return name
    }

    /// A rule's `when`, checked against the policy's attributes and the HTCDS code lists.
    private func condition(_ fields: [String: Node], _ item: Node, key: String, rule: String, attributes: [Policy.Attribute]) throws(PolicyError) -> Condition {
        let whenNode = try required(fields, "when", in: item, key: key)
        let text = try string(whenNode, key: "\(key).when")
        let condition: Condition
        do { condition = try ConditionParser.parse(text) } catch {
            throw self.error(whenNode, key: "\(key).when", "rule \"\(SafeText.name(rule))\": \(SafeText.path(error.message))")
        }
        let names = attributes.map(\.name)
        for field in condition.fields where !names.contains(field) {
            throw self.error(whenNode, key: "\(key).when", "\(SafeText.name(field)) is not an attribute of this policy\(hint(field, names))")
        }
        for (field, value) in condition.comparedValues {
            guard let standard = HTCDS.field(named: field) else { continue }
            let codes: [String]? = standard.kind == .picklist ? standard.codes : standard.kind == .boolean ? ["TRUE", "FALSE"] : nil
            if let codes, !codes.contains(value) {
                throw self.error(whenNode, key: "\(key).when",
                                 "\"\(SafeText.name(value))\" is not a value of \(SafeText.name(field))\(hint(value, codes)); a typo here would match nothing")
            }
        }
        return condition
    }

    /// `overrides: [{publish: FIELD, reason: TEXT}]`: the only way to publish a direct identifier.
    private func overrides(_ node: Node?, attributes: [Policy.Attribute]) throws(PolicyError) -> [String: String] {
        guard let node else { return [:] }
        guard case .sequence(let items) = node else {
            throw error(node, key: "overrides", "must be a list such as [{publish: prs_Title, reason: \"…\"}]")
        }
        var result: [String: String] = [:]
        for item in items {
            let fields = try mapping(item, key: "overrides", allowed: ["publish", "reason"])
            let fieldNode = try required(fields, "publish", in: item, key: "overrides")
            let field = try string(fieldNode, key: "overrides.publish")
            let reasonNode = try required(fields, "reason", in: item, key: "overrides")
            let reason = try string(reasonNode, key: "overrides.reason")
            guard reason.trimmingCharacters(in: .whitespaces).count >= 10 else {
                throw error(reasonNode, key: "overrides.reason", "must say why \(SafeText.name(field)) may be published, in a sentence a reviewer can check")
            }
            guard DirectIdentifiers.fields[field] != nil else {
                throw error(fieldNode, key: "overrides.publish", "\(SafeText.name(field)) is not on the list of direct identifiers, so it needs no override")
            }
            guard let attribute = attributes.first(where: { $0.name == field }), attribute.role != .identifying else {
                throw error(fieldNode, key: "overrides.publish", "\(SafeText.name(field)) is not published by this policy, so the override does nothing; remove it")
            }
            guard result.updateValue(reason, forKey: field) == nil else {
                throw error(fieldNode, key: "overrides.publish", "\(SafeText.name(field)) is overridden twice")
            }
        }
        return result
    }

    private mutating func attribute(name: String, spec: Node) throws(PolicyError) -> Policy.Attribute {
        let key = "attributes.\(SafeText.name(name))"
        if case .scalar = spec {
            let role = try role(spec, key: key)
            var attribute = Policy.Attribute(name: name, role: role)
            if role == .pseudonymised { attribute.pseudonymScope = .release }
            return attribute
        }
        let fields = try mapping(spec, key: key, allowed: ["type", "hierarchy", "multiple", "description", "hxl", "weight", "maxLevel", "scope"])
        guard let typeNode = fields["type"] else {
            throw error(spec, key: "\(key).type", "is missing; say identifying, quasi-identifying, sensitive, insensitive or pseudonymised")
        }
        let role = try role(typeNode, key: "\(key).type")
        let scope = try pseudonymScope(fields["scope"], role: role, key: key)
        let description = try fields["description"].map { (n) throws(PolicyError) in try string(n, key: "\(key).description") }
        let hxl = try fields["hxl"].map { (n) throws(PolicyError) in try string(n, key: "\(key).hxl") }
        if let hxl, let node = fields["hxl"], !(hxl.hasPrefix("#") && hxl.count > 1 && !hxl.contains(where: { $0 == " " || $0 == "," || $0 == ";" })) {
            throw error(node, key: "\(key).hxl", "\"\(SafeText.name(hxl))\" is not an HXL hashtag such as #affected+f or #country+code")
        }
        var weight: Double?
        if let node = fields["weight"] {
            guard role == .quasiIdentifying else {
                throw error(node, key: "\(key).weight", "only a quasi-identifier has a weight in the loss; this one is \(role.rawValue)")
            }
            let value = try number(node, key: "\(key).weight")
            guard value.isFinite, value >= 0, value <= 1_000_000 else {
                throw error(node, key: "\(key).weight", "must be a number from 0 to 1000000; a larger weight keeps the attribute finer")
            }
            weight = value
        }
        var maxLevel: Int?
        if let node = fields["maxLevel"] {
            guard role == .quasiIdentifying else {
                throw error(node, key: "\(key).maxLevel", "only a quasi-identifier is generalised; this one is \(role.rawValue)")
            }
            let value = try integer(node, key: "\(key).maxLevel")
            guard value >= 0 else { throw error(node, key: "\(key).maxLevel", "must be 0 (never generalised) or more") }
            maxLevel = value
        }
        guard let hierarchyNode = fields["hierarchy"] else {
            var attribute = Policy.Attribute(name: name, role: role)
            attribute.description = description
            attribute.hxl = hxl
            attribute.weight = weight
            if let maxLevel, let node = fields["maxLevel"], maxLevel > 1 {
                // Without a hierarchy the attribute has two levels: raw and `*`.
                throw error(node, key: "\(key).maxLevel", "is \(maxLevel), but without a hierarchy the levels are 0 (raw) and 1 (*)")
            }
            attribute.maxLevel = maxLevel
            attribute.pseudonymScope = scope
            return attribute
        }
        // A sensitive attribute's hierarchy serves t-closeness with hierarchical distance.
        guard role == .quasiIdentifying || role == .sensitive else {
            throw error(hierarchyNode, key: "\(key).hierarchy", "only a quasi-identifying or sensitive attribute has a hierarchy; this one is \(role.rawValue)")
        }
        let (hierarchy, source) = try self.hierarchy(hierarchyNode, key: "\(key).hierarchy")
        var multiple: String?
        if let m = fields["multiple"] {
            let label = try string(m, key: "\(key).multiple")
            guard hierarchy.rawValues.contains(label) else {
                throw error(m, key: "\(key).multiple", "\"\(SafeText.name(label))\" must be a raw value of the hierarchy \(source), so that it can be generalised")
            }
            multiple = label
        }
        var attribute = Policy.Attribute(name: name, role: role, hierarchy: hierarchy, hierarchySource: source, multiple: multiple)
        attribute.description = description
        attribute.hxl = hxl
        attribute.weight = weight
        if let maxLevel, let node = fields["maxLevel"], maxLevel >= hierarchy.levelCount {
            throw error(node, key: "\(key).maxLevel", "is \(maxLevel), but the hierarchy \(SafeText.path(source)) has levels 0 to \(hierarchy.levelCount - 1)")
        }
        attribute.maxLevel = maxLevel
        return attribute
    }

    private func role(_ node: Node, key: String) throws(PolicyError) -> AttributeRole {
        let text = try string(node, key: key)
        guard let role = AttributeRole(rawValue: text) else {
            let names = AttributeRole.allCases.map(\.rawValue)
            throw error(node, key: key, "\"\(SafeText.name(text))\" is not a role; use one of: \(names.joined(separator: ", "))\(hint(text, names))")
        }
        return role
    }

    private mutating func hierarchy(_ node: Node, key: String) throws(PolicyError) -> (Hierarchy, String) {
        if case .scalar = node {
            let relative = try string(node, key: key)
            let file = relative.hasPrefix("/") ? relative : (directory as NSString).appendingPathComponent(relative)
            if let cached = hierarchyCache[file] { return (cached, file) }
            guard FileManager.default.fileExists(atPath: file) else {
                throw error(node, key: key, "the hierarchy file \(SafeText.path(file)) does not exist (paths are relative to the policy file)")
            }
            if !allowOutside, let reason = PolicyFolder.outside(file, policy: path) {
                throw error(node, key: key, "the hierarchy file \(SafeText.path(file)) \(reason); keep hierarchies in the policy's folder, "
                            + "or pass --allow-outside to read it where it is")
            }
            let loaded: Hierarchy
            let bytes: Data
            do {
                bytes = try ConfigFile.read(path: file, what: "hierarchy", limit: ConfigFile.tableLimit)
            } catch {
                throw self.error(node, key: key, "\(SafeText.path(file)): \(error.message)")
            }
            do {
                loaded = try HierarchyFile.load(path: file)
            } catch let e {
                throw PolicyError(file: e.file, line: e.line, key: "", message: "\(e.message) (hierarchy of \(SafeText.path(key)) in \(SafeText.path(path)):\(line(node)))")
            }
            hierarchyCache[file] = loaded
            hierarchyFiles.append((file, [UInt8](bytes)))
            return (loaded, file)
        }
        let form = try mapping(node, key: key, allowed: ["intervals", "dates"])
        guard form.count == 1, let (formName, body) = form.first.map({ ($0.key, $0.value) }) else {
            throw error(node, key: key, "give either a file path, {intervals: {...}} or {dates: {...}}")
        }
        do {
            if formName == "intervals" {
                let fields = try mapping(body, key: "\(key).intervals", allowed: ["min", "max", "widths", "missing"])
                let min = try integer(try required(fields, "min", in: body, key: "\(key).intervals"), key: "\(key).intervals.min")
                let max = try integer(try required(fields, "max", in: body, key: "\(key).intervals"), key: "\(key).intervals.max")
                let widthsNode = try required(fields, "widths", in: body, key: "\(key).intervals")
                guard case .sequence(let items) = widthsNode else {
                    throw error(widthsNode, key: "\(key).intervals.widths", "must be a list of bucket widths, such as [5, 10, 20]")
                }
                var widths: [Int] = []
                for item in items { widths.append(try integer(item, key: "\(key).intervals.widths")) }
                let missing = try fields["missing"].map { (m) throws(PolicyError) in try boolean(m, key: "\(key).intervals.missing") } ?? false
                return (try HierarchyBuilder.intervals(min: min, max: max, widths: widths, missing: missing),
                        "intervals \(min)...\(max) by \(widths)")
            } else {
                let fields = try mapping(body, key: "\(key).dates", allowed: ["min", "max", "levels"])
                let min = try string(try required(fields, "min", in: body, key: "\(key).dates"), key: "\(key).dates.min")
                let max = try string(try required(fields, "max", in: body, key: "\(key).dates"), key: "\(key).dates.max")
                let levelsNode = try required(fields, "levels", in: body, key: "\(key).dates")
                guard case .sequence(let items) = levelsNode else {
                    throw error(levelsNode, key: "\(key).dates.levels", "must be a list such as [month, year]")
                }
                var levels: [HierarchyBuilder.DateLevel] = []
                for item in items {
                    let text = try string(item, key: "\(key).dates.levels")
                    let names = HierarchyBuilder.DateLevel.allCases.map(\.rawValue)
                    guard let level = HierarchyBuilder.DateLevel(rawValue: text) else {
                        throw error(item, key: "\(key).dates.levels", "\"\(SafeText.name(text))\" is not a date level; use \(names.joined(separator: ", "))\(hint(text, names))")
                    }
                    levels.append(level)
                }
                return (try HierarchyBuilder.dates(min: min, max: max, levels: levels), "dates \(SafeText.name(min))...\(SafeText.name(max)) by \(levels.map(\.rawValue))")
            }
        } catch let e as HierarchyError {
            throw error(node, key: key, e.description)
        } catch let e as PolicyError {
            throw e
        } catch {
            throw self.error(node, key: key, "\(error)")
        }
    }
}
