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

    private struct Entry {
        var offset: Int
        var classCount: Int32
        var rowCount: Int32
        var hash: UInt64
        var tag: Int
    }

    private let scratch: String
    private let memoryLimit: Int
    private let hash: RowOrderHash
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
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
        let h = row.withUnsafeBytes { hash($0) }
        entries.append(Entry(offset: arena.count, classCount: Int32(classKey.count), rowCount: Int32(row.count), hash: h, tag: tag))
        arena.append(contentsOf: classKey)
        arena.append(contentsOf: row)
        if arena.count + entries.count * MemoryLayout<Entry>.stride >= memoryLimit { try spill() }
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

    private func sortBuffer() {
        arena.withUnsafeBufferPointer { bytes in
            entries.sort { a, b in SortedRow.precedes(Self.row(a, bytes), Self.row(b, bytes)) }
        }
    }

    private static func row(_ e: Entry, _ bytes: UnsafeBufferPointer<UInt8>) -> SortedRow {
        let base = bytes.baseAddress! + e.offset
        return SortedRow(classKey: UnsafeBufferPointer(start: base, count: Int(e.classCount)),
                         row: UnsafeBufferPointer(start: base + Int(e.classCount), count: Int(e.rowCount)), hash: e.hash, tag: e.tag)
    }

    private func spill() throws(ExportError) {
        guard !entries.isEmpty else { return }
        sortBuffer()
        let writer = try RunFileWriter(path: try nextRunPath())
        try arena.withUnsafeBufferPointer { (bytes) throws(ExportError) in
            for e in entries { try writer.append(Self.row(e, bytes)) }
        }
        try writer.finish()
        runs.append(writer.path)
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
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
            try arena.withUnsafeBufferPointer { (bytes) throws(ExportError) in
                for e in entries { try body(Self.row(e, bytes)) }
            }
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
