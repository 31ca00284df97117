import Anonymize
import Export
import Foundation
import Ingest
import Tabular

/// What happened to one input record, as `htdx explain` tells it. It holds what a reader of the
/// release could see and what the policy says, never the record's own values: a published record
/// is described by its published labels, a suppressed one by the size of its class.
public struct RecordFate: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The record could not be read or mapped: the field and the reason, as the rejects file has them.
        case rejected(field: String, reason: String)
        /// A record filter of the policy excluded it before anonymisation.
        case excluded(filter: String)
        /// Its class under the chosen transformation held `classSize` records, fewer than k, and cell
        /// suppression (if the policy asks for it) could not bring it to k.
        case suppressed(classSize: Int)
        /// Published as row `row` of `anonymized.csv` (1-based, after the header rows), in a class
        /// of `classSize` published records. `labels` are its published quasi-identifiers, in the
        /// policy's order; `blanked` names those that cell suppression blanked.
        case published(row: Int, classSize: Int, labels: [Label], blanked: [String])
        /// Held back from this release, so that no difference with an earlier release isolates
        /// fewer than k records; a later release publishes it.
        case heldBack
    }

    public struct Label: Sendable, Equatable {
        public var attribute: String
        public var value: String
    }

    public var partner: String
    public var file: String
    public var line: Int
    public var reference: String
    public var outcome: Outcome
}

/// Which input records `htdx explain` asks about: a partner reference, or a file and line (for
/// inputs without references), optionally narrowed to one partner.
public struct RecordSelector: Sendable, Equatable {
    public var reference: String?
    public var file: String?
    public var line: Int?
    public var partner: String?
    /// Selects every record (of `file` and `partner`, if given): for audits and tests, never
    /// from what a user typed, so that a selector left empty by mistake selects nothing.
    public var everyRecord = false

    public init(reference: String? = nil, file: String? = nil, line: Int? = nil, partner: String? = nil) {
        self.reference = reference
        self.file = file
        self.line = line
        self.partner = partner
    }

    public static func every(file: String? = nil, partner: String? = nil) -> RecordSelector {
        var selector = RecordSelector(file: file, partner: partner)
        selector.everyRecord = true
        return selector
    }

    func matches(partner: String, file: String, line: Int, reference: () -> String) -> Bool {
        let narrowed = (self.reference.map { !$0.isEmpty } ?? false) || self.line != nil
        guard narrowed || everyRecord else { return false }
        if let p = self.partner, p != partner { return false }
        if let l = self.line, l != line { return false }
        if let f = self.file, !(file == f || file.hasSuffix("/" + f)) { return false }
        if let r = self.reference, r != reference() { return false }
        return true
    }
}

/// Collects the fates of the selected records during the publishing pass. A class, so that the
/// pass can fill it while the run that owns it reads it afterwards.
final class RecordWatch {
    let selector: RecordSelector
    /// Records seen so far; a published one still needs its class size, a suppressed one its
    /// class size under the chosen transformation.
    private(set) var fates: [RecordFate] = []
    /// For each suppressed fate: the index of its raw tuple in the counted histogram.
    private var suppressedTuples: [Int: Int] = [:]

    init(selector: RecordSelector) {
        self.selector = selector
    }

    /// The partner's reference is an identifier: a fate names it only when the user asked by it.
    private func shown(_ reference: String) -> String {
        selector.reference == reference ? reference : ""
    }

    func rejected(_ rejection: Rejection, partner: String, file: String, line: Int, reference: String) {
        fates.append(RecordFate(partner: partner, file: file, line: line, reference: shown(reference),
                                outcome: .rejected(field: rejection.field, reason: rejection.reason)))
    }

    func excluded(by filter: String, partner: String, file: String, line: Int, reference: String) {
        fates.append(RecordFate(partner: partner, file: file, line: line, reference: shown(reference), outcome: .excluded(filter: filter)))
    }

    func suppressed(tuple: Int, partner: String, file: String, line: Int, reference: String) {
        suppressedTuples[fates.count] = tuple
        fates.append(RecordFate(partner: partner, file: file, line: line, reference: shown(reference), outcome: .suppressed(classSize: 0)))
    }

    /// `row` is the record's number in the publishing pass, a tag until ``place(rowOfTag:)``.
    func published(row: Int, blanked: [String], partner: String, file: String, line: Int, reference: String) {
        fates.append(RecordFate(partner: partner, file: file, line: line, reference: shown(reference),
                                outcome: .published(row: row, classSize: 0, labels: [], blanked: blanked)))
    }

    /// Replaces each published record's number in the pass by its row in the sorted file; a record
    /// the sorter held back has none.
    func place(rowOfTag: [Int: Int]) {
        for i in fates.indices {
            guard case .published(let tag, let size, let labels, let blanked) = fates[i].outcome else { continue }
            fates[i].outcome = rowOfTag[tag].map { .published(row: $0, classSize: size, labels: labels, blanked: blanked) } ?? .heldBack
        }
    }

    /// Fills in what only the whole run knows: a suppressed record's class size under the chosen
    /// transformation, from the counted histogram; a published record's labels and class size,
    /// read back from the written file as a reader would read them.
    func complete(histogram: TupleHistogram, hierarchies: [Hierarchy], levels: [Int], names: [String],
                  dataPath: String, delimiter: UInt8, headerRows: Int) throws(RunError) {
        if !suppressedTuples.isEmpty {
            let (classes, classOf) = histogram.generalised(by: hierarchies, levels: levels)
            for (fate, t) in suppressedTuples {
                fates[fate].outcome = .suppressed(classSize: classes.counts[classOf[t]])
            }
        }
        var rows: [Int: (fate: Int, blanked: [String])] = [:]
        for i in fates.indices {
            if case .published(let row, _, _, let blanked) = fates[i].outcome { rows[row] = (i, blanked) }
        }
        guard !rows.isEmpty else { return }
        do {
            var reader = try CSVReader(path: dataPath, delimiter: delimiter)
            guard try reader.next() else { return }
            // Column names as the names behind the cells (``CellEscaping``); labels stay as published.
            let header = reader.strings().map { CellEscaping.unescape($0) ?? $0 }
            let columns = names.map { header.firstIndex(of: $0) }
            for _ in 1..<max(headerRows, 1) { _ = try reader.next() }
            var classes: [[String]: Int] = [:]
            var labelsOf: [Int: [String]] = [:]
            var row = 0
            while try reader.next() {
                row += 1
                let key = columns.map { $0.map { reader.string($0) } ?? "" }
                classes[key, default: 0] += 1
                if rows[row] != nil { labelsOf[row] = key }
            }
            for (row, watched) in rows {
                guard let key = labelsOf[row] else {
                    throw RunError.internalError("\(dataPath) has no row \(row), which the publishing pass wrote")
                }
                let labels = names.indices.filter { columns[$0] != nil }
                    .map { RecordFate.Label(attribute: names[$0], value: key[$0]) }
                fates[watched.fate].outcome = .published(row: row, classSize: classes[key] ?? 0, labels: labels,
                                                         blanked: watched.blanked)
            }
        } catch let error as RunError {
            throw error
        } catch {
            throw .internalError("cannot read back \(dataPath): \(error)")
        }
    }
}

extension RecordFate {
    /// The fate in a few lines: where the record came from, then what happened to it and why.
    /// `cellSuppression`: whether the policy blanks cells of small classes before suppressing them.
    public func explanation(k: Int, cellSuppression: Bool = false) -> String {
        var text = "\(partner) \(file):\(line)" + (reference.isEmpty ? "" : " (reference \(reference))") + "\n"
        switch outcome {
        case .rejected(let field, let reason):
            text += "  rejected: \(field.isEmpty ? "" : field + ": ")\(reason)\n"
            text += "  It was not read into the release; the rejects file lists it.\n"
        case .excluded(let filter):
            text += "  excluded by the policy's filter \(filter), before anonymisation.\n"
        case .suppressed(let size):
            text += "  suppressed: under the chosen transformation its class holds \(size) record\(size == 1 ? "" : "s"), "
                + "fewer than k = \(k)"
            text += cellSuppression ? ", and no cell suppression the policy allows could bring it to k.\n" : ".\n"
        case .heldBack:
            text += "  held back from this release: publishing it now would let a reader who compares this release with "
                + "an earlier one isolate fewer than k = \(k) records. A later release publishes it.\n"
        case .published(let row, let size, let labels, let blanked):
            text += "  published as row \(row) of anonymized.csv, in a class of \(size) records (k = \(k)).\n"
            let width = (labels.map(\.attribute.count).max() ?? 0) + 2
            for label in labels {
                let note = blanked.contains(label.attribute) ? "   (blanked by cell suppression)" : ""
                text += "    " + label.attribute.padding(toLength: width, withPad: " ", startingAt: 0)
                    + (label.value.isEmpty ? "(empty)" : label.value) + note + "\n"
            }
        }
        return text
    }
}
