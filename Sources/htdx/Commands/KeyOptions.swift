import ArgumentParser
import PolicyFile
import Pipeline

/// Where the pseudonym key is read from, for the commands that run a release. Only the path or
/// the variable's name is ever taken on the command line: a key typed there would stay in the
/// shell's history and in the process list.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: ArgumentHelp(
        "The pseudonym key: a file, readable by its owner only, holding 32 bytes or more as hexadecimal or base64.",
        valueName: "PATH"))
    var keyFile: String?

    @Option(name: .customLong("key-env"), help: ArgumentHelp(
        "The pseudonym key: an environment variable holding it as hexadecimal or base64.", valueName: "NAME"))
    var keyEnvironment: String?

    func validate() throws {
        if keyFile != nil && keyEnvironment != nil { throw ValidationError("give --key-file or --key-env, not both") }
        if keyFile?.isEmpty == true { throw ValidationError("--key-file needs a path") }
        if keyEnvironment?.isEmpty == true { throw ValidationError("--key-env needs a variable name") }
    }

    /// The source the options give, which wins over a job's `pseudonymKey`; nil when neither is given.
    var source: PseudonymKeySource? {
        if let keyFile { return .file(keyFile) }
        if let keyEnvironment { return .environment(keyEnvironment) }
        return nil
    }

    func apply(to run: inout AnonymizeRun) {
        if let source { run.keySource = source }
    }
}
