import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile

/// One `htdx anonymize` run: policy, two passes over one CSV file, the optimal search, the
/// verified drop moved into place, and the rejects file beside it.
public struct AnonymizeRun {
    public var policyPath: String
    public var inputPath: String
    public var outputDirectory: String
    /// Where rejected records are listed; by default `DIR.rejects.csv` beside the drop, never inside it.
    public var rejectsPath: String?

    public init(policyPath: String, inputPath: String, outputDirectory: String, rejectsPath: String? = nil) {
        self.policyPath = policyPath
        self.inputPath = inputPath
        self.outputDirectory = outputDirectory
        self.rejectsPath = rejectsPath
    }

    public struct Outcome: Sendable {
        public var report: Report
        public var outputDirectory: String
        public var rejectsPath: String
    }

    public func run() throws(RunError) -> Outcome {
        let document: PolicyDocument
        do {
            document = try PolicyDocument.load(path: policyPath)
        } catch {
            throw .configuration(error.description)
        }
        let policy = document.policy
        let destination = (outputDirectory as NSString).standardizingPath
        let rejectsFinal = rejectsPath ?? destination + ".rejects.csv"
        if (rejectsFinal as NSString).standardizingPath.hasPrefix(destination + "/") {
            throw .configuration("--rejects \(rejectsFinal) is inside the output directory; rejects can name partner records and must stay out of the published drop")
        }
        guard FileManager.default.isReadableFile(atPath: inputPath) else {
            throw .configuration("\(inputPath): cannot read the input file; check the path")
        }

        let staging: AtomicDirectory
        do { staging = try AtomicDirectory(destination: destination) } catch { throw .internalError(error.description) }
        var published = false
        defer { if !published { staging.discard() } }
        let rejectsStaging = staging.staging + ".rejects.csv"
        defer { try? FileManager.default.removeItem(atPath: rejectsStaging) }

        // Pass 1.
        var rejects: CSVWriter
        do { rejects = try CSVWriter(path: rejectsStaging, delimiter: UInt8(ascii: ",")) } catch { throw .internalError(error.description) }
        do { try rejects.writeRecord(["line", "reason"]) } catch { throw .internalError(error.description) }
        let counted = try CountingPass.run(
            inputPath: inputPath, delimiter: document.delimiter, policy: policy, policyPath: policyPath, rejects: &rejects)
        do { try rejects.finish() } catch { throw .internalError(error.description) }

        // The search sees only the histogram.
        let hierarchies = try counted.hierarchies()
        let search = OptimalSearch(hierarchies: hierarchies, model: policy.privacy, metric: policy.metric)
        let result: SearchResult
        do {
            result = try search.run(on: counted.histogram)
        } catch {
            if case .latticeTooLarge = error { throw .configuration("\(policyPath): \(error.description)") }
            throw .privacy("\(inputPath): \(Self.explain(error, names: counted.plan.quasiIdentifiers.map(\.name))) Nothing was published.")
        }
        let levels = result.best.levels
        let suppressedTuples = search.suppressedTuples(in: counted.histogram, levels: levels)

        // Pass 2.
        let dataPath = staging.path("anonymized.csv")
        var output: CSVWriter
        do { output = try CSVWriter(path: dataPath, delimiter: document.delimiter) } catch { throw .internalError(error.description) }
        let written = try PublishingPass.run(
            inputPath: inputPath, delimiter: document.delimiter, counted: counted, levels: levels,
            hierarchies: hierarchies, suppressedTuples: suppressedTuples, output: &output)
        guard written.suppressed == result.best.suppressed,
              counted.recordsIn == counted.rejected + written.suppressed + written.published else {
            throw .internalError("the records do not balance: \(counted.recordsIn) read, \(counted.rejected) rejected, "
                + "\(written.suppressed) suppressed (the search expected \(result.best.suppressed)), \(written.published) published")
        }

        let report = makeReport(document: document, counted: counted, result: result, written: written)
        do {
            try report.jsonData().write(to: URL(fileURLWithPath: staging.path("report.json")))
        } catch {
            throw .internalError("cannot write report.json: \(error)")
        }

        // Check the drop from the file alone before anyone can see it.
        let qiNames = counted.plan.quasiIdentifiers.map(\.name)
        var allowed: [String: [String]] = [:]
        for (q, name) in qiNames.enumerated() { allowed[name] = hierarchies[q].labels[levels[q]] }
        do {
            _ = try DropVerifier.verify(
                path: dataPath, delimiter: document.delimiter,
                expecting: .init(columns: counted.plan.publishedNames, allowedLabels: allowed, k: policy.privacy.k,
                                 records: written.published))
            try staging.publish()
        } catch {
            throw .internalError(error.description)
        }
        published = true
        guard rename(rejectsStaging, rejectsFinal) == 0 else {
            throw .internalError("the drop was published, but the rejects file could not be moved to \(rejectsFinal): \(String(cString: strerror(errno)))")
        }
        return Outcome(report: report, outputDirectory: destination, rejectsPath: rejectsFinal)
    }

    /// The search's refusal in the policy's terms: attribute names rather than a level vector.
    static func explain(_ error: AnonymizationError, names: [String]) -> String {
        guard case .infeasible(let k, let records, let maxSuppressed, let closest) = error, records >= k else {
            return error.description
        }
        let levels = zip(names, closest.levels).map { "\($0)=\($1)" }.joined(separator: ", ")
        return "k = \(k) cannot be met within the suppression limit of \(maxSuppressed) of \(records) records. "
            + "The closest transformation, every hierarchy at its top (\(levels)), still suppresses "
            + "\(closest.suppressed): a hierarchy stops short of one group. Add a top level such as `*`, "
            + "or raise suppressionLimit."
    }

    private func makeReport(document: PolicyDocument, counted: CountingPass, result: SearchResult, written: PublishingPass) -> Report {
        let policy = document.policy
        let qiNames = counted.plan.quasiIdentifiers.map(\.name)
        let best = result.best
        var transformation: [String: Int] = [:]
        var attributeLoss: [String: Double] = [:]
        for (q, name) in qiNames.enumerated() {
            transformation[name] = best.levels[q]
            attributeLoss[name] = best.attributeLoss[q]
        }
        var hierarchyHashes: [String: String] = [:]
        for file in document.hierarchyFiles {
            hierarchyHashes[(file.path as NSString).lastPathComponent] = SHA256.hex(file.bytes)
        }
        return Report(
            input: (inputPath as NSString).lastPathComponent,
            k: policy.privacy.k, suppressionLimit: policy.privacy.suppressionLimit, metric: policy.metric.rawValue,
            informationLoss: best.informationLoss, attributeLoss: attributeLoss, discernibility: best.discernibility,
            records: .init(in: counted.recordsIn, rejected: counted.rejected, suppressed: written.suppressed,
                           published: written.published, suppressionAllowed: result.maxSuppressed),
            rejections: counted.rejections, transformation: transformation, quasiIdentifiers: qiNames,
            equivalenceClasses: .init(
                count: best.publishedClasses, smallest: best.smallestClass,
                mean: best.publishedClasses == 0 ? 0 : Double(written.published) / Double(best.publishedClasses)),
            search: .init(latticeSize: result.latticeSize, nodesEvaluated: result.nodesEvaluated,
                          distinctTuples: counted.histogram.tupleCount),
            columns: counted.plan.publishedNames, dropped: counted.plan.droppedNames,
            policySHA256: SHA256.hex(document.bytes), hierarchySHA256: hierarchyHashes)
    }
}
