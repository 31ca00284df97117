import Anonymize
import Export
import Ingest

/// Pass 1: reads every record, rejects the ones that cannot be used, and counts quasi-identifier
/// tuples. Nothing it keeps grows with the number of records.
struct CountingPass {
    var plan: ColumnPlan
    var dictionaries: [ValueDictionary]
    /// Whether quasi-identifier `q` learns its values from the data (it has no hierarchy).
    var learnsValues: [Bool]
    var histogram: TupleHistogram
    var recordsIn = 0
    var rejected = 0
    var rejections: [String: Int] = [:]

    /// Reads `inputPath`, writing one row per rejected record to `rejects`.
    static func run(
        inputPath: String, delimiter: UInt8, policy: Policy, policyPath: String, rejects: inout CSVWriter
    ) throws(RunError) -> CountingPass {
        do {
            var reader = try CSVReader(path: inputPath, delimiter: delimiter)
            guard try reader.next() else {
                throw RunError.inputData("\(inputPath): the file is empty; a header line naming the columns was expected")
            }
            let plan = try ColumnPlan(header: reader.strings(), policy: policy, policyPath: policyPath, inputPath: inputPath)
            var pass = CountingPass(
                plan: plan,
                dictionaries: plan.quasiIdentifiers.map { ValueDictionary(values: $0.hierarchy?.rawValues ?? []) },
                learnsValues: plan.quasiIdentifiers.map { $0.hierarchy == nil },
                histogram: TupleHistogram(width: plan.qiColumns.count))
            try pass.count(&reader, inputPath: inputPath, rejects: &rejects)
            return pass
        } catch let e as RunError {
            throw e
        } catch let e as CSVError {
            throw .inputData(e.description)
        } catch let e as ExportError {
            throw .internalError(e.description)
        } catch {
            throw .internalError("\(error)")
        }
    }

    private mutating func count(_ reader: inout CSVReader, inputPath: String, rejects: inout CSVWriter) throws {
        let width = plan.header.count
        var tuple = [UInt32](repeating: 0, count: plan.qiColumns.count)
        while try reader.next() {
            recordsIn += 1
            if let reason = RecordCheck.rejectReason(reader: reader, width: width) {
                rejected += 1
                rejections[reason.summary, default: 0] += 1
                try rejects.write(String(reader.line))
                try rejects.write(reason.detail)
                try rejects.endRecord()
                continue
            }
            for q in plan.qiColumns.indices {
                let field = reader.field(plan.qiColumns[q])
                if let code = dictionaries[q].code(of: field) {
                    tuple[q] = code
                } else if learnsValues[q] {
                    tuple[q] = dictionaries[q].insert(String(decoding: field, as: UTF8.self))
                } else {
                    let qi = plan.quasiIdentifiers[q]
                    throw RunError.configuration(
                        "\(inputPath):\(reader.line): column \"\(qi.name)\" holds \"\(reader.string(plan.qiColumns[q]))\", "
                            + "which its hierarchy \(qi.hierarchySource ?? "") does not list. "
                            + "Add the value to the hierarchy, or correct the input; nothing was published.")
                }
            }
            tuple.withUnsafeBufferPointer { _ = histogram.add($0) }
        }
    }

    /// The hierarchies of the run, in quasi-identifier order, including those learnt from the data.
    func hierarchies() throws(RunError) -> [Hierarchy] {
        var result: [Hierarchy] = []
        for (q, qi) in plan.quasiIdentifiers.enumerated() {
            if let h = qi.hierarchy {
                result.append(h)
            } else {
                let values = (0..<dictionaries[q].count).map { dictionaries[q].value(UInt32($0)) }
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

/// The one rule for rejecting a record, shared by both passes so that they agree on every record.
enum RecordCheck {
    struct Reason {
        /// For the report: no line, no values.
        var summary: String
        /// For the rejects file: still no values, which may identify a person.
        var detail: String
    }

    static func rejectReason(reader: borrowing CSVReader, width: Int) -> Reason? {
        if let malformed = reader.rejectReason {
            return Reason(summary: "malformed quoting", detail: malformed)
        }
        if reader.fieldCount != width {
            return Reason(
                summary: "wrong number of fields",
                detail: "has \(reader.fieldCount) field\(reader.fieldCount == 1 ? "" : "s"); the header has \(width)")
        }
        return nil
    }
}
