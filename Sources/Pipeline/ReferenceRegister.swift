import Crypto

/// The partner references seen so far in a run, to reject a record whose reference repeats
/// within its partner: k counts people, and a person sent twice would count twice.
///
/// It keeps a 128-bit keyed fingerprint of (partner, reference), the first half of an
/// HMAC-SHA-256 under a key drawn afresh for each run and never written anywhere, never the
/// reference itself, so that the references cannot be read back from the process's memory. Two
/// different references share a fingerprint with probability about n²/2¹²⁹, and a collision
/// would reject a record, never publish one.
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
    private let key = SymmetricKey(size: .bits256)
    /// The HMAC with the partner already fed in: a partner's records come in a run, and setting
    /// up the key and the prefix for each record would cost more than hashing the reference.
    private var prefixed: (partner: String, mac: HMAC<Crypto.SHA256>)?

    /// Records `reference` for `partner`; false when the partner already sent it.
    mutating func insert(partner: String, reference: String) -> Bool {
        if prefixed?.partner != partner {
            var mac = HMAC<Crypto.SHA256>(key: key)
            // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
            withUnsafeBytes(of: UInt64(partner.utf8.count).littleEndian) { mac.update(data: $0) }
            mac.update(data: Array(partner.utf8))
            prefixed = (partner, mac)
        }
        var mac = prefixed!.mac
        var reference = reference
        reference.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        let fingerprint = mac.finalize().withUnsafeBytes { raw in
            Fingerprint(high: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                        low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        return seen.insert(fingerprint).inserted
    }

}
