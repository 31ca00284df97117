import Anonymize
import Tabular
import Yams

/// The policy keys of keyed pseudonyms and duplicate persons.
extension PolicyParser {
    /// `scope:` of an attribute: only a pseudonymised one has it, and it defaults to one release.
    func pseudonymScope(_ node: Node?, role: AttributeRole, key: String) throws(PolicyError) -> PseudonymScope? {
        guard let node else { return role == .pseudonymised ? .release : nil }
        guard role == .pseudonymised else {
            throw error(node, key: "\(key).scope", "only a pseudonymised attribute has a scope; this one is \(role.rawValue)")
        }
        let text = try string(node, key: "\(key).scope")
        guard let scope = PseudonymScope(rawValue: text) else {
            let names = PseudonymScope.allCases.map(\.rawValue)
            throw error(node, key: "\(key).scope", "\"\(SafeText.name(text))\" is not a scope; use release (the default: pseudonyms "
                        + "link rows within one release) or stable (they link releases, see Docs/Keys.md)\(hint(text, names))")
        }
        return scope
    }

    /// `duplicatePersons:` at the top of the policy.
    func duplicatePersons(_ node: Node) throws(PolicyError) -> DuplicatePersons {
        let text = try string(node, key: "duplicatePersons")
        guard let rule = DuplicatePersons(rawValue: text) else {
            let names = DuplicatePersons.allCases.map(\.rawValue)
            throw error(node, key: "duplicatePersons", "\"\(SafeText.name(text))\" is not a rule; use reject (the later record is "
                        + "rejected) or keepMostComplete (the record with the most published values is kept)\(hint(text, names))")
        }
        return rule
    }

    /// A rule that rewrites values cannot apply to a pseudonymised field: it is published as a
    /// hash, so a coded or folded label would be hashed and say nothing.
    func refusePseudonymised(_ attribute: Policy.Attribute, node: Node, key: String) throws(PolicyError) {
        guard attribute.role == .pseudonymised else { return }
        throw error(node, key: key, "\(SafeText.name(attribute.name)) is pseudonymised: it is published as a keyed hash, "
                    + "so this rule cannot apply to it; remove the rule, or give the field another role")
    }
}
