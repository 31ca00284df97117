import Crypto
import PolicyFile

/// Publishes one pseudonymised column: the lower-case hexadecimal HMAC-SHA-256, under the
/// attribute's own sub-key, of the value's normal form (``PseudonymText/value(_:)``). An empty
/// value stays empty: a hash of nothing would link every record that lacks the value.
struct Pseudonymiser {
    private let key: SymmetricKey

    init(attribute: Policy.Attribute, keys: PseudonymKeys) {
        key = keys.pseudonym(attribute.name, scope: attribute.pseudonymScope ?? .release)
    }

    func pseudonym(_ value: String) -> String {
        let normal = PseudonymText.value(value)
        guard !normal.isEmpty else { return "" }
        let mac = HMAC<Crypto.SHA256>.authenticationCode(for: Array(normal.utf8), using: key)
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in mac {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
