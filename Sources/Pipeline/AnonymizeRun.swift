import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// One `htdx anonymize` run: policy, two passes over the inputs, the optimal search, the verified
/// drop handed to its sink (moved into place, or previewed), and the rejects file beside it.
public struct AnonymizeRun {
    public var policyPath: String
    public var inputs: [RunInput]
    public var outputDirectory: String
    /// Where rejected records are listed; by default `DIR.rejects.csv` beside the drop, never inside it.
    public var rejectsPath: String?
    public var codeBook: any CodeBook
    /// The SHA-256 of the job file, when a scheduled job started the run; recorded in the manifest.
    public var jobSHA256: String?
    /// The job file, when a scheduled job started the run: never written over.
    public var jobPath: String?
    /// Open-access aggregates to publish beside the records (a job's `aggregates`).
    public var combinations: JobDocument.Combinations?
    public var tables: [JobDocument.Table] = []
    /// Shows progress while the passes run; nil shows nothing.
    public var progress: ProgressMeter?
    /// Where the release goes: published, or only previewed or explained (``RunSink``).
    public var sink = RunSink.publish
    /// The job's `maxRejectedShare`, which wins over the policy's.
    public var maxRejectedShare: Double?
    /// Hierarchy and crosswalk files may lie outside the policy's folder (`--allow-outside`).
    public var allowOutside = false
    /// The release history (``ReleaseHistory``); by default `DIR.history` beside the drop, never inside it.
    public var historyPath: String?
    /// Where the pseudonym key is read from (`--key-file`, `--key-env`, a job's `pseudonymKey`).
    public var keySource: PseudonymKeySource?
    /// The release's date (yyyy-MM-dd) that release-scoped pseudonyms take; today, in UTC, when nil.
    public var releaseDate: String?

    public init(policyPath: String, inputs: [RunInput], outputDirectory: String, rejectsPath: String? = nil,
                codeBook: any CodeBook = StandardCodeBook()) {
        self.policyPath = policyPath
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.rejectsPath = rejectsPath
        self.codeBook = codeBook
    }

    /// One plain CSV file, read by its header: the first slice's run.
    public init(policyPath: String, inputPath: String, outputDirectory: String, rejectsPath: String? = nil) {
        self.init(policyPath: policyPath, inputs: [.csv(inputPath)], outputDirectory: outputDirectory, rejectsPath: rejectsPath)
    }

    public struct Outcome: Sendable {
        public var report: Report
        public var outputDirectory: String
        public var rejectsPath: String
        /// False for a preview: nothing was written where anyone could read it.
        public var published = true
        /// What a preview draws besides the report: each quasi-identifier's hierarchy, and the policy.
        public var attributes: [PreviewPage.Attribute] = []
        public var policyFile = ""
        public var policyText = ""
        /// The fates of the records an explaining sink selects, in input order.
        public var fates: [RecordFate] = []
    }

    public func run() throws(RunError) -> Outcome {
        let document = try loadPolicy()
        let rejectsPublished = rejectsPath ?? outputDirectory + ".rejects.csv"
        let targets = try checkTargets(document, rejects: rejectsPublished)
        let historyResolved = try HistoryTargets.check(historyPath ?? HistoryTargets.defaultPath(outputDirectory), output: outputDirectory,
                                                       release: targets.output, rejects: targets.rejects,
                                                       protecting: protectedFiles(document: document))
        let keys = try loadKeys(document)
        // Pipes copied once, so that both passes can read them; the copies go when the run ends.
        let spool = try InputSpool(self.inputs)
        defer { spool.remove() }
        let inputs = spool.inputs
        let destination = sink.destination
        let place = try destination.prepare(targets, rejectsPublished: rejectsPublished)
        defer { place.remove() }
        let staging = try stage(place.release)
        // Read under the release's lock, once a release a kill left aside is back in place.
        let history = try loadHistory(historyResolved, output: targets.output, writes: sink.writesHistory)
        try refuseStablePseudonyms(document, history)
        var delivered = false
        defer { if !delivered { staging.discard() } }
        let rejectsStaging = staging.staging + ".rejects.csv"
        defer { try? FileManager.default.removeItem(atPath: rejectsStaging) }

        let derived = try Self.derivedColumns(document.policy)
        let counted = try countRecords(inputs, document, derived: derived, rejectsStaging: rejectsStaging, place: place, keys: keys)
        let searched = try search(counted, document, inputs: inputs, guarding: history)
        let written = try writeRecords(inputs, counted, searched, document, derived: derived, watching: destination.watching,
                                       dataPath: staging.path("anonymized.csv"))
        let verified = try verify(counted, searched, written, document)
        let described = try describe(inputs, document, counted, searched, written, verified, staging: staging)
        try writeDescriptions(described, name: PathText.name(outputDirectory), staging: staging)
        delivered = try seal(described, document, counted, searched, staging: staging, deliver: destination, history: history)

        var outcome = Outcome(report: described.report, outputDirectory: outputDirectory, rejectsPath: rejectsPublished)
        destination.finish(&outcome, FinishedRun(document: document, policyPath: policyPath, hierarchies: counted.hierarchies,
                                                 levels: searched.levels, rawFrequencies: described.rawFrequencies,
                                                 watch: written.watch))
        return outcome
    }

    private func loadPolicy() throws(RunError) -> PolicyDocument {
        do {
            return try PolicyDocument.load(path: policyPath, allowOutside: allowOutside)
        } catch {
            throw .configuration(error.description)
        }
    }

    /// Every check that needs no record: nothing is created before they all pass.
    private func checkTargets(_ document: PolicyDocument, rejects: String) throws(RunError) -> PublishTargets.Resolved {
        let targets = try PublishTargets.check(output: outputDirectory, rejects: rejects,
                                               protecting: protectedFiles(document: document))
        guard !self.inputs.isEmpty else { throw .configuration("no input: give an input file, or --input PROFILE=PATH") }
        // An export named twice is refused before a pipe is copied (pipes are never compared).
        try InputIdentity.check(self.inputs)
        return targets
    }

    /// The staging directory beside `destination`, locked against another run.
    private func stage(_ destination: String) throws(RunError) -> AtomicDirectory {
        do { return try AtomicDirectory(destination: destination) } catch {
            // Said as it is: a lock held by another run is not a failure to write.
            if case .io(let path, let message) = error { throw .internalError("\(path): \(message)") }
            throw .internalError(error.description)
        }
    }


    /// The search's refusal in the policy's terms: attribute names rather than a level vector.
    static func explain(_ error: AnonymizationError, names: [String]) -> String {
        guard case .infeasible(let models, let minimum, let records, let maxSuppressed, let closest) = error, records >= minimum else {
            return error.description
        }
        let levels = zip(names, closest.levels).map { "\($0)=\($1)" }.joined(separator: ", ")
        return "\(models) cannot be met within the suppression limit of \(maxSuppressed) of \(records) records. "
            + "The closest transformation, every hierarchy at its top (\(levels)), still suppresses "
            + "\(closest.suppressed): a hierarchy stops short of one group. Add a top level such as `*`, "
            + "or raise suppressionLimit."
    }
}
