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
    /// The most cells, margins included, a declared table may have (see ``publish(_:spec:threshold:into:)``).
    static let largestTable = 4_000

    struct Written {
        var manifest: [Manifest.Aggregate]
        var description: [ReleaseDescription.Table]
        var report: [Report.Aggregate]
    }

    /// One aggregate, known only as an ``Aggregate`` while records are counted.
    private struct Entry {
        /// Where its attributes sit in ``AggregateBuilder/attributes``.
        let columns: [Int]
        /// Its values of the current record, filled in place: no array per record.
        var values: [String]
        let add: ([String]) throws(AggregateError) -> Void
        /// Protects, writes and describes it under a release directory.
        let publish: (String) throws(RunError) -> Written
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
        func register<A: Aggregate>(_ aggregate: A, publish: @escaping (A, String) throws(RunError) -> Written) {
            let columns = aggregate.attributes.map { name in
                if let i = attributes.firstIndex(of: name) { return i }
                attributes.append(name)
                return attributes.count - 1
            }
            let counting = Counting(aggregate)
            entries.append(Entry(
                columns: columns, values: columns.map { _ in "" },
                add: { values throws(AggregateError) in try counting.aggregate.add(values) },
                publish: { directory throws(RunError) in try publish(counting.aggregate, directory) }))
        }
        do {
            if let spec {
                register(try CombinationCounts(attributes: spec.attributes, maximumLength: spec.length, resolution: spec.resolution),
                         publish: { counts, directory throws(RunError) in try Self.publish(counts, into: directory) })
            }
            for spec in specs {
                let limit = spec.threshold ?? threshold
                register(try CrossTabulation(dimensions: spec.dimensions),
                         publish: { tab, directory throws(RunError) in try Self.publish(tab, spec: spec, threshold: limit, into: directory) })
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

    /// Protects and writes every aggregate under `directory/aggregates/`.
    func write(into directory: String) throws(RunError) -> Written {
        var written = Written(manifest: [], description: [], report: [])
        let folder = directory + "/aggregates"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .internalError("cannot create \(folder): \(error.localizedDescription)")
        }
        for entry in entries {
            let one = try entry.publish(directory)
            written.manifest += one.manifest
            written.description += one.description
            written.report += one.report
        }
        return written
    }

    /// `aggregates/combinations.csv`: the counts rounded down to the resolution.
    private static func publish(_ combinations: CombinationCounts, into directory: String) throws(RunError) -> Written {
        var written = Written(manifest: [], description: [], report: [])
        let rows = combinations.publishedRows()
        do { try CombinationsFile.write(rows, toPath: directory + "/aggregates/combinations.csv") } catch { throw .internalError(error.description) }
        Crash.point()
        written.manifest.append(.init(file: "aggregates/combinations.csv", kind: .combinations, attributes: combinations.attributes,
                                      resolution: combinations.resolution, maxLength: combinations.maximumLength))
        written.description.append(.init(
            path: "aggregates/combinations.csv", title: "counts of every combination of up to \(combinations.maximumLength) attributes",
            protection: "Each count is rounded down to a multiple of \(combinations.resolution); combinations that round to 0 are left out. "
                + "Counted from the records accepted after the policy's rules, before k-anonymity's suppression.",
            delimiter: ",",
            columns: [
                .init(name: "combination", role: "key", meaning: "attribute:value pairs joined by ; in attribute order, with %, : and ; percent-escaped",
                      derivation: ["attributes: " + combinations.attributes.joined(separator: ", ")]),
                .init(name: "length", role: "key", meaning: "the number of attributes in the combination", type: "integer"),
                .init(name: "count", role: "count", meaning: "records with that combination, rounded down to a multiple of \(combinations.resolution)",
                      type: "integer"),
            ]))
        written.report.append(.init(file: "aggregates/combinations.csv", rows: rows.count, suppressedCells: nil))
        return written
    }

    /// `aggregates/NAME.csv`: the table with its margins, cells below `limit` suppressed and audited.
    private static func publish(_ tab: CrossTabulation, spec: JobDocument.Table, threshold limit: Int, into directory: String) throws(RunError) -> Written {
        var written = Written(manifest: [], description: [], report: [])
        let counts = tab.counts()
        let cells = counts.shape.cellCount
        // The audit's dense simplex grows with the square of the suppressed cells: a table far
        // beyond this size would run for minutes and use gigabytes before it could publish.
        guard cells <= Self.largestTable else {
            throw .configuration("aggregates/\(spec.name).csv would have \(cells) cells with its margins; the suppression audit "
                + "handles tables of up to \(Self.largestTable). Drop a dimension, or generalise one (a derived column with fewer values).")
        }
        let published: PublishedTable
        do {
            published = try CellSuppression(policy: .init(threshold: limit)).protect(counts)
        } catch {
            throw .privacy("aggregates/\(spec.name).csv: \(error.description) Nothing was published.")
        }
        let file = "aggregates/\(spec.name).csv"
        do { try published.write(toPath: directory + "/" + file) } catch { throw .internalError(error.description) }
        Crash.point()
        written.manifest.append(.init(file: file, kind: .crossTabulation, attributes: spec.dimensions, threshold: limit))
        written.description.append(.init(
            path: file, title: "cross-tabulation of " + spec.dimensions.joined(separator: " × ") + ", with margins",
            protection: "Cells from 1 to \(limit - 1) are suppressed (left empty), and further cells so that no suppressed cell can be "
                + "narrowed to less than \(limit) wide from the margins and the other cells. Records missing a dimension are not counted.",
            delimiter: ",",
            columns: spec.dimensions.map { .init(name: $0, role: "dimension", meaning: "a value of \($0); empty in a margin row") }
                + [.init(name: PublishedTable.marginColumn, role: "key", meaning: "the dimensions summed over in this row, joined by ;; empty for an interior cell"),
                   .init(name: PublishedTable.countColumn, role: "count", meaning: "records; empty where suppressed", type: "integer")]))
        written.report.append(.init(file: file, rows: published.shape.cellCount,
                                    suppressedCells: published.summary.map { $0.primary + $0.secondary }))
        return written
    }
}
