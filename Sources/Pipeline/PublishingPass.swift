import Anonymize
import Crypto
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// Pass 2: reads every input again and writes each record that survives, its quasi-identifiers
/// replaced by their labels at the chosen levels. The rows go through a ``RowSorter``, so that the
/// file is ordered by class and a keyed hash, never by input order (which would tell a reader of two
/// releases which rows are new).
final class PublishingPass: RecordConsumer {
    private let counted: CountedRun
    private let inputs: [RunInput]
    private let policy: Policy
    private let plan: RunPlan
    private let suppressedTuples: [Bool]
    /// Rows of small classes that publish with blanked cells instead of being suppressed.
    private let blanking: CellBlanking?
    /// Each raw code's published label, encoded once instead of once per record.
    private let labels: [[[UInt8]]]
    /// Cells of the header rows written with a leading `'`.
    private let headerEscaped: Int
    private let headerRows: Int
    private let outputPath: String
    private let row: RowEncoder
    /// The published quasi-identifiers in the policy's order: the class key's cells.
    private let keyQuasiIdentifiers: [Int]
    /// Each tuple's class key, made when a record of it is first written: a tuple's published
    /// cells, blanked or not, are the same for all its records.
    private var classKeys: [[UInt8]?]
    private let delimiter: UInt8
    private let sorter: RowSorter
    var progress: ProgressMeter?
    /// Counts the aggregates, if the run publishes any, from every record accepted after the rules.
    var aggregates: AggregateBuilder?
    /// Notes what happens to the records `htdx explain` asks about; nil in a run.
    var watch: RecordWatch?
    private let leadingEmpty: Bool
    private(set) var published = 0
    private(set) var suppressed = 0
    private(set) var records = 0
    private(set) var excluded = 0
    /// Records of the classes the differencing guard names, held back from this release: class
    /// labels (the published quasi-identifiers in the policy's order) → how many.
    var holdBack: [[String]: Int] = [:]
    /// The previous release's data file, of the same layout: its rows are held back last.
    var previousRelease: String?
    /// Records held back, known after ``finish()``; `published` no longer counts them then.
    private(set) var heldBack = 0
    /// Cells the writer published with a leading `'` (``CellEscaping``).
    var cellsEscaped: Int { headerEscaped + row.escapedCells }

    init(counted: CountedRun, inputs: [RunInput], policy: Policy, plan: RunPlan, levels: [Int], suppressedTuples: [Bool],
         blanking: CellBlanking? = nil, outputPath: String, delimiter: UInt8, termsOfUse: String? = nil,
         hxl: [String]? = nil, orderKey: SymmetricKey? = nil) throws(RunError) {
        self.counted = counted
        self.inputs = inputs
        self.policy = policy
        self.blanking = blanking
        leadingEmpty = termsOfUse != nil
        self.plan = plan
        self.suppressedTuples = suppressedTuples
        labels = counted.hierarchies.enumerated().map { q, h in
            h.map[levels[q]].map { CSVWriter.encode(h.labels[levels[q]][Int($0)], delimiter: delimiter) }
        }
        self.outputPath = outputPath
        self.delimiter = delimiter
        row = RowEncoder(delimiter: delimiter)
        headerRows = hxl == nil ? 1 : 2
        keyQuasiIdentifiers = policy.quasiIdentifiers.indices.filter { q in plan.published.contains(policy.quasiIdentifiers[q].name) }
        classKeys = Array(repeating: nil, count: suppressedTuples.count)
        // HTDX_SORT_MEMORY (bytes) makes the sorter spill early, so that tests of whole runs can
        // exercise its merge on small inputs.
        let memory = ProcessInfo.processInfo.environment["HTDX_SORT_MEMORY"].flatMap { Int($0) } ?? 16 << 20
        // Inside the staging directory, so that a run that stops leaves nothing beside it.
        sorter = RowSorter(scratch: PathText.parent(outputPath) + "/.row-order", orderKey: orderKey, memoryLimit: memory)
        do {
            var output = try CSVWriter(path: outputPath, delimiter: delimiter)
            // CTDC's layout leads with a column whose header is its terms of use and whose cells are empty.
            if let termsOfUse { try output.write(termsOfUse) }
            for name in plan.published { try output.write(name) }
            try output.endRecord()
            if let hxl {
                if termsOfUse != nil { try output.write("") }
                for tag in hxl { try output.write(tag) }
                try output.endRecord()
            }
            try output.finish()
            headerEscaped = output.escapedCells
        } catch {
            throw .internalError(error.description)
        }
    }

    func consume<S: RecordStream & ~Copyable>(_ stream: inout S, input: Int) throws(RunError) {
        let source = inputs[input]
        guard stream.columns == counted.plans[input].columns else {
            throw .internalError("\(source.path) changed between the two passes (its columns differ); run again")
        }
        // Read once, not per record: each access to the pass's stored values would retain them.
        let policy = self.policy
        let qiColumns = counted.plans[input].qiColumns
        let qiOfPublished = plan.published.map { name in policy.quasiIdentifiers.firstIndex { $0.name == name } }
        let sources = plan.sources[input]
        let inputPlan = counted.plans[input]
        // Folds of fields that are not quasi-identifiers (those are folded in the coder): field →
        // (rare values, catch-all), and the same by published column.
        var rareByName: [String: (Set<String>, String)] = [:]
        for (i, fold) in policy.folds.enumerated() where !policy.quasiIdentifiers.contains(where: { $0.name == fold.field }) {
            if let values = counted.foldedValues[i], !values.isEmpty { rareByName[fold.field] = (values, fold.replacement) }
        }
        var rareOf: [Int: (Set<String>, String)] = [:]
        for (j, name) in plan.published.enumerated() { rareOf[j] = rareByName[name] }
        var tuple = [UInt32](repeating: 0, count: qiColumns.count)
        // What the aggregates read: a quasi-identifier's value after folding, or a column's value
        // after the rules.
        let aggregateNames = aggregates?.attributes ?? []
        let aggregateQI = aggregateNames.map { name in policy.quasiIdentifiers.firstIndex { $0.name == name } }
        // A quasi-identifier's values by code, decoded once: the coder's dictionaries are fixed by now.
        let aggregateDecoded: [[String]?] = aggregateQI.map { q in
            q.map { q in
                let dictionary = counted.coder.dictionaries[q]
                return (0..<dictionary.count).map { dictionary.value(UInt32($0)) }
            }
        }
        let aggregateColumn = aggregateNames.map { inputPlan.columnOf[$0] }
        let aggregateRare = aggregateNames.map { rareByName[$0] }
        var aggregateValues = [String](repeating: "", count: aggregateNames.count)
        let partner = source.partner
        // Pass 1 found these duplicates; skipping them by ordinal makes pass 2 decide exactly as it did.
        let duplicates = counted.duplicateRecords
        let duplicate = Rejection.duplicateReference(field: source.referenceField ?? "")
        // Most runs have none; a set lookup per record would be wasted on them.
        let anyDuplicates = !duplicates.isEmpty
        let rulesRead = RecordRules.fieldsRead(by: policy)
        let qiNames = policy.quasiIdentifiers.map(\.name)
        let personDuplicates = counted.personDuplicates
        // Each pseudonymised column's hasher, by published column: never its value as read.
        var pseudonyms: [Pseudonymiser?] = []
        for name in plan.published {
            guard let attribute = policy.attribute(named: name), attribute.role == .pseudonymised else { pseudonyms.append(nil); continue }
            guard let keys = counted.keys else { throw .internalError("\(name) is pseudonymised but the run read no key; nothing was published") }
            pseudonyms.append(Pseudonymiser(attribute: attribute, keys: keys))
        }
        do {
            while try stream.next() {
                records += 1
                progress?.advance()
                let watched = watch.map { w in w.selector.matches(partner: partner, file: stream.file, line: stream.line) { stream.reference } } ?? false
                if let rejection = stream.rejection ?? (anyDuplicates && duplicates.contains(records) ? personDuplicates[records] ?? duplicate : nil) {
                    if watched { watch?.rejected(rejection, partner: partner, file: stream.file, line: stream.line, reference: stream.reference) }
                    continue
                }
                let rules = RecordRules(policy, reading: rulesRead, stream, inputPlan)
                if let filter = rules.excludedBy {
                    excluded += 1
                    if watched {
                        watch?.excluded(by: policy.filters[filter].name, partner: partner, file: stream.file, line: stream.line,
                                        reference: stream.reference)
                    }
                    continue
                }
                let rewrites = rules.values
                for q in qiColumns.indices {
                    let rewritten = rewrites.isEmpty ? nil : rewrites[qiNames[q]]
                    guard let code = rewritten.map({ counted.coder.code(q, $0) }) ?? counted.coder.code(q, column: qiColumns[q], in: stream) else {
                        throw RunError.internalError("\(source.path):\(stream.line) changed between the two passes; run again")
                    }
                    tuple[q] = code
                }
                guard let t = tuple.withUnsafeBufferPointer({ counted.histogram.index(of: $0) }) else {
                    throw RunError.internalError("\(source.path):\(stream.line) changed between the two passes; run again")
                }
                if let aggregates {
                    for a in aggregateNames.indices {
                        if let q = aggregateQI[a], let decoded = aggregateDecoded[a] {
                            aggregateValues[a] = decoded[Int(tuple[q])]
                            continue
                        }
                        var value = (rewrites.isEmpty ? nil : rewrites[aggregateNames[a]])
                            ?? aggregateColumn[a].map { stream.string($0) } ?? ""
                        if let (rare, replacement) = aggregateRare[a], rare.contains(value) { value = replacement }
                        aggregateValues[a] = value
                    }
                    try aggregates.add(aggregateValues)
                }
                var blanked: [[UInt8]]?
                if suppressedTuples[t] {
                    blanked = blanking?.rows[t]
                    if blanked == nil {
                        suppressed += 1
                        if watched { watch?.suppressed(tuple: t, partner: partner, file: stream.file, line: stream.line, reference: stream.reference) }
                        continue
                    }
                }
                if watched {
                    let names = blanked.map { row in
                        qiColumns.indices.filter { row[$0] != labels[$0][Int(tuple[$0])] }.map { policy.quasiIdentifiers[$0].name }
                    } ?? []
                    // The row's number in the pass, until the sorter says where it went.
                    watch?.published(row: published + 1, blanked: names, partner: partner, file: stream.file, line: stream.line,
                                     reference: stream.reference)
                }
                row.reset()
                if leadingEmpty { row.writeEmpty() }
                for (j, column) in sources.enumerated() {
                    if let q = qiOfPublished[j] {
                        row.writeEncoded(blanked?[q] ?? labels[q][Int(tuple[q])])
                    } else if let pseudonymiser = pseudonyms[j] {
                        let value = (rewrites.isEmpty ? nil : rewrites[plan.published[j]]) ?? column.map { stream.string($0) } ?? ""
                        row.write(pseudonymiser.pseudonym(value))
                    } else if let (rare, replacement) = rareOf[j] {
                        let value = rewrites[plan.published[j]]
                            ?? column.map { stream.string($0) } ?? ""
                        row.write(rare.contains(value) ? replacement : value)
                    } else if !rewrites.isEmpty, let value = rewrites[plan.published[j]] {
                        row.write(value)
                    } else if let column {
                        stream.withValue(column) { bytes in row.write(bytes) }
                    } else {
                        row.writeEmpty()
                    }
                }
                row.endRecord()
                let key = classKeys[t] ?? RowOrderKey.classKey(keyQuasiIdentifiers.map { q in blanked?[q] ?? labels[q][Int(tuple[q])] })
                if classKeys[t] == nil { classKeys[t] = key }
                try sorter.add(classKey: key, row: row.bytes, tag: watched ? published + 1 : -1, classID: t)
                published += 1
            }
        } catch let error as RunError {
            throw error
        } catch {
            throw .internalError("\(error)")
        }
    }

    func finish() throws(RunError) {
        var quotas: [[UInt8]: Int] = [:]
        for (labels, n) in holdBack {
            quotas[RowOrderKey.classKey(labels.map { CSVWriter.encode($0, delimiter: delimiter) }), default: 0] += n
        }
        let result: RowSorter.Result
        do {
            result = try sorter.finish(into: outputPath, headerRows: headerRows, holdBack: quotas, previousRelease: previousRelease)
        } catch {
            throw .internalError(error.description)
        }
        guard result.written + result.heldBack == published else {
            throw .internalError("the sorted file holds \(result.written) rows and \(result.heldBack) held back, "
                + "of \(published) the pass wrote")
        }
        heldBack = result.heldBack
        published = result.written
        watch?.place(rowOfTag: result.rowOfTag)
    }
}
