import PolicyFile
import Tabular
import Anonymize
import Export
import Ingest

/// Pass 1: reads every record of every input, rejects the ones that cannot be used, and counts
/// quasi-identifier tuples. Nothing it keeps grows with the number of records, except the
/// fingerprints of partner references (see ``ReferenceRegister``), the person hashes (see
/// ``PersonRegister``) and the ordinals of the duplicates found, which pass 2 skips.
struct CountingPass: RecordConsumer {
    struct PartnerCount {
        var read = 0
        var rejected = 0
        var reasons: [String: Int] = [:]
    }

    let inputs: [RunInput]
    let policy: Policy
    let policyPath: String
    let rejects: RejectsLog
    var progress: ProgressMeter?
    private(set) var plans: [InputPlan] = []
    /// Codes quasi-identifier values; shared by reference with pass 2, which must code alike.
    let coder: QuasiIdentifierCoder
    /// Whether quasi-identifier `q` learns its values from the data (it has no hierarchy).
    let learnsValues: [Bool]
    var histogram: TupleHistogram
    /// The sensitive attributes the privacy models read, their values' codes, and per tuple of
    /// `histogram` the records with each value.
    let sensitive: [Policy.Attribute]
    private(set) var sensitiveValues: [ValueDictionary]
    private(set) var sensitiveCounts: [SensitiveCounts]
    var recordsIn = 0
    var rejected = 0
    var excluded = 0
    /// Records excluded by each filter, in the policy's order.
    var exclusions: [Int]
    /// Records each blanking rule fired on, and the cells it emptied that held a value.
    var blankRecords: [Int]
    var blankCells: [Int]
    /// Cells each top or bottom coding rule recoded.
    var codingCells: [Int]
    /// For folds of published fields that are not quasi-identifiers: value → records, counted in
    /// this pass over the records that survive the filters.
    var foldCounts: [Int: [String: Int]] = [:]
    /// After ``applyFolds()``: the values each fold rule replaced, and the records it touched.
    var foldedValues: [Int: Set<String>] = [:]
    var foldRecords: [Int]
    var partners: [String: PartnerCount] = [:]
    /// Fingerprints of the references seen; emptied by ``endReading()``.
    private var references = ReferenceRegister()
    /// The run-wide ordinals (1-based, as `recordsIn` counts) of the records rejected as
    /// duplicates: pass 2 skips exactly these, whatever it reads.
    private(set) var duplicateRecords = Set<Int>()
    /// Whether any input declares a reference, so that duplicates could be looked for at all.
    private(set) var referencesChecked = false
    /// Readable records of inputs with a reference field whose reference was empty: not checked.
    private(set) var withoutReference = 0
    private(set) var dates = DateSwapCheck()
    /// Recognises records of one person by the profiles' person keys; nil when none names one.
    var persons: PersonCheck?
    /// The records rejected as duplicate persons (also in `duplicateRecords`), by ordinal.
    private(set) var personDuplicates: [Int: Rejection] = [:]
    /// What ``endReading()`` kept of the person register for the report.
    private(set) var personSummary: Report.Persons?
    /// Values the hierarchies do not list: the run stops once the pass is over, naming them all.
    private(set) var uncovered = UncoveredValues()

    init(inputs: [RunInput], policy: Policy, policyPath: String, rejects: RejectsLog) {
        self.inputs = inputs
        self.policy = policy
        self.policyPath = policyPath
        self.rejects = rejects
        coder = QuasiIdentifierCoder(policy.quasiIdentifiers)
        learnsValues = policy.quasiIdentifiers.map { $0.hierarchy == nil }
        histogram = TupleHistogram(width: policy.quasiIdentifiers.count)
        sensitive = policy.privacy.sensitiveAttributes.compactMap { policy.attribute(named: $0) }
        sensitiveValues = sensitive.map { ValueDictionary(values: $0.hierarchy?.rawValues ?? []) }
        sensitiveCounts = sensitive.map { _ in SensitiveCounts() }
        exclusions = [Int](repeating: 0, count: policy.filters.count)
        blankRecords = [Int](repeating: 0, count: policy.blanks.count)
        blankCells = [Int](repeating: 0, count: policy.blanks.count)
        codingCells = [Int](repeating: 0, count: policy.codings.count)
        foldRecords = [Int](repeating: 0, count: policy.folds.count)
    }

    mutating func consume<S: RecordStream & ~Copyable>(_ stream: inout S, input: Int) throws(RunError) {
        let source = inputs[input]
        let plan = try InputPlan(columns: stream.columns, policy: policy, input: source, policyPath: policyPath)
        plans.append(plan)
        let partner = source.partner
        var counts = partners[partner] ?? PartnerCount()
        defer { partners[partner] = counts }
        let qis = policy.quasiIdentifiers
        let rulesRead = RecordRules.fieldsRead(by: policy)
        var tuple = [UInt32](repeating: 0, count: qis.count)
        let referenceField = source.referenceField
        if referenceField != nil { referencesChecked = true }
        let personMatcher = persons?.matcher(input: source, columns: stream.columns)
        // The profile's date fields: their column, and their place in the date counts.
        var dateColumns: [(column: Int, count: Int)] = []
        var dateOfField: [String: Int] = [:]
        if case .profiled(let profile) = source.kind {
            for rule in profile.fields {
                guard case .date(let formats) = rule.kind, let column = plan.columnOf[rule.canonical] else { continue }
                let count = dates.column(partner: partner, field: rule.canonical, formats: formats, profilePath: source.profilePath)
                dateColumns.append((column, count))
                dateOfField[rule.canonical] = count
            }
        }
        while try stream.next() {
            recordsIn += 1
            progress?.advance()
            counts.read += 1
            var rejection = stream.rejection
            if let failed = rejection, let d = dateOfField[failed.field], failed.reason.hasPrefix("not a date") {
                dates.countFailure(d, parsesSwapped: failed.parsesSwapped)
            }
            // The first readable record with a reference is kept; a later one with the same
            // reference from the same partner is the same person sent again.
            if rejection == nil, let referenceField {
                let reference = stream.reference
                if reference.isEmpty {
                    withoutReference += 1
                } else if !references.insert(partner: partner, reference: reference) {
                    rejection = Rejection.duplicateReference(field: referenceField)
                    duplicateRecords.insert(recordsIn)
                }
            }
            // After the reference check, as the scan before this pass does: both see the same records.
            if rejection == nil, persons != nil,
               let duplicate = try persons!.decide(stream, matcher: personMatcher, partner: partner, ordinal: recordsIn) {
                rejection = duplicate
                duplicateRecords.insert(recordsIn)
                personDuplicates[recordsIn] = duplicate
            }
            if let rejection {
                rejected += 1
                counts.rejected += 1
                counts.reasons[rejection.category, default: 0] += 1
                try rejects.record(rejection, partner: partner, file: stream.file, line: stream.line, reference: stream.reference)
                continue
            }
            for (column, count) in dateColumns where stream.withValue(column, { !$0.isEmpty }) { dates.countValue(count) }
            let rewrites = RecordRules(policy, reading: rulesRead, stream, plan)
            if let filter = rewrites.excludedBy {
                excluded += 1
                exclusions[filter] += 1
                continue
            }
            for (rule, fields) in rewrites.firedBlanks {
                blankRecords[rule] += 1
                for f in fields where plan.columnOf[f].map({ c in stream.withValue(c) { !$0.isEmpty } }) ?? false {
                    blankCells[rule] += 1
                }
            }
            for rule in rewrites.firedCodings { codingCells[rule] += 1 }
            for (i, fold) in policy.folds.enumerated() where !qis.contains(where: { $0.name == fold.field }) {
                let value = rewrites.values[fold.field]
                    ?? plan.columnOf[fold.field].map { stream.string($0) } ?? ""
                if !value.isEmpty { foldCounts[i, default: [:]][value, default: 0] += 1 }
            }
            for q in qis.indices {
                let rewritten = rewrites.values[qis[q].name]
                let found = rewritten.map { coder.code(q, $0) } ?? coder.code(q, column: plan.qiColumns[q], in: stream)
                if let code = found {
                    tuple[q] = code
                    continue
                }
                let text = rewritten ?? plan.qiColumns[q].map { stream.string($0) } ?? ""
                if learnsValues[q] {
                    tuple[q] = coder.dictionaries[q].insert(text)
                } else {
                    // Counted, not coded: the run stops after this pass, so the tuple is never used.
                    uncovered.note(attribute: qis[q].name, hierarchy: qis[q].hierarchySource, value: text, file: stream.file, line: stream.line)
                    tuple[q] = 0
                }
            }
            let t = tuple.withUnsafeBufferPointer { histogram.add($0) }
            for a in sensitive.indices {
                let code = try sensitiveCode(a, rewritten: rewrites.values[sensitive[a].name], column: plan.columnOf[sensitive[a].name], stream: stream)
                sensitiveCounts[a].add(tuple: t, code: code)
            }
        }
    }

    /// The code of sensitive attribute `a` in the current record. A value its hierarchy lacks stops
    /// the run after the pass, as for a quasi-identifier, since the distance could not place it.
    private mutating func sensitiveCode<S: RecordStream & ~Copyable>(
        _ a: Int, rewritten: String?, column: Int?, stream: borrowing S
    ) throws(RunError) -> UInt32 {
        // The bytes as read, without a String per record, unless a rule rewrote the value.
        let values = sensitiveValues[a]
        let found: UInt32?
        if rewritten == nil, let column {
            found = stream.withValue(column) { values.code(of: $0) }
        } else {
            var text = rewritten ?? ""
            found = text.withUTF8 { values.code(of: $0) }
        }
        if let found { return found }
        guard sensitive[a].hierarchy == nil else {
            let text = rewritten ?? column.map { stream.string($0) } ?? ""
            uncovered.note(attribute: sensitive[a].name, hierarchy: sensitive[a].hierarchySource, value: text, file: stream.file, line: stream.line)
            return 0
        }
        if rewritten == nil, let column { return stream.withValue(column) { sensitiveValues[a].insert($0) } }
        return sensitiveValues[a].insert(rewritten ?? "")
    }

    /// The sensitive value counts per tuple, for the search.
    func sensitiveTables() -> [SensitiveHistogram] {
        sensitive.indices.map { a in
            let values = (0..<sensitiveValues[a].count).map { sensitiveValues[a].value(UInt32($0)) }
            return sensitiveCounts[a].table(tupleCount: histogram.tupleCount, column: sensitive[a].name, values: values,
                                            hierarchy: sensitive[a].hierarchy)
        }
    }

    /// Pass 1 is over: the reference fingerprints are no longer needed, and are let go.
    mutating func endReading() {
        references = ReferenceRegister()
        personSummary = persons?.register.summary()
        persons = nil
    }

    /// The records lost before anonymisation, for messages.
    func losses(rejectsPath: String?) -> LossReport {
        LossReport(read: recordsIn, rejected: rejected, excluded: excluded, reasons: rejects.byReason,
                   exclusions: policy.filters.indices.map { (policy.filters[$0].name, exclusions[$0]) }, rejectsPath: rejectsPath)
    }

    /// Decides the folds from this pass's counts. A folded quasi-identifier's codes are remapped in
    /// the histogram and in the coder, so the search and the second pass both see the catch-all;
    /// no third pass over the records is needed.
    mutating func applyFolds() {
        let qis = policy.quasiIdentifiers
        for (i, fold) in policy.folds.enumerated() {
            if let q = qis.firstIndex(where: { $0.name == fold.field }) {
                // The catch-all first, so that the map covers its code too.
                let replacement = coder.code(q, fold.replacement) ?? coder.dictionaries[q].insert(fold.replacement)
                var perCode = [Int](repeating: 0, count: coder.dictionaries[q].count)
                for t in 0..<histogram.tupleCount { perCode[Int(histogram.codes[t * histogram.width + q])] += histogram.counts[t] }
                var map = (0..<UInt32(perCode.count)).map { $0 }
                var values = Set<String>()
                for (code, count) in perCode.enumerated() where count > 0 && count < fold.below {
                    let value = coder.dictionaries[q].value(UInt32(code))
                    guard !value.isEmpty, UInt32(code) != replacement else { continue }
                    map[code] = replacement
                    values.insert(value)
                    foldRecords[i] += count
                }
                foldedValues[i] = values
                guard !values.isEmpty else { continue }
                coder.folds[q] = map
                var folded = TupleHistogram(width: histogram.width)
                var tuple = [UInt32](repeating: 0, count: histogram.width)
                var renumbered = [Int](repeating: 0, count: histogram.tupleCount)
                for t in 0..<histogram.tupleCount {
                    for j in 0..<histogram.width { tuple[j] = histogram.codes[t * histogram.width + j] }
                    tuple[q] = map[Int(tuple[q])]
                    renumbered[t] = tuple.withUnsafeBufferPointer { folded.add($0, multiplicity: histogram.counts[t]) }
                }
                histogram = folded
                sensitiveCounts = sensitiveCounts.map { $0.remapped(tuples: renumbered) }
            } else {
                let rare = (foldCounts[i] ?? [:]).filter { $0.value < fold.below && $0.key != fold.replacement }
                foldedValues[i] = Set(rare.keys)
                foldRecords[i] = rare.values.reduce(0, +)
                // A folded sensitive attribute is published folded, so its classes are judged folded.
                if let a = sensitive.firstIndex(where: { $0.name == fold.field }), !rare.isEmpty {
                    var text = fold.replacement
                    let replacement = text.withUTF8 { sensitiveValues[a].code(of: $0) } ?? sensitiveValues[a].insert(fold.replacement)
                    let codes = (0..<UInt32(sensitiveValues[a].count)).map { code in
                        rare[sensitiveValues[a].value(code)] != nil ? replacement : code
                    }
                    let identity = (0..<histogram.tupleCount).map { $0 }
                    sensitiveCounts[a] = sensitiveCounts[a].remapped(tuples: identity, codes: codes)
                }
            }
        }
    }

    /// The hierarchies of the run, in quasi-identifier order, including those learnt from the data.
    func hierarchies() throws(RunError) -> [Hierarchy] {
        var result: [Hierarchy] = []
        for (q, qi) in policy.quasiIdentifiers.enumerated() {
            if let h = qi.hierarchy {
                result.append(h)
            } else {
                let dictionary = coder.dictionaries[q]
                let values = (0..<dictionary.count).map { dictionary.value(UInt32($0)) }
                do {
                    result.append(try HierarchyBuilder.flat(values: values.isEmpty ? [""] : values))
                } catch {
                    throw .internalError("cannot build the flat hierarchy of \(qi.name): \(error)")
                }
            }
        }
        return result
    }
}
