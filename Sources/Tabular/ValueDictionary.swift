/// Maps the bytes of a field to the integer code of a known value, without building a `String`.
///
/// A quasi-identifier's dictionary is filled from its hierarchy's raw values, so a value that is not
/// in the dictionary is a value missing from the hierarchy: the run must stop rather than guess.
public struct ValueDictionary: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = []      // entry i occupies arena[offsets[i]..<offsets[i + 1]]
    private var slots: [Int32]           // entry index, or -1 for an empty slot
    private var mask: Int

    public init(values: [String]) {
        var size = 16
        while size < values.count * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        offsets = [0]
        for v in values { _ = insert(v) }
    }

    public var count: Int { offsets.count - 1 }

    /// The value of `code`, as text.
    public func value(_ code: UInt32) -> String {
        String(decoding: arena[offsets[Int(code)]..<offsets[Int(code) + 1]], as: UTF8.self)
    }

    /// Adds `value` if absent; returns its code.
    @discardableResult
    public mutating func insert(_ value: String) -> UInt32 {
        var copy = value
        return copy.withUTF8 { insert($0) }
    }

    /// Adds the value with exactly these bytes, which need not be UTF-8, if absent; returns its code.
    @discardableResult
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        if let code = code(of: bytes) { return code }
        if (count + 1) * 2 > slots.count { grow() }
        let code = UInt32(count)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        place(Int32(code), hash: ByteHash.hash(bytes))
        return code
    }

    /// The code of `bytes`, or `nil` if the value is unknown.
    @inlinable
    public func code(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        lookup(bytes, hash: ByteHash.hash(bytes))
    }

    @usableFromInline
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> UInt32? {
        var slot = Int(truncatingIfNeeded: ByteHash.finish(hash)) & mask
        // One buffer access per table for the whole probe: indexing the arrays in the loop costs a
        // retain and release of each buffer per step when the call is not inlined.
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                offsets.withUnsafeBufferPointer { offsets in
                    while true {
                        let entry = Int(slots[slot])
                        if entry < 0 { return nil }
                        let start = offsets[entry]
                        let length = offsets[entry + 1] - start
                        if length == bytes.count
                            && (length == 0 || memcmpBytes(arena.baseAddress! + start, bytes.baseAddress!, length)) {
                            return UInt32(entry)
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    private mutating func place(_ entry: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: ByteHash.finish(hash)) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for e in 0..<count {
            let h = arena.withUnsafeBufferPointer {
                ByteHash.hash(UnsafeBufferPointer(rebasing: $0[offsets[e]..<offsets[e + 1]]))
            }
            place(Int32(e), hash: h)
        }
    }
}

@usableFromInline @inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
