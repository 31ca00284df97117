import Export
import Foundation
import TestSupport
import Testing

/// The hashes in reports and manifests: the FIPS 180-4 test vectors, fed whole and in pieces,
/// so that a release hashed by any htdx verifies with any other.
@Suite struct SHA256Tests {
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    @Test func knownVectors() {
        for (message, digest) in Self.vectors {
            #expect(SHA256.hex(Array(message.utf8)) == digest, "\(message)")
            #expect(SHA256.hex(Data(message.utf8)) == digest, "\(message)")
        }
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Pieces of any size, contiguous or not, give the digest of the whole.
    @Test func streamingInPiecesGivesTheSameDigest() {
        var rng = SplitMix64(seed: 7)
        let whole = (0..<5_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let expected = SHA256.hex(whole)
        for _ in 0..<20 {
            var hasher = SHA256()
            var i = 0
            while i < whole.count {
                let n = min(Int(rng.next() % 130), whole.count - i)
                if rng.next() % 2 == 0 {
                    hasher.update(whole[i..<i + n])
                } else {
                    hasher.update(whole[i..<i + n].lazy.map { $0 })  // not contiguous
                }
                i += n
            }
            #expect(hasher.finalize() == expected)
        }
    }
}
