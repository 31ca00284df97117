import Crypto

/// SHA-256 as hexadecimal text, for the hashes a report and a manifest carry: swift-crypto's,
/// which is vetted code, behind the small interface the rest of htdx uses.
///
/// The type keeps its name: inside this module it shadows `Crypto.SHA256`, and no module that
/// uses it imports Crypto.
public struct SHA256 {
    private var digest = Crypto.SHA256()

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let hashed: Void? = bytes.withContiguousStorageIfAvailable { digest.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(bytes).withUnsafeBytes { digest.update(bufferPointer: $0) } }
    }

    /// The digest as 64 lower-case hexadecimal digits.
    public mutating func finalize() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest.finalize() {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        digest = Crypto.SHA256()
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
