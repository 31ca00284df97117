import Crypto
import Tabular

/// Which rows the sorter holds back at the merge: per class, the quota the differencing guard
/// asks for, taken from the class's newcomers first (in merge order), then from its rows that the
/// previous release already published.
///
/// A row is old when its exact bytes occur in the previous release's data file, counted as a
/// multiset (two identical rows there make two identical rows here old). Identical bytes mean the
/// same class, so matching by bytes matches within the class. The previous file is held as a
/// 16-byte SHA-256 prefix per record and its count (a dictionary entry per distinct previous
/// row, some 40 bytes), never the rows themselves; a collision of 128-bit prefixes among a few
/// million rows is out of reach.
///
/// Knowing how many newcomers a class has takes a look ahead, so with a previous release the
/// sorter reads its rows twice: once to count (``count(_:)``), once to write (``holds(_:)``).
struct HoldBack {
    private struct Fingerprint: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private let quotas: [[UInt8]: Int]
    private let previous: [Fingerprint: Int]?
    private var remaining: [Fingerprint: Int] = [:]
    private var newcomers: [[UInt8]: Int] = [:]
    private var current: [UInt8]?
    private var quota = 0
    private var newLimit = 0
    private var heldNew = 0
    private var heldOld = 0
    private var seen = 0
    private let dataPath: String

    init(quotas: [[UInt8]: Int], previousRelease: String?, headerRows: Int, dataPath: String) throws(ExportError) {
        self.quotas = quotas.filter { $0.value > 0 }
        self.dataPath = dataPath
        if let previousRelease, !self.quotas.isEmpty {
            previous = try Self.fingerprints(previousRelease, headerRows: headerRows, matching: dataPath)
        } else {
            previous = nil
        }
        remaining = previous ?? [:]
    }

    var needsCount: Bool { previous != nil }

    /// The counting pass: each held class's newcomers.
    mutating func count(_ row: SortedRow) {
        guard enter(row.classKey) else { return }
        if !isOld(row.row) { newcomers[current!, default: 0] += 1 }
    }

    mutating func startWriting() {
        remaining = previous ?? [:]
        current = nil
        quota = 0
        seen = 0
    }

    /// The writing pass: whether `row` is held back.
    mutating func holds(_ row: SortedRow) throws(ExportError) -> Bool {
        if quotas.isEmpty { return false }
        let changed = current.map { SortedRow.compare($0.withUnsafeBufferPointer { $0 }, row.classKey) != 0 } ?? true
        if changed {
            try endClass()
            _ = enter(row.classKey)
            // Without a previous release every row is a newcomer.
            newLimit = previous == nil ? quota : min(quota, newcomers[current!] ?? 0)
            heldNew = 0
            heldOld = 0
        }
        guard quota > 0 else { return false }
        if isOld(row.row) {
            guard heldOld < quota - newLimit else { return false }
            heldOld += 1
        } else {
            guard heldNew < newLimit else { return false }
            heldNew += 1
        }
        return true
    }

    /// Checks the last class, and that every class with a quota was met.
    mutating func end() throws(ExportError) {
        try endClass()
        guard seen == quotas.count else {
            throw .io(path: dataPath, message: "internal error: \(quotas.count - seen) class(es) the differencing guard "
                + "asked to hold back records of have no published rows; nothing was published")
        }
    }

    private mutating func endClass() throws(ExportError) {
        guard current != nil, quota > 0 else { return }
        guard heldNew + heldOld == quota else {
            throw .io(path: dataPath, message: "internal error: the differencing guard asked to hold back \(quota) records "
                + "of a class that has only \(heldNew + heldOld); nothing was published")
        }
    }

    /// Notes a change of class; true when the row's class has a quota.
    private mutating func enter(_ classKey: UnsafeBufferPointer<UInt8>) -> Bool {
        if let c = current, SortedRow.compare(c.withUnsafeBufferPointer { $0 }, classKey) == 0 { return quota > 0 }
        current = Array(classKey)
        quota = quotas[current!] ?? 0
        if quota > 0 { seen += 1 }
        return quota > 0
    }

    private mutating func isOld(_ row: UnsafeBufferPointer<UInt8>) -> Bool {
        guard previous != nil else { return false }
        let print = Self.fingerprint(row)
        guard let n = remaining[print], n > 0 else { return false }
        remaining[print] = n - 1
        return true
    }

    private static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> Fingerprint {
        Crypto.SHA256.hash(data: UnsafeRawBufferPointer(bytes)).withUnsafeBytes {
            Fingerprint(high: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), low: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// The previous release's rows as a multiset of fingerprints, after checking that its header
    /// rows are the new file's, byte for byte.
    private static func fingerprints(_ path: String, headerRows: Int, matching dataPath: String) throws(ExportError) -> [Fingerprint: Int] {
        var header: [[UInt8]] = []
        try RawRecords.forEach(dataPath) { record in
            header.append(Array(record))
            return header.count < headerRows
        }
        var prints: [Fingerprint: Int] = [:]
        var line = 0
        var mismatch = false
        try RawRecords.forEach(path) { record in
            line += 1
            if line <= headerRows {
                if line > header.count || !record.elementsEqual(header[line - 1]) { mismatch = true }
                return !mismatch
            }
            prints[fingerprint(record), default: 0] += 1
            return true
        }
        if mismatch {
            throw .io(path: path, message: "the previous release's header differs from this release's: give the data file of "
                + "the previous release of the same layout")
        }
        return prints
    }
}
