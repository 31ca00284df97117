/// One row as the sorter hands it on, valid only during the call that receives it.
struct SortedRow {
    var classKey: UnsafeBufferPointer<UInt8>
    var row: UnsafeBufferPointer<UInt8>
    var hash: UInt64
    /// The caller's tag (``RowSorter/add(classKey:row:tag:)``), or -1.
    var tag: Int

    /// Class key, then hash, then the row's bytes: the published order.
    static func precedes(_ a: SortedRow, _ b: SortedRow) -> Bool {
        let byClass = compare(a.classKey, b.classKey)
        if byClass != 0 { return byClass < 0 }
        if a.hash != b.hash { return a.hash < b.hash }
        return compare(a.row, b.row) < 0
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
