import Anonymize
import Export
import Ingest

/// Pass 2: reads the input again and writes every record that survives, its quasi-identifiers
/// replaced by their labels at the chosen levels.
struct PublishingPass {
    var published = 0
    var suppressed = 0

    static func run(
        inputPath: String, delimiter: UInt8, counted: CountingPass, levels: [Int], hierarchies: [Hierarchy],
        suppressedTuples: [Bool], output: inout CSVWriter
    ) throws(RunError) -> PublishingPass {
        let plan = counted.plan
        // Each raw code's published label, encoded once instead of once per record.
        let labels: [[[UInt8]]] = hierarchies.enumerated().map { q, h in
            h.map[levels[q]].map { CSVWriter.encode(h.labels[levels[q]][Int($0)], delimiter: delimiter) }
        }
        var pass = PublishingPass()
        do {
            var reader = try CSVReader(path: inputPath, delimiter: delimiter)
            guard try reader.next(), reader.strings() == plan.header else {
                throw RunError.internalError("\(inputPath) changed between the two passes (its header differs); run again")
            }
            for name in plan.publishedNames { try output.write(name) }
            try output.endRecord()
            var tuple = [UInt32](repeating: 0, count: plan.qiColumns.count)
            var records = 0
            let width = plan.header.count
            while try reader.next() {
                records += 1
                if RecordCheck.rejectReason(reader: reader, width: width) != nil { continue }
                for q in plan.qiColumns.indices {
                    guard let code = counted.dictionaries[q].code(of: reader.field(plan.qiColumns[q])) else {
                        throw RunError.internalError("\(inputPath):\(reader.line) changed between the two passes; run again")
                    }
                    tuple[q] = code
                }
                guard let t = tuple.withUnsafeBufferPointer({ counted.histogram.index(of: $0) }) else {
                    throw RunError.internalError("\(inputPath):\(reader.line) changed between the two passes; run again")
                }
                if suppressedTuples[t] {
                    pass.suppressed += 1
                    continue
                }
                for column in plan.published {
                    if let q = plan.qiIndexOfColumn[column] {
                        try output.writeEncoded(labels[q][Int(tuple[q])])
                    } else {
                        try output.write(reader.field(column))
                    }
                }
                try output.endRecord()
                pass.published += 1
            }
            guard records == counted.recordsIn else {
                throw RunError.internalError("\(inputPath) changed between the two passes (\(counted.recordsIn) then \(records) records); run again")
            }
            try output.finish()
        } catch let e as RunError {
            throw e
        } catch let e as CSVError {
            throw .inputData(e.description)
        } catch {
            throw .internalError("\(error)")
        }
        return pass
    }
}
