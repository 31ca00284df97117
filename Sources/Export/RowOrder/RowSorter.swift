import Crypto
import Foundation
import Tabular

/// Puts the published rows in an order that carries nothing: by class key (``RowOrderKey``), then
/// by a keyed hash of the row's bytes, then by the bytes themselves, never by input order.
///
/// Memory is bounded: rows are buffered up to `memoryLimit` bytes, then sorted and spilled as a run
/// to the scratch directory; ``finish(into:headerRows:holdBack:previousRelease:)`` merges the runs
/// (at most ``fanIn`` at a time) into the data file after its header rows, and removes the scratch
/// directory.
public final class RowSorter {
    /// Runs merged at once; more are merged in rounds, so that open files stay few whatever the limit.
    static let fanIn = 64

    public struct Result: Sendable, Equatable {
        /// Rows written after the header.
        public var written: Int
        /// Rows held back (``HoldBack``).
        public var heldBack: Int
        /// Each tagged row's final row number (1-based, after the header rows); a held-back row has none.
        public var rowOfTag: [Int: Int]
    }

    /// A buffered row: 24 bytes. Its class is interned, since a class has many rows; its tag, if
    /// any, is in ``tags``, since few rows have one.
    private struct Entry {
        var offset: Int
        var hash: UInt64
        var classIndex: UInt32
        var rowCount: UInt32
    }

    private let scratch: String
    private let memoryLimit: Int
    private let hash: RowOrderHash
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Tags by entry index.
    private var tags: [Int: Int] = [:]
    /// The class keys of the buffered rows, each once: their bytes, and where each starts and ends.
    private var classIndex: [[UInt8]: UInt32] = [:]
    private var classOfID: [Int: UInt32] = [:]
    private var classBytes: [UInt8] = []
    private var classBounds: [(offset: Int, count: Int)] = []
    private var runs: [String] = []
    private var scratchMade = false

    /// `scratch`: a directory of the caller's that the sorter may create and removes when done.
    /// `orderKey`: the run's key for the order within a class, if it has one (``RowOrderKey``).
    public init(scratch: String, orderKey: SymmetricKey? = nil, memoryLimit: Int = 64 << 20) {
        self.scratch = scratch
        self.memoryLimit = max(memoryLimit, 1)
        hash = RowOrderHash(key: orderKey)
    }

    deinit { removeScratch() }

    /// Adds one row: its class key (``RowOrderKey/classKey(_:)``) and its encoded bytes, ending in
    /// its line feed. `tag` (≥ 0) asks for the row's final position in ``Result/rowOfTag``.
    public func add(classKey: [UInt8], row: [UInt8], tag: Int = -1) throws(ExportError) {
        try row.withUnsafeBufferPointer { (row) throws(ExportError) in try add(classKey: classKey, row: row, tag: tag) }
    }

    /// `classID`: a number of the caller's that is the same for every row of a class key (rows
    /// of one key may have several), so that the key need not be hashed for every row.
    public func add(classKey: [UInt8], row: UnsafeBufferPointer<UInt8>, tag: Int = -1, classID: Int? = nil) throws(ExportError) {
        let h = hash(UnsafeRawBufferPointer(row))
        let c: UInt32
        if let known = classID.map({ classOfID[$0] }) ?? classIndex[classKey] {
            c = known
        } else {
            c = UInt32(classBounds.count)
            if let classID { classOfID[classID] = c } else { classIndex[classKey] = c }
            classBounds.append((classBytes.count, classKey.count))
            classBytes.append(contentsOf: classKey)
        }
        // Reserved once, so that growing the buffer does not copy it again and again.
        if arena.capacity == 0 { arena.reserveCapacity(min(memoryLimit, 1 << 26)) }
        if tag >= 0 { tags[entries.count] = tag }
        entries.append(Entry(offset: arena.count, hash: h, classIndex: c, rowCount: UInt32(row.count)))
        arena.append(contentsOf: row)
        if arena.count + entries.count * MemoryLayout<Entry>.stride + classBytes.count * 2 >= memoryLimit { try spill() }
    }

    /// Writes the sorted rows at the end of `path` (which holds the header rows), holding back what
    /// `holdBack` asks, syncs the file, and removes the scratch directory.
    public func finish(into path: String, headerRows: Int, holdBack: [[UInt8]: Int] = [:],
                       previousRelease: String? = nil) throws(ExportError) -> Result {
        defer { removeScratch() }
        if !runs.isEmpty {
            try spill()
            arena = []
            entries = []
            tags = [:]
            while runs.count > Self.fanIn { try mergeRound() }
        } else {
            sortBuffer()
        }
        var plan = try HoldBack(quotas: holdBack, previousRelease: previousRelease, headerRows: headerRows, dataPath: path)
        if plan.needsCount { try forEachRow { (row) throws(ExportError) in plan.count(row) } }
        plan.startWriting()
        let output = try DataFileAppender(path: path)
        var result = Result(written: 0, heldBack: 0, rowOfTag: [:])
        try forEachRow { (row) throws(ExportError) in
            if try plan.holds(row) {
                result.heldBack += 1
                return
            }
            try output.append(row.row)
            result.written += 1
            if row.tag >= 0 { result.rowOfTag[row.tag] = result.written }
        }
        try plan.end()
        try output.finish()
        return result
    }

    /// Sorts the buffer's entries, tags following their rows. Classes are ranked once, so that most
    /// comparisons are of two integers rather than two keys.
    private func sortBuffer() {
        var rank = [UInt32](repeating: 0, count: classBounds.count)
        classBytes.withUnsafeBufferPointer { keys in
            let order = classBounds.indices.sorted { a, b in
                SortedRow.compare(Self.slice(keys, classBounds[a]), Self.slice(keys, classBounds[b])) < 0
            }
            // Equal keys (of different class IDs) share a rank: their rows sort as one class.
            var r: UInt32 = 0
            for (i, c) in order.enumerated() {
                if i > 0, SortedRow.compare(Self.slice(keys, classBounds[order[i - 1]]), Self.slice(keys, classBounds[c])) != 0 { r += 1 }
                rank[c] = r
            }
        }
        // Most comparisons decided by one integer: the class's rank above the hash's top bits.
        // Equal integers (the same class, and hashes alike in their top bits) are then ordered in
        // full, by hash and bytes.
        let rankBits = max(1, UInt64.bitWidth - UInt64(max(rank.count, 1)).leadingZeroBitCount)
        var packed = entries.enumerated().map { i, e in
            (key: UInt64(rank[Int(e.classIndex)]) << (64 - rankBits) | e.hash >> rankBits, index: i)
        }
        packed.sort { $0.key < $1.key }
        arena.withUnsafeBufferPointer { bytes in
            entries.withUnsafeBufferPointer { entries in
                var start = 0
                while start < packed.count {
                    var end = start + 1
                    while end < packed.count && packed[end].key == packed[start].key { end += 1 }
                    if end - start > 1 {
                        packed[start..<end].sort { x, y in
                            let a = entries[x.index], b = entries[y.index]
                            if a.hash != b.hash { return a.hash < b.hash }
                            return SortedRow.compare(UnsafeBufferPointer(start: bytes.baseAddress! + a.offset, count: Int(a.rowCount)),
                                                     UnsafeBufferPointer(start: bytes.baseAddress! + b.offset, count: Int(b.rowCount))) < 0
                        }
                    }
                    start = end
                }
            }
        }
        let order = packed.map(\.index)
        let tagged = tags
        tags = [:]
        for (to, from) in order.enumerated() { if let t = tagged[from] { tags[to] = t } }
        entries = order.map { entries[$0] }
    }

    private static func slice(_ keys: UnsafeBufferPointer<UInt8>, _ bounds: (offset: Int, count: Int)) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: keys.baseAddress! + bounds.offset, count: bounds.count)
    }

    /// Entry `i` of the buffer, with its class key and tag.
    private func row(_ i: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ keys: UnsafeBufferPointer<UInt8>) -> SortedRow {
        let e = entries[i]
        return SortedRow(classKey: Self.slice(keys, classBounds[Int(e.classIndex)]),
                         row: UnsafeBufferPointer(start: bytes.baseAddress! + e.offset, count: Int(e.rowCount)), hash: e.hash,
                         tag: tags[i] ?? -1)
    }

    /// The buffer's rows in their sorted order.
    private func forEachBuffered(_ body: (SortedRow) throws(ExportError) -> Void) throws(ExportError) {
        try arena.withUnsafeBufferPointer { (bytes) throws(ExportError) in
            try classBytes.withUnsafeBufferPointer { (keys) throws(ExportError) in
                for i in entries.indices { try body(row(i, bytes, keys)) }
            }
        }
    }

    private func spill() throws(ExportError) {
        guard !entries.isEmpty else { return }
        sortBuffer()
        let writer = try RunFileWriter(path: try nextRunPath())
        try forEachBuffered { (row) throws(ExportError) in try writer.append(row) }
        try writer.finish()
        runs.append(writer.path)
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        tags = [:]
        classIndex = [:]
        classOfID = [:]
        classBytes = []
        classBounds = []
    }

    private func nextRunPath() throws(ExportError) -> String {
        if !scratchMade {
            do {
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            } catch {
                throw .io(path: scratch, message: "cannot create the sort's scratch directory: \(error.localizedDescription)")
            }
            scratchMade = true
        }
        return scratch + "/run-\(UUID().uuidString)"
    }

    /// Merges the first ``fanIn`` runs into one.
    private func mergeRound() throws(ExportError) {
        let group = Array(runs.prefix(Self.fanIn))
        let writer = try RunFileWriter(path: try nextRunPath())
        try Self.merge(group) { (row) throws(ExportError) in try writer.append(row) }
        try writer.finish()
        for path in group { unlink(path) }
        runs = Array(runs.dropFirst(Self.fanIn)) + [writer.path]
    }

    /// Every row in the final order: from the buffer when nothing was spilled, else merged from the runs.
    private func forEachRow(_ body: (SortedRow) throws(ExportError) -> Void) throws(ExportError) {
        if runs.isEmpty {
            try forEachBuffered(body)
        } else {
            try Self.merge(runs, body)
        }
    }

    private static func merge(_ paths: [String], _ body: (SortedRow) throws(ExportError) -> Void) throws(ExportError) {
        var readers: [RunFileReader] = []
        for path in paths {
            let reader = try RunFileReader(path: path)
            if try reader.next() { readers.append(reader) }
        }
        // A linear scan for the smallest head: the runs are few (at most ``fanIn``).
        while !readers.isEmpty {
            var best = 0
            for i in 1..<readers.count {
                let smaller = try readers[i].withRow { (a) throws(ExportError) in try readers[best].withRow { (b) throws(ExportError) in SortedRow.precedes(a, b) } }
                if smaller { best = i }
            }
            try readers[best].withRow(body)
            if try !readers[best].next() { readers.remove(at: best) }
        }
    }

    private func removeScratch() {
        guard scratchMade else { return }
        try? FileManager.default.removeItem(atPath: scratch)
        scratchMade = false
        runs = []
    }
}
