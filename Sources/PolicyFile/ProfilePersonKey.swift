import Ingest
import Tabular
import Yams

extension ProfileParser {
    /// `personKey: {names: [FIELD, …], birthDate: FIELD, citizenship: FIELD}`: canonical fields
    /// this profile fills, so that every partner's key is made of the same canonical values.
    func personKey(_ node: Node, filled: Set<String>) throws(PolicyError) -> PersonKeyFields {
        let key = "personKey"
        let fields = try mapping(node, key: key, allowed: ["names", "birthDate", "citizenship"])
        let namesNode = try required(fields, "names", in: node, key: key)
        guard case .sequence(let items) = namesNode, !items.isEmpty else {
            throw error(namesNode, key: "\(key).names", "must be a list of canonical name fields, such as [prs_FirstName, prs_SecondName]")
        }
        var names: [String] = []
        for item in items {
            let name = try string(item, key: "\(key).names")
            guard !names.contains(name) else { throw error(item, key: "\(key).names", "names \(SafeText.name(name)) twice") }
            names.append(name)
        }
        let birthDate = try string(try required(fields, "birthDate", in: node, key: key), key: "\(key).birthDate")
        let citizenship = try string(try required(fields, "citizenship", in: node, key: key), key: "\(key).citizenship")
        let person = PersonKeyFields(names: names, birthDate: birthDate, citizenship: citizenship)
        // A field the profile does not fill would leave every record without a key, silently.
        for field in person.all where !filled.contains(field) {
            throw error(node, key: key, "uses \(SafeText.name(field)), which this profile does not fill under fields")
        }
        return person
    }
}
