import Export
import Foundation
import PolicyFile
import TableProtection

/// The open-access aggregates a job asks for, counted from the records accepted after the rules
/// (excluded records never count; records that k-anonymity suppresses do), then protected by
/// their own rules and written into the release's `aggregates/` directory.
///
/// Memory follows the number of distinct combinations and cells, never the number of records.
final class AggregateBuilder {
    /// Every attribute some aggregate reads, in a fixed order: what ``add(_:)`` takes.
    let attributes: [String]
    private var entries: [Entry] = []
    /// The most cells, margins included, a declared table may have (see ``publish(_:spec:threshold:into:guard:)``).
    static let largestTable = 4_000

    /// Aggregate file → cell key → the value published (`nil` withheld or suppressed); the key is
    /// documented at ``Export/PublishedCells``.
    typealias PublishedCells = Export.PublishedCells

    struct Written {
        var manifest: [Manifest.Aggregate]
        var description: [ReleaseDescription.Table]
        var report: [Report.Aggregate]
        /// What was published, exactly as ``publishedCells(inRelease:)`` reads it back.
        var cells: PublishedCells = [:]
        /// Cells withheld or suppressed because they differed from an earlier release by 1 to k − 1.
        var cellsGuarded = 0
    }

    /// One aggregate, known only as an ``Aggregate`` while records are counted.
    private struct Entry {
        /// Where its attributes sit in ``AggregateBuilder/attributes``.
        let columns: [Int]
        /// Its values of the current record, filled in place: no array per record.
        var values: [String]
        let add: ([String]) throws(AggregateError) -> Void
        /// Protects, writes and describes it under a release directory, guarded against earlier releases.
        let publish: (String, CellGuard) throws(RunError) -> Written
    }

    /// Holds an aggregate while it counts, so that ``Entry`` can keep its concrete type.
    private final class Counting<A: Aggregate> {
        var aggregate: A
        init(_ aggregate: A) { self.aggregate = aggregate }
    }

    /// `threshold` is the cross-tabulations' default: the policy's k.
    init(combinations spec: JobDocument.Combinations?, tables specs: [JobDocument.Table], threshold: Int) throws(RunError) {
        var attributes: [String] = []
        var entries: [Entry] = []
        // A new kind of aggregate conforms to ``Aggregate`` and is added here with its publisher.
        func register<A: Aggregate>(_ aggregate: A, publish: @escaping (A, String, CellGuard) throws(RunError) -> Written) {
            let columns = aggregate.attributes.map { name in
                if let i = attributes.firstIndex(of: name) { return i }
                attributes.append(name)
                return attributes.count - 1
            }
            let counting = Counting(aggregate)
            entries.append(Entry(
                columns: columns, values: columns.map { _ in "" },
                add: { values throws(AggregateError) in try counting.aggregate.add(values) },
                publish: { directory, cellGuard throws(RunError) in try publish(counting.aggregate, directory, cellGuard) }))
        }
        do {
            if let spec {
                register(try CombinationCounts(attributes: spec.attributes, maximumLength: spec.length, resolution: spec.resolution),
                         publish: { counts, directory, cellGuard throws(RunError) in try Self.publish(counts, into: directory, guard: cellGuard) })
            }
            for spec in specs {
                let limit = spec.threshold ?? threshold
                register(try CrossTabulation(dimensions: spec.dimensions),
                         publish: { tab, directory, cellGuard throws(RunError) in
                             try Self.publish(tab, spec: spec, threshold: limit, into: directory, guard: cellGuard)
                         })
            }
        } catch {
            throw .configuration("aggregates: \(error.description)")
        }
        self.attributes = attributes
        self.entries = entries
    }

    /// Counts one accepted record; `values` follow ``attributes``, "" for a missing value.
    func add(_ values: [String]) throws(RunError) {
        do {
            for e in entries.indices {
                for (j, c) in entries[e].columns.enumerated() { entries[e].values[j] = values[c] }
                try entries[e].add(entries[e].values)
            }
        } catch {
            throw .internalError("aggregates: \(error.description)")
        }
    }

    /// Protects and writes every aggregate under `directory/aggregates/`, alone.
    func write(into directory: String) throws(RunError) -> Written {
        try write(into: directory, guarding: [], k: 1)
    }

    /// Protects and writes every aggregate under `directory/aggregates/` so that no published cell
    /// differs from the same cell of any of the `earlier` releases by 1 to k − 1: such a cell of
    /// the combinations is withheld, such a cell of a table suppressed, and the table's secondary
    /// suppression and audit run again.
    func write(into directory: String, guarding earlier: [PublishedCells], k: Int) throws(RunError) -> Written {
        try write(into: directory, guard: CellGuard(earlier: earlier, k: k))
    }

    /// The same with the comparison given: tests check the guard against their own.
    func write(into directory: String, guard cellGuard: CellGuard) throws(RunError) -> Written {
        var written = Written(manifest: [], description: [], report: [])
        let folder = directory + "/aggregates"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .internalError("cannot create \(folder): \(error.localizedDescription)")
        }
        for entry in entries {
            let one = try entry.publish(directory, cellGuard)
            written.manifest += one.manifest
            written.description += one.description
            written.report += one.report
            written.cells.merge(one.cells) { _, new in new }
            written.cellsGuarded += one.cellsGuarded
        }
        return written
    }

    /// A published release's aggregate cells, read back from its files alone (through its manifest).
    static func publishedCells(inRelease directory: String) throws(RunError) -> PublishedCells {
        do { return try AggregateCells.publishedCells(inRelease: directory) } catch { throw .inputData(error.description) }
    }

    /// `aggregates/combinations.csv`: the counts rounded down to the resolution, and with an empty
    /// count the combinations the guard withholds.
    private static func publish(_ combinations: CombinationCounts, into directory: String, guard cellGuard: CellGuard) throws(RunError) -> Written {
        let file = "aggregates/combinations.csv"
        var written = Written(manifest: [], description: [], report: [])
        let rows = combinations.publishedRows()
        let withheld = try withheldCombinations(rows, of: combinations, file: file, guard: cellGuard)
        do { try CombinationsFile.write(rows, withholding: withheld, toPath: directory + "/" + file) } catch { throw .internalError(error.description) }
        Crash.point()
        var cells: [String: Int?] = [:]
        for r in rows { cells.updateValue(r.count, forKey: AggregateCells.key(combination: r.combination)) }
        for label in withheld { cells.updateValue(nil, forKey: AggregateCells.key(combination: label)) }
        written.cells[file] = cells
        written.cellsGuarded = withheld.count
        let withheldNote = withheld.isEmpty ? ""
            : "A combination whose count differs from an earlier release's by 1 to \(cellGuard.k - 1) is withheld: listed with an empty count. "
        written.manifest.append(.init(file: file, kind: .combinations, attributes: combinations.attributes,
                                      resolution: combinations.resolution, maxLength: combinations.maximumLength))
        written.description.append(.init(
            path: "aggregates/combinations.csv", title: "counts of every combination of up to \(combinations.maximumLength) attributes",
            protection: "Each count is rounded down to a multiple of \(combinations.resolution); combinations that round to 0 are left out. "
                + withheldNote + "Counted from the records accepted after the policy's rules, before k-anonymity's suppression.",
            delimiter: ",",
            columns: [
                .init(name: "combination", role: "key", meaning: "attribute:value pairs joined by ; in attribute order, with %, : and ; percent-escaped",
                      derivation: ["attributes: " + combinations.attributes.joined(separator: ", ")]),
                .init(name: "length", role: "key", meaning: "the number of attributes in the combination", type: "integer"),
                .init(name: "count", role: "count", meaning: "records with that combination, rounded down to a multiple of \(combinations.resolution)"
                      + (withheld.isEmpty ? "" : "; empty where withheld"), type: "integer"),
            ]))
        written.report.append(.init(file: file, rows: cells.count, suppressedCells: withheld.isEmpty ? nil : withheld.count))
        return written
    }

    /// The labels of the combinations to withhold. Withholding one changes no other, so one round
    /// settles it; the loop does not rely on that.
    private static func withheldCombinations(_ rows: [CombinationCounts.Row], of combinations: CombinationCounts, file: String,
                                             guard cellGuard: CellGuard) throws(RunError) -> Set<String> {
        guard cellGuard.isActive else { return [] }
        var cells: [String: Int?] = [:]
        for r in rows { cells.updateValue(r.count, forKey: AggregateCells.key(combination: r.combination)) }
        var withheld: Set<String> = []
        while case let offending = cellGuard.offending(in: file, cells), !offending.isEmpty {
            for key in offending {
                cells.updateValue(nil, forKey: key)
                withheld.insert(AggregateCells.combination(key: key))
            }
        }
        // A combination an earlier release published that this one does not count at all (its
        // attributes or length changed) cannot be listed, and leaving it out would publish 0.
        let order = Dictionary(uniqueKeysWithValues: combinations.attributes.enumerated().map { ($1, $0) })
        let unlisted = withheld.filter { label in
            guard let pairs = CombinationLabel.split(label), pairs.count <= combinations.maximumLength else { return true }
            let positions = pairs.map { order[$0.attribute] ?? -1 }
            return positions.contains(-1) || zip(positions, positions.dropFirst()).contains { $0 >= $1 }
        }
        guard unlisted.isEmpty else {
            throw .privacy("\(file): \(unlisted.count) combinations an earlier release published are no longer counted (the "
                + "combinations' attributes or length changed), and publishing none would differ from it by 1 to \(cellGuard.k - 1). "
                + "Count the attributes and length the earlier releases counted. Nothing was published.")
        }
        return withheld
    }

    /// `aggregates/NAME.csv`: the table with its margins, cells below `limit` suppressed and audited.
    private static func publish(_ tab: CrossTabulation, spec: JobDocument.Table, threshold limit: Int, into directory: String,
                                guard cellGuard: CellGuard) throws(RunError) -> Written {
        var written = Written(manifest: [], description: [], report: [])
        let counts = tab.counts()
        let cells = counts.shape.cellCount
        // The audit's dense simplex grows with the square of the suppressed cells: a table far
        // beyond this size would run for minutes and use gigabytes before it could publish.
        guard cells <= Self.largestTable else {
            throw .configuration("aggregates/\(spec.name).csv would have \(cells) cells with its margins; the suppression audit "
                + "handles tables of up to \(Self.largestTable). Drop a dimension, or generalise one (a derived column with fewer values).")
        }
        let file = "aggregates/\(spec.name).csv"
        let (published, guarded) = try protect(counts, threshold: limit, file: file, guard: cellGuard)
        do { try published.write(toPath: directory + "/" + file) } catch { throw .internalError(error.description) }
        Crash.point()
        written.cells[file] = AggregateCells.cells(of: published)
        written.cellsGuarded = guarded
        let guardedNote = guarded == 0 ? ""
            : "Cells whose count differs from an earlier release's by 1 to \(cellGuard.k - 1) are suppressed too, each so that it "
                + "cannot be narrowed to less than \(limit) wide. "
        written.manifest.append(.init(file: file, kind: .crossTabulation, attributes: spec.dimensions, threshold: limit))
        written.description.append(.init(
            path: file, title: "cross-tabulation of " + spec.dimensions.joined(separator: " × ") + ", with margins",
            protection: "Cells from 1 to \(limit - 1) are suppressed (left empty), and further cells so that no suppressed cell can be "
                + "narrowed to less than \(limit) wide from the margins and the other cells. "
                + guardedNote + "Records missing a dimension are not counted.",
            delimiter: ",",
            columns: spec.dimensions.map { .init(name: $0, role: "dimension", meaning: "a value of \($0); empty in a margin row") }
                + [.init(name: PublishedTable.marginColumn, role: "key", meaning: "the dimensions summed over in this row, joined by ;; empty for an interior cell"),
                   .init(name: PublishedTable.countColumn, role: "count", meaning: "records; empty where suppressed", type: "integer")]))
        written.report.append(.init(file: file, rows: published.shape.cellCount,
                                    suppressedCells: published.summary.map { $0.primary + $0.secondary }))
        return written
    }

    /// The table protected, with the cells that offend an earlier release suppressed as primary
    /// cells, and how many those are. A published cell's value is its true count, so whether it
    /// offends depends on it alone; but a new round of secondary suppression may publish a cell
    /// the last round suppressed, so this repeats until no published cell offends. Each round
    /// suppresses at least one more cell, so it ends.
    private static func protect(_ counts: TableCounts, threshold limit: Int, file: String,
                                guard cellGuard: CellGuard) throws(RunError) -> (PublishedTable, Int) {
        var guarded: Set<Int> = []
        while true {
            let published: PublishedTable
            do {
                published = try CellSuppression(policy: .init(threshold: limit)).protect(counts, alsoSuppressing: guarded)
            } catch {
                throw .privacy("\(file): \(error.description) Nothing was published.")
            }
            guard cellGuard.isActive else { return (published, 0) }
            let offending = cellGuard.offending(in: file, AggregateCells.cells(of: published))
            if offending.isEmpty { return (published, guarded.count) }
            var index: [String: Int] = [:]
            for cell in 0..<published.shape.cellCount { index[AggregateCells.key(published, cell: cell)] = cell }
            // Zeros are published (a suppressed cell is known to be at least 1), and a cell no longer
            // in the table cannot be suppressed: an earlier table with a lower threshold can cause either.
            let cells = offending.compactMap { index[$0] }.filter { counts.cells[$0] > 0 }
            guard cells.count == offending.count else {
                throw .privacy("\(file): \(offending.count - cells.count) cells differ from an earlier release's by 1 to "
                    + "\(cellGuard.k - 1) but are 0 or absent now, and cannot be suppressed. Keep the earlier releases' threshold "
                    + "and dimensions for this table. Nothing was published.")
            }
            guarded.formUnion(cells)
        }
    }
}
