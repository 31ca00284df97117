import Anonymize
import Export
import Foundation
import Tabular

/// `htdx verify RELEASE --history DIR`: the differencing check re-run from the files alone. The
/// release's anonymized.csv is read into class counts over its quasi-identifiers and its aggregate
/// files into cells; each is compared with every earlier release the history holds.
public enum HistoryVerifier {
    public struct Findings: Sendable {
        /// Earlier releases compared.
        public var releasesCompared: Int
        /// The history's entry for this release, when the history holds it.
        public var sequence: Int?
        /// Each problem located: the file, the class or cell, the earlier release and the difference.
        public var problems: [String]
    }

    public static func verify(release: String, history path: String) throws(HistoryError) -> Findings {
        let manifestPath = release + "/" + Manifest.fileName
        guard let manifestData = FileManager.default.contents(atPath: manifestPath), let manifest = try? Manifest.decode(manifestData) else {
            throw HistoryError(path: manifestPath, message: "cannot be read as an htdx manifest")
        }
        let manifestSHA256 = SHA256.hex([UInt8](manifestData))
        guard try ReleaseHistory.state(of: path) == .history else {
            throw HistoryError(path: path, message: "is not an htdx history (it has no \(ReleaseHistory.markerName)); give the directory the runs kept")
        }
        let history = ReleaseHistory(path: path)
        // A run that is publishing has a pending entry this must not remove.
        let lock = try history.lock()
        defer { withExtendedLifetime(lock) {} }
        // A kill after the release was delivered leaves its entry pending: completed here as a run would.
        try history.recover(publishedManifestSHA256: manifestSHA256)
        let entries = try history.entries()
        let current = entries.first { $0.manifestSHA256 == manifestSHA256 }
        let earlier = entries.filter { $0.sequence < (current?.sequence ?? .max) }
        let m = manifest.microdata
        let dataPath = release + "/" + m.file
        let counts = try classCounts(dataPath, m)
        var problems: [String] = []

        let classes: ReleaseClasses
        if let current {
            classes = ReleaseClasses(names: current.ladders.map(\.name), ladders: current.releaseClasses.ladders, counts: counts)
            if current.ladders.map(\.name) != m.quasiIdentifiers || counts != current.releaseClasses.counts {
                problems.append("\(dataPath): its classes are not those the history's entry for \(current.name) records for this release "
                    + "(same manifest); the release or the history was changed after publication")
            }
        } else {
            // The next run's guard will not know this release, so later releases are not checked
            // against it: not being in the history is itself a failure.
            problems.append("\(manifestPath): no entry of the history has this manifest's SHA-256: the release was not published "
                + "with this history, and later releases will not be checked against it")
            classes = inferred(m.quasiIdentifiers, counts: counts, from: earlier)
            for (ladder, name) in zip(classes.ladders, classes.names) where ladder.digest == Self.unmapped {
                problems.append("\(dataPath): some labels of \(SafeText.name(name)) are in no earlier release, so the release is "
                    + "compared with them only where every label joins, at the top")
            }
        }
        let names = classes.names
        for e in earlier {
            for f in DifferencingGuard.findings(earlier: e.releaseClasses, current: classes, k: m.k)
                .sorted(by: { $0.labels.lexicographicallyPrecedes($1.labels) }) {
                let shown = zip(names, f.labels).map { "\($0)=\($1)" }.joined(separator: ", ")
                problems.append("\(dataPath): the class (\(shown)) differs from \(e.name) by \(f.difference) record\(abs(f.difference) == 1 ? "" : "s"), "
                    + "between 1 and k − 1 = \(m.k - 1): subtracting one release from the other isolates them")
            }
        }

        let cells: [String: [String: Int?]]
        do { cells = try AggregateBuilder.publishedCells(inRelease: release) } catch {
            throw HistoryError(path: release + "/aggregates", message: "cannot be read back into cells: \(error)")
        }
        if let current, current.aggregateCells != cells {
            problems.append("\(release)/aggregates: the cells are not those the history's entry for \(current.name) records for this release")
        }
        for e in earlier {
            let before = e.aggregateCells
            for file in cells.keys.sorted() {
                for key in CellDifferences.offending(earlier: before[file] ?? [:], current: cells[file] ?? [:], k: m.k) {
                    problems.append("\(release)/\(file): the cell \(key.replacingOccurrences(of: "\u{1F}", with: " × ")) differs from \(e.name) "
                        + "by between 1 and k − 1 = \(m.k - 1)")
                }
            }
        }
        return Findings(releasesCompared: earlier.count, sequence: current?.sequence, problems: problems)
    }

    /// The records of the file per label tuple over the manifest's quasi-identifiers, cells unescaped.
    static func classCounts(_ path: String, _ m: Manifest.Microdata) throws(HistoryError) -> [[String]: Int] {
        guard let delimiter = m.delimiter.utf8.first, m.delimiter.utf8.count == 1 else {
            throw HistoryError(path: path, message: "the manifest's delimiter is not one byte")
        }
        var counts: [[String]: Int] = [:]
        do {
            var reader = try CSVReader(path: path, delimiter: delimiter)
            guard try reader.next() else { throw HistoryError(path: path, message: "is empty; a header was expected") }
            let header = CellEscaping.unescape(record: reader.strings())
            var columns: [Int] = []
            for name in m.quasiIdentifiers {
                guard let c = header.firstIndex(of: name) else {
                    throw HistoryError(path: path, message: "has no column \(SafeText.name(name)), a quasi-identifier the manifest names")
                }
                columns.append(c)
            }
            for _ in 1..<max(1, m.headerRows) { _ = try reader.next() }
            while try reader.next() {
                guard reader.fieldCount == header.count else {
                    throw HistoryError(path: path, message: "line \(reader.line) has \(reader.fieldCount) fields, expected \(header.count)")
                }
                counts[columns.map { CellEscaping.unescape(reader.string($0)) ?? reader.string($0) }, default: 0] += 1
            }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError(path: path, message: "cannot be read: \(error)")
        }
        return counts
    }

    /// The digest of an inferred ladder some of whose labels no earlier release has.
    static let unmapped = "unmapped"

    /// Ladders for a release the history does not hold (published without it), taken from the
    /// earlier releases' ladders: a label found there climbs as it did. A label found nowhere is
    /// compared only at the top (its digest then differs).
    static func inferred(_ names: [String], counts: [[String]: Int], from entries: [HistoryEntry]) -> ReleaseClasses {
        let ladders = names.enumerated().map { q, name -> ReleaseClasses.Ladder in
            let labels = Set(counts.keys.map { $0[q] })
            let known = entries.reversed().compactMap { $0.ladders.first { $0.name == name } }
            var ancestors: [String: [String]] = [:]
            var level: Int?
            var complete = true
            for label in labels {
                var found: (Int, [String])?
                for ladder in known {
                    for chain in ladder.ancestors.values {
                        if let i = chain.firstIndex(of: label) { found = (ladder.level + i, Array(chain[i...])); break }
                    }
                    if found != nil { break }
                }
                if let (l, chain) = found, level == nil || level == l {
                    level = l
                    ancestors[label] = chain
                } else {
                    complete = false
                }
            }
            let model = known.first
            let top = model?.top ?? 0
            let l = level ?? top
            let topLabel = model?.ancestors.values.first?.last ?? "*"
            for label in labels where ancestors[label] == nil {
                ancestors[label] = (l...max(l, top)).map { $0 < top || $0 == l ? label : topLabel }
            }
            let digest = complete ? (model?.digest ?? "") : unmapped
            return .init(level: l, top: max(l, top), digest: digest, ancestors: ancestors)
        }
        return ReleaseClasses(names: names, ladders: ladders, counts: counts)
    }
}
