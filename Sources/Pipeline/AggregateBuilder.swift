import Export
import Foundation
import PolicyFile

/// The open-access aggregates a job asks for, counted from the records accepted after the rules
/// (excluded records never count; records that k-anonymity suppresses do), then protected by
/// their own rules and written into the release's `aggregates/` directory.
///
/// Memory follows the number of distinct combinations and cells, never the number of records.
final class AggregateBuilder {
    /// Every attribute some aggregate reads, in a fixed order: what ``add(_:)`` takes.
    let attributes: [String]
    private var combinations: CombinationCounts?
    private var combinationColumns: [Int] = []
    private var tables: [(spec: JobDocument.Table, tab: CrossTabulation, columns: [Int])] = []
    private let threshold: Int
    // Each aggregate's values of the current record, filled in place: no array per record.
    private var combinationValues: [String] = []
    private var tableValues: [[String]] = []
    /// The most cells, margins included, a declared table may have (see ``write(into:)``).
    static let largestTable = 4_000

    /// `threshold` is the cross-tabulations' default: the policy's k.
    init(combinations spec: JobDocument.Combinations?, tables specs: [JobDocument.Table], threshold: Int) throws(RunError) {
        var attributes: [String] = []
        func columns(_ names: [String]) -> [Int] {
            names.map { name in
                if let i = attributes.firstIndex(of: name) { return i }
                attributes.append(name)
                return attributes.count - 1
            }
        }
        do {
            if let spec {
                combinations = try CombinationCounts(attributes: spec.attributes, maximumLength: spec.length, resolution: spec.resolution)
                combinationColumns = columns(spec.attributes)
            }
            for spec in specs {
                tables.append((spec, try CrossTabulation(dimensions: spec.dimensions), columns(spec.dimensions)))
            }
        } catch {
            throw .configuration("aggregates: \(error.description)")
        }
        self.attributes = attributes
        self.threshold = threshold
        combinationValues = combinationColumns.map { _ in "" }
        tableValues = tables.map { $0.columns.map { _ in "" } }
    }

    /// Counts one accepted record; `values` follow ``attributes``, "" for a missing value.
    func add(_ values: [String]) throws(RunError) {
        do {
            if combinations != nil {
                for (j, c) in combinationColumns.enumerated() { combinationValues[j] = values[c] }
                try combinations!.add(combinationValues)
            }
            for t in tables.indices {
                for (j, c) in tables[t].columns.enumerated() { tableValues[t][j] = values[c] }
                try tables[t].tab.add(tableValues[t])
            }
        } catch {
            throw .internalError("aggregates: \(error.description)")
        }
    }

    struct Written {
        var manifest: [Manifest.Aggregate]
        var description: [ReleaseDescription.Table]
        var report: [Report.Aggregate]
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
        if let combinations {
            let rows = combinations.publishedRows()
            do { try CombinationsFile.write(rows, toPath: folder + "/combinations.csv") } catch { throw .internalError(error.description) }
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
        }
        for (spec, tab, _) in tables {
            let limit = spec.threshold ?? threshold
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
        }
        return written
    }
}
