/// The partner references seen so far in a run, to reject a record whose reference repeats
/// within its partner: k counts people, and a person sent twice would count twice.
///
/// It keeps a 128-bit keyed fingerprint of (partner, reference), never the reference itself, so
/// that the references cannot be read back from the process's memory. The key is drawn afresh
/// for each run and Swift's `Hasher` (SipHash) is itself seeded per process; two different
/// references share a fingerprint with probability about n²/2¹²⁹, and a collision would reject
/// a record, never publish one.
///
/// Memory: unlike the rest of pass 1 this set grows with the records. Each record with a
/// reference costs one 16-byte fingerprint in a hash table that Swift keeps between 3/8 and 3/4
/// full, so 22 to 43 bytes per record (about 43 MB for a million records at worst), freed when
/// pass 1 ends.
struct ReferenceRegister {
    private struct Fingerprint: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private var seen = Set<Fingerprint>()
    private let key: (UInt64, UInt64)

    init() {
        var random = SystemRandomNumberGenerator()
        key = (random.next(), random.next())
    }

    /// Records `reference` for `partner`; false when the partner already sent it.
    mutating func insert(partner: String, reference: String) -> Bool {
        seen.insert(Fingerprint(high: lane(0, partner, reference), low: lane(1, partner, reference))).inserted
    }

    var count: Int { seen.count }

    private func lane(_ index: UInt8, _ partner: String, _ reference: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(index)
        hasher.combine(key.0)
        hasher.combine(key.1)
        // Length-prefixed by `combine(String)`, so that ("ab", "c") and ("a", "bc") differ.
        hasher.combine(partner)
        hasher.combine(reference)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }
}
