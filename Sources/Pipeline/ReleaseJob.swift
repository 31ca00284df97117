import Export
import Foundation
import PolicyFile

/// A scheduled release, as `htdx run JOB.yaml` runs it: the job file read and checked, then one
/// anonymisation run over its inputs, publishing into its output directory.
public struct ReleaseJob {
    public let document: JobDocument

    public init(document: JobDocument) {
        self.document = document
    }

    public static func load(path: String) throws(RunError) -> ReleaseJob {
        do {
            return ReleaseJob(document: try JobDocument.load(path: path))
        } catch {
            throw .configuration(error.description)
        }
    }

    /// The run the job describes, with its inputs resolved against the policy's directory.
    public func anonymizeRun() throws(RunError) -> AnonymizeRun {
        var inputs: [RunInput] = []
        for (i, input) in document.inputs.enumerated() {
            if let profile = input.profile {
                // A profile named in the job is looked for beside the policy, as on the command line;
                // a relative profile file is relative to the job.
                let name = profile.hasSuffix(".yaml") && !profile.hasPrefix("/")
                    ? PathText.join(PathText.parent(document.path), profile) : profile
                inputs.append(try RunInput.profiled(name, path: input.path, policyPath: document.policy,
                                                    what: "\(document.path): inputs[\(i)]"))
            } else {
                inputs.append(.csv(input.path))
            }
        }
        var run = AnonymizeRun(policyPath: document.policy, inputs: inputs, outputDirectory: document.output,
                               rejectsPath: document.rejects)
        run.jobSHA256 = SHA256.hex(document.bytes)
        run.maxRejectedShare = document.maxRejectedShare
        run.jobPath = document.path
        run.combinations = document.combinations
        run.tables = document.tables
        run.historyPath = document.history
        run.keySource = document.pseudonymKey
        return run
    }

    public func run() throws(RunError) -> AnonymizeRun.Outcome {
        try anonymizeRun().run()
    }
}
