import Anonymize
import Foundation
import TableProtection
import Tabular

/// Re-checks a published directory from its files alone, as `htdx verify DIR` and as every run
/// does before it swaps a release into place.
///
/// It trusts nothing but `manifest.json`, and checks the manifest against the files:
/// - the files are exactly those listed, each with its SHA-256 and size (a file added, changed or
///   removed after publication fails);
/// - the record-level file has every equivalence class over the named quasi-identifiers at least
///   k records, an empty cell counting as a value of its own (never as a wildcard), and as many
///   records as the accounting says were published;
/// - the accounting balances, and `report.json` agrees with it;
/// - each aggregate file obeys its rule (``AggregateRules``).
public enum ReleaseVerifier {
    public struct Findings: Sendable, Equatable {
        public var files: Int
        public var records: Int
        public var classes: Int
        public var smallestClass: Int
    }

    public static func verify(directory: String) throws(ExportError) -> Findings {
        func fail(_ file: String, _ message: String) -> ExportError { .verification(path: directory + "/" + file, message: message) }
        let manifestPath = directory + "/" + Manifest.fileName
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw fail(Manifest.fileName, "is missing or unreadable; without it nothing in the directory can be checked")
        }
        let manifest: Manifest
        do { manifest = try Manifest.decode(data) } catch {
            throw fail(Manifest.fileName, "is not a valid htdx manifest: \(error)")
        }
        guard manifest.format == "htdx-manifest/1" else {
            throw fail(Manifest.fileName, "has format \(manifest.format); this htdx reads htdx-manifest/1")
        }

        let present = try Manifest.listFiles(in: directory).filter { $0 != Manifest.fileName }
        let listed = manifest.files.keys.sorted()
        if let extra = present.first(where: { manifest.files[$0] == nil }) {
            throw fail(extra, "is not listed in the manifest; a release holds only the files it lists")
        }
        if let missing = listed.first(where: { !present.contains($0) }) {
            throw fail(missing, "is listed in the manifest but missing")
        }
        for name in listed {
            let actual = try Manifest.hash(directory + "/" + name)
            guard actual == manifest.files[name] else {
                throw fail(name, "does not match its checksum in the manifest (changed after publication)")
            }
        }

        let r = manifest.records
        guard r.in == r.rejected + r.excluded + r.suppressed + (r.heldBack ?? 0) + r.published, [r.in, r.rejected, r.excluded, r.suppressed, r.heldBack ?? 0, r.published].allSatisfy({ $0 >= 0 }) else {
            throw fail(Manifest.fileName, "its accounting does not balance: in \(r.in) ≠ rejected \(r.rejected) + excluded "
                       + "\(r.excluded) + suppressed \(r.suppressed) + published \(r.published)")
        }
        if manifest.files["report.json"] != nil, let reportData = FileManager.default.contents(atPath: directory + "/report.json") {
            guard let report = try? Report.decode(reportData) else { throw fail("report.json", "is not a valid htdx report") }
            guard Manifest.Accounting(report.records) == r, report.k == manifest.microdata.k,
                  report.quasiIdentifiers == manifest.microdata.quasiIdentifiers else {
                throw fail("report.json", "disagrees with the manifest on the accounting, k or the quasi-identifiers")
            }
        }

        let micro = try checkMicrodata(directory: directory, manifest.microdata, published: r.published)
        for aggregate in manifest.aggregates {
            try AggregateRules.check(directory: directory, aggregate)
        }
        return Findings(files: listed.count + 1, records: micro.records, classes: micro.classes, smallestClass: micro.smallest)
    }

    static func checkMicrodata(directory: String, _ m: Manifest.Microdata, published: Int) throws(ExportError)
        -> (records: Int, classes: Int, smallest: Int)
    {
        let path = directory + "/" + m.file
        func fail(_ message: String) -> ExportError { .verification(path: path, message: message) }
        guard m.delimiter.utf8.count == 1, let delimiter = m.delimiter.utf8.first else {
            throw fail("the manifest gives the delimiter \"\(m.delimiter)\"; it must be one byte")
        }
        guard m.k >= 1, m.headerRows >= 1 else { throw fail("the manifest gives k = \(m.k) and \(m.headerRows) header rows") }
        let models: PrivacyModels
        let references: [String: SensitiveColumn]
        do {
            models = try m.privacyModels()
            references = try m.referenceColumns()
        } catch {
            throw fail("the manifest's privacy models cannot be read: \(error)")
        }
        guard models.k == m.k else { throw fail("the manifest gives k = \(m.k) but its models \(models.description)") }
        let found = try MicrodataVerifier.verify(
            path: path, delimiter: delimiter,
            promise: .init(header: nil, headerRows: m.headerRows, quasiIdentifiers: m.quasiIdentifiers, allowedLabels: nil,
                           models: models, references: references, records: published))
        return (found.records, found.classes, found.smallestClass)
    }
}

/// The rules aggregate files obey, checked from the files: combination counts are positive
/// multiples of the resolution over the declared attributes; a cross-tabulation's suppressed
/// cells cannot be narrowed below its threshold from what it publishes (``TableAudit``).
enum AggregateRules {
    static func check(directory: String, _ aggregate: Manifest.Aggregate) throws(ExportError) {
        let path = directory + "/" + aggregate.file
        switch aggregate.kind {
        case .combinations:
            guard let resolution = aggregate.resolution else {
                throw .verification(path: path, message: "the manifest gives no resolution for these combination counts")
            }
            _ = try CombinationsFile.verify(path: path, resolution: resolution, attributes: aggregate.attributes,
                                            maximumLength: aggregate.maxLength)
        case .crossTabulation:
            guard let threshold = aggregate.threshold else {
                throw .verification(path: path, message: "the manifest gives no threshold for this cross-tabulation")
            }
            let table = try PublishedTableFile.read(path: path)
            guard table.dimensions == aggregate.attributes else {
                throw .verification(path: path, message: "its dimensions \(table.dimensions) are not the manifest's \(aggregate.attributes)")
            }
            for (cell, count) in table.cells.enumerated() {
                if let count, count > 0, count < threshold {
                    throw .verification(path: path, message: "row \(cell + 2) publishes \(count), below the threshold \(threshold)")
                }
            }
            try PublishedTableFile.verify(table, path: path, threshold: threshold)
        }
    }
}
