import Crypto
import Export
import Ingest
import PolicyFile

/// What pass 1 asks of each readable record: is it a second record of a person already seen?
/// Under `reject` the answer is found as the records come (the later one is the duplicate);
/// under `keepMostComplete` it needs every record of the person first, so ``PersonScan`` reads
/// the inputs once before pass 1 and pass 1 only looks the record's ordinal up.
struct PersonCheck {
    static let duplicate = Rejection(field: "", reason: "duplicate person", category: "duplicate person")
    static let displaced = Rejection(field: "", reason: "duplicate person (kept a more complete record)",
                                     category: "duplicate person (kept a more complete record)")

    var register: PersonRegister
    private let key: SymmetricKey
    private let policy: Policy
    private let publishedNames: [String]?
    /// True once ``PersonScan`` has decided every record.
    private(set) var decided = false

    init(rule: DuplicatePersons, keys: PseudonymKeys, policy: Policy, publishedNames: [String]?) {
        register = PersonRegister(rule: rule)
        key = keys.person
        self.policy = policy
        self.publishedNames = publishedNames
    }

    /// The same check, its decisions taken by a scan: pass 1 then only looks ordinals up.
    func decidedByScan() -> PersonCheck {
        var check = self
        check.decided = true
        return check
    }

    func matcher(input: RunInput, columns: [String]) -> PersonMatcher? {
        PersonMatcher(input: input, columns: columns, policy: policy, publishedNames: publishedNames, key: key)
    }

    /// Notes a readable record of input `matcher` (nil: its profile names no key), and returns
    /// its rejection when it is a duplicate. `completeness` is asked only under keepMostComplete.
    mutating func decide<S: RecordStream & ~Copyable>(
        _ stream: borrowing S, matcher: PersonMatcher?, partner: String, ordinal: Int
    ) throws(RunError) -> Rejection? {
        if decided { return register.displaced.contains(ordinal) ? Self.displaced : nil }
        guard let matcher else {
            register.notChecked += 1
            return nil
        }
        guard let hash = matcher.hash(stream) else {
            register.withoutKey += 1
            return nil
        }
        let completeness = register.rule == .keepMostComplete ? matcher.completeness(stream) : 0
        return try register.see(hash, partner: partner, ordinal: ordinal, completeness: completeness) ? nil : Self.duplicate
    }
}
