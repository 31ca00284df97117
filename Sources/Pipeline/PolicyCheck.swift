import Anonymize
import Export
import Foundation
import Ingest
import PolicyFile
import Tabular

/// One finding of `htdx check`, printed as a compiler prints one: `file:line:col: error: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var file: String
    /// 1-based; 0 when the finding belongs to the file as a whole.
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String {
        "\(PolicyError.place(file: file, line: line, column: column)): \(severity.rawValue): \(message)"
    }
}

/// Lints a policy or a job without running it (`htdx check`): everything the run would refuse,
/// found before any data is read, plus warnings a data officer should see.
///
/// - Errors: whatever loading the job, the policy, its hierarchies and crosswalks refuses
///   (unknown keys with a suggestion, missing files, hierarchies that are not functional,
///   published identifiers, rules on unknown fields or values); an input the job names that
///   cannot be read; a sample column the policy does not list; a sample value a hierarchy does
///   not cover.
/// - Warnings: k below the portal's 11; a quasi-identifier without a hierarchy (it can only be
///   published whole or as `*`); a hierarchy without a single top value.
///
/// A partner profile is linted by ``ProfileCheck``, and so is each profile a job's inputs name,
/// with its input as the sample.
public enum PolicyCheck {
    public static let portalK = 11

    /// `showValues` lets a sample's values and unknown column names into the findings: only for
    /// `htdx check --show-values`, the data officer's own workbench. Without it a finding gives the
    /// line and column, never the value.
    public static func check(path: String, samples: [String], showValues: Bool = false, allowOutside: Bool = false) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var policyPath = path
        var jobSamples: [String] = []
        if isProfile(path) { return ProfileCheck.check(path: path, samples: samples, showValues: showValues) }
        if isJob(path) {
            switch Result(catching: { () throws(PolicyError) in try JobDocument.load(path: path) }) {
            case .failure(let e):
                return diagnostics(e, first: path)
            case .success(let job):
                policyPath = job.policy
                for input in job.inputs where !FileManager.default.isReadableFile(atPath: input.path) {
                    found.append(Diagnostic(severity: .error, file: path, line: 0, column: 0,
                                            message: "input \(SafeText.path(input.path)) cannot be read; check the path (relative to the job file)"))
                }
                jobSamples = job.inputs.filter { $0.profile == nil }.map(\.path).filter { FileManager.default.isReadableFile(atPath: $0) }
                // Each profile linted, with its input as the sample, so that a wrong file or a
                // value the run would reject is found here too.
                for input in job.inputs {
                    guard let profile = input.profile else { continue }
                    if let file = profileFile(profile, policyPath: job.policy) {
                        let readable = FileManager.default.isReadableFile(atPath: input.path)
                        found += ProfileCheck.check(path: file, samples: readable ? [input.path] : [], showValues: showValues)
                    } else if case .failure(let e) = Result(catching: { () throws(RunError) in
                        try RunInput.profiled(profile, path: input.path, policyPath: job.policy, what: "profile \(SafeText.name(profile))")
                    }) {
                        found.append(Diagnostic(severity: .error, file: path, line: 0, column: 0, message: e.description))
                    }
                }
            }
        }
        let document: PolicyDocument
        switch Result(catching: { () throws(PolicyError) in try PolicyDocument.load(path: policyPath, allowOutside: allowOutside) }) {
        case .failure(let e): return found + diagnostics(e, first: policyPath)
        case .success(let d): document = d
        }
        let policy = document.policy
        let k = policy.privacy.k
        if k < portalK {
            found.append(Diagnostic(severity: .warning, file: policyPath, line: line(of: "privacy", in: document), column: 0,
                                    message: "privacy.k is \(k), below the portal's \(portalK)"))
        }
        if policy.weights != nil && policy.metric == .discernibility {
            found.append(Diagnostic(severity: .warning, file: policyPath, line: line(of: "metric", in: document), column: 0,
                                    message: "weights apply to the loss metric; discernibility ignores them"))
        }
        for qi in policy.quasiIdentifiers where qi.maxLevel == 0 {
            found.append(Diagnostic(severity: .warning, file: policyPath, line: line(of: qi.name, in: document), column: 0,
                                    message: "attributes.\(SafeText.name(qi.name)) has maxLevel 0: it is never generalised, so only suppression can protect its rare values"))
        }
        for qi in policy.quasiIdentifiers where qi.hierarchy == nil {
            found.append(Diagnostic(severity: .warning, file: policyPath, line: line(of: qi.name, in: document), column: 0,
                                    message: "attributes.\(SafeText.name(qi.name)) is a quasi-identifier without a hierarchy: it can only be published whole or as *"))
        }
        // Several values at the top level is not refused (the search still fails closed when k cannot
        // be met), but even the most general transformation then publishes those groups apart.
        for qi in policy.quasiIdentifiers {
            guard let h = qi.hierarchy, let top = h.labels.last, top.count > 1 else { continue }
            found.append(Diagnostic(severity: .warning, file: policyPath, line: line(of: qi.name, in: document), column: 0,
                                    message: "attributes.\(SafeText.name(qi.name)): the hierarchy \(SafeText.path(qi.hierarchySource ?? "")) has "
                                        + "\(top.count) values at its top level, so no level joins all values and k may be unreachable; "
                                        + "add a last column of * to every row"))
        }
        for sample in samples + jobSamples { found += checkSample(sample, document: document, showValues: showValues) }
        return found
    }

    /// Every column of the sample listed, and every quasi-identifier value covered by its hierarchy.
    static func checkSample(_ path: String, document: PolicyDocument, showValues: Bool = false) -> [Diagnostic] {
        let policy = document.policy
        var found: [Diagnostic] = []
        do {
            var reader = try CSVReader(path: path, delimiter: document.delimiter)
            reader.source = .policyInput
            guard try reader.next() else { return [Diagnostic(severity: .error, file: path, line: 0, column: 0, message: "the sample is empty")] }
            let header = reader.strings()
            let derived = Set(policy.derived.map(\.name))
            let unknown = header.indices.filter { policy.attribute(named: header[$0]) == nil || derived.contains(header[$0]) }
            // Most of the header unknown: another file, or one without a header. One finding, not one per cell.
            if !showValues && unknown.count * 2 > header.count {
                return [Diagnostic(severity: .error, file: path, line: 1, column: 0, message:
                    "\(unknown.count) of the \(header.count) columns are not listed in \(SafeText.path(document.path)). "
                    + "Is this the right file for this policy, with its header? (The header is not shown, in case it is data; --show-values shows it.)")]
            }
            for (c, name) in header.enumerated() where policy.attribute(named: name) == nil || derived.contains(name) {
                // A header the policy does not know may be a first row of data (a file without a
                // header), so its text is shown only on request.
                let which = showValues ? "column \(c + 1) of the header (\"\(SafeText.name(name))\")" : "column \(c + 1) of the header"
                let hint = showValues ? "" : " (its name is not shown; --show-values shows it)"
                found.append(Diagnostic(severity: .error, file: path, line: 1, column: c + 1,
                                        message: "\(which) is not listed in \(SafeText.path(document.path))\(hint); every column needs a role"))
            }
            var covered: [(column: Int, name: String, values: Set<String>, multiple: Bool, source: String)] = []
            for qi in policy.quasiIdentifiers {
                guard let c = header.firstIndex(of: qi.name), let h = qi.hierarchy else { continue }
                covered.append((c, qi.name, Set(h.rawValues), qi.multiple != nil, qi.hierarchySource ?? "its hierarchy"))
            }
            var reported = Set<String>()
            while try reader.next() {
                guard reader.rejectReason == nil, reader.fieldCount == header.count else { continue }
                for q in covered {
                    let value = reader.string(q.column)
                    if q.values.contains(value) || (q.multiple && value.contains(";")) { continue }
                    guard reported.insert(q.name + "\u{1F}" + value).inserted else { continue }
                    let what = showValues ? "holds \"\(SafeText.name(value))\", which" : "holds a value that"
                    let see = showValues ? "" : ", or run htdx check --show-values to see it"
                    found.append(Diagnostic(severity: .error, file: path, line: reader.line, column: q.column + 1,
                                            message: "column \(SafeText.name(q.name)) \(what) \(SafeText.path(q.source)) does not cover; add a row for it\(see)"))
                }
            }
        } catch {
            found.append(Diagnostic(severity: .error, file: path, line: 0, column: 0, message: "\(error)"))
        }
        return found
    }

    /// The profile file a job's input names, found as a run finds it (``RunInput/profiled``).
    static func profileFile(_ name: String, policyPath: String) -> String? {
        let candidate = name.hasSuffix(".yaml") || name.contains("/") ? name : PathText.join(PathText.parent(policyPath), "partners/\(name).yaml")
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// Whether the file is a partner profile: top-level partner, or format and fields, and no
    /// attributes or inputs (a policy's and a job's own keys).
    static func isProfile(_ path: String) -> Bool {
        guard let data = try? ConfigFile.read(path: path, what: "policy, job or profile", limit: ConfigFile.yamlLimit),
              let text = String(data: data, encoding: .utf8) else { return false }
        let keys = Set(text.split(separator: "\n").compactMap { line -> Substring? in
            guard let colon = line.firstIndex(of: ":"), line.first?.isLetter == true else { return nil }
            return line[..<colon]
        })
        guard !keys.contains("attributes"), !keys.contains("inputs") else { return false }
        return keys.contains("partner") || (keys.contains("format") && keys.contains("fields"))
    }

    static func isJob(_ path: String) -> Bool {
        // Read with the configuration limits: a FIFO or device is refused, not read.
        guard let data = try? ConfigFile.read(path: path, what: "policy or job", limit: ConfigFile.yamlLimit),
              let text = String(data: data, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("inputs:") }
    }

    /// Every mistake a load found: those in `first` (the file checked) in its order, then those
    /// in the files it names (hierarchies), each in its own order.
    static func diagnostics(_ e: PolicyError, first: String) -> [Diagnostic] {
        ([e] + e.more).enumerated().sorted { a, b in
            (a.element.file == first ? 0 : 1, a.element.file, a.element.line, a.element.column, a.offset)
                < (b.element.file == first ? 0 : 1, b.element.file, b.element.line, b.element.column, b.offset)
        }.map(\.element).map {
            Diagnostic(severity: .error, file: $0.file, line: $0.line, column: $0.column, message: $0.key.isEmpty ? $0.message : "\(SafeText.path($0.key)): \($0.message)")
        }
    }

    /// The line of the first top-level or attribute key named `key`, for warnings.
    static func line(of key: String, in document: PolicyDocument) -> Int {
        let text = String(decoding: document.bytes, as: UTF8.self)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix(key + ":") { return i + 1 }
        }
        return 0
    }
}
