import Crypto
import Ingest
import PolicyFile

/// The 128-bit keyed hash of a person key: the first half of HMAC-SHA-256 under the run's person
/// sub-key. Two people share one with probability about n²/2¹²⁹; a collision would reject a
/// record as a duplicate, never publish one twice.
struct PersonHash: Hashable {
    var high: UInt64
    var low: UInt64
}

/// Reads one input's person key and the completeness of its records. Made once per input, for
/// pass 1 and for the scan before it, which must read alike.
struct PersonMatcher {
    private let nameColumns: [Int]
    private let birthColumn: Int
    private let citizenshipColumn: Int
    /// The columns of this input that the release publishes: their non-empty values make a
    /// record more complete.
    private let publishedColumns: [Int]
    private let key: SymmetricKey

    /// Nil when the input names no person key, or its columns lack one of the key's fields.
    init?(input: RunInput, columns: [String], policy: Policy, publishedNames: [String]?, key: SymmetricKey) {
        guard case .profiled(let profile) = input.kind, let person = profile.personKey else { return nil }
        guard let birth = columns.firstIndex(of: person.birthDate), let citizenship = columns.firstIndex(of: person.citizenship) else { return nil }
        let names = person.names.compactMap { columns.firstIndex(of: $0) }
        guard names.count == person.names.count else { return nil }
        nameColumns = names
        birthColumn = birth
        citizenshipColumn = citizenship
        publishedColumns = columns.indices.filter { c in
            guard let role = policy.attribute(named: columns[c])?.role, role != .identifying else { return false }
            return publishedNames?.contains(columns[c]) ?? true
        }
        self.key = key
    }

    /// The current record's person hash, or nil when a field of the key is empty or unreadable.
    func hash<S: RecordStream & ~Copyable>(_ stream: borrowing S) -> PersonHash? {
        let names = PseudonymText.names(nameColumns.map { stream.string($0) })
        guard !names.isEmpty, let birth = PseudonymText.birthDate(stream.string(birthColumn)),
              let citizenship = PseudonymText.citizenship(stream.string(citizenshipColumn)) else { return nil }
        // The unit separator cannot occur in any of the three normal forms.
        let message = Array("\(names)\u{1F}\(birth)\u{1F}\(citizenship)".utf8)
        let mac = HMAC<Crypto.SHA256>.authenticationCode(for: message, using: key)
        return mac.withUnsafeBytes { raw in
            PersonHash(high: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// How many published fields of the current record hold a value, as read.
    func completeness<S: RecordStream & ~Copyable>(_ stream: borrowing S) -> Int {
        publishedColumns.reduce(0) { count, c in count + (stream.withValue(c) { $0.isEmpty } ? 0 : 1) }
    }
}
