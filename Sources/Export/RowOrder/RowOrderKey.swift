import Crypto

/// The two keys a published row sorts by, after its class: the class key itself, and the row's
/// place within its class.
public enum RowOrderKey {
    /// The class key: each published quasi-identifier cell, in the policy's order, as a 4-byte
    /// big-endian length and then its encoded bytes. The lengths make the key unambiguous: no two
    /// different tuples of cells give the same bytes, as a plain join could (`a;b` + `c` and `a` +
    /// `b;c`).
    public static func classKey(_ cells: [[UInt8]]) -> [UInt8] {
        var key: [UInt8] = []
        for cell in cells { append(cell, to: &key) }
        return key
    }

    @inline(__always)
    public static func append(_ cell: [UInt8], to key: inout [UInt8]) {
        let n = UInt32(cell.count)
        key.append(UInt8(truncatingIfNeeded: n >> 24))
        key.append(UInt8(truncatingIfNeeded: n >> 16))
        key.append(UInt8(truncatingIfNeeded: n >> 8))
        key.append(UInt8(truncatingIfNeeded: n))
        key.append(contentsOf: cell)
    }

    /// Used when the run has no key of its own. The order within a class is then a function of the
    /// published rows alone: anyone can recompute it from the file, and it carries nothing the rows
    /// do not already say. What matters is that it is not the input's order, which would tell a
    /// reader which rows came last (the newcomers of a later release). A run's own key makes the
    /// order unpredictable as well, which it need not be for that.
    static let domainConstant = SymmetricKey(data: Array("htdx/row-order/v1: rows of a class ordered by HMAC of their bytes".utf8))
}

/// The place of a row within its class: the first 8 bytes, big-endian, of HMAC-SHA-256(key, row).
///
/// swift-crypto's `HMAC<SHA256>` keyed once and copied per row: keying it per row would hash both
/// padded keys again for every record.
struct RowOrderHash {
    private let keyed: HMAC<Crypto.SHA256>

    init(key: SymmetricKey?) {
        keyed = HMAC<Crypto.SHA256>(key: key ?? RowOrderKey.domainConstant)
    }

    func callAsFunction(_ row: UnsafeRawBufferPointer) -> UInt64 {
        var hmac = keyed
        hmac.update(data: row)
        return hmac.finalize().withUnsafeBytes { code in
            var value: UInt64 = 0
            for i in 0..<8 { value = value << 8 | UInt64(code[i]) }
            return value
        }
    }

    /// The code computed in one call, for the test that keying once and copying changes nothing.
    static func reference(key: SymmetricKey?, _ row: [UInt8]) -> UInt64 {
        let code = HMAC<Crypto.SHA256>.authenticationCode(for: row, using: key ?? RowOrderKey.domainConstant)
        return code.withUnsafeBytes { code in
            var value: UInt64 = 0
            for i in 0..<8 { value = value << 8 | UInt64(code[i]) }
            return value
        }
    }
}

extension RowOrderKey {
    /// A key of `count` bytes 1, 2, 3, …, for tests (which do not import Crypto).
    static func testKey(count: Int) -> SymmetricKey {
        SymmetricKey(data: (0..<count).map { UInt8(truncatingIfNeeded: $0 + 1) })
    }
}
