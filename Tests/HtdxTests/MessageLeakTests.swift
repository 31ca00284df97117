import Foundation
import Ingest
import Tabular
import TestSupport
import Testing

/// Runs a corpus of hostile cases through the real binary and checks that no message (standard
/// error, standard output, `--json`) holds any of the marker values planted in the inputs: data
/// values, and the lines of files that are not what they were given as.
@Suite(.enabled(if: htdxExecutable != nil, "the htdx executable was not built beside the tests"))
struct MessageLeakTests {
    /// Planted in data cells, header cells, password-file lines and tags; none may reach a message.
    static let markers = ["Maria Gonzalez", "SECRET-ZX81", "Q7-CANARY-93", "hunter2-ZZ"]

    struct Output { var status: Int32; var text: String }

    /// Runs htdx (killed after 60 s, so a hang fails rather than blocks) and returns everything it printed.
    func htdx(_ arguments: [String], in directory: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["60", htdxExecutable!] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drained on another thread so a full pipe never stalls the child.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return Output(status: process.terminationStatus,
                      text: String(decoding: o, as: UTF8.self) + String(decoding: errData.value, as: UTF8.self))
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private var finished = false
        func set(_ d: Data) { lock.lock(); data = d; finished = true; lock.unlock() }
        var done: Bool { lock.lock(); defer { lock.unlock() }; return finished }
        var value: Data { lock.lock(); defer { lock.unlock() }; return data }
    }

    /// The markers `text` contains, case-insensitively.
    static func leaks(in text: String) -> [String] {
        markers.filter { text.range(of: $0, options: .caseInsensitive) != nil }
    }

    /// A folder with a small policy, its hierarchies and the hostile files.
    static func corpus(_ s: Scratch) throws {
        try s.write("policy.yaml", """
            version: 1
            attributes:
              name: identifying
              citizenship: {type: quasi-identifying, hierarchy: hierarchies/country.csv}
              gender: {type: quasi-identifying, hierarchy: hierarchies/gender.csv}
              notes: sensitive
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        try s.write("hierarchies/country.csv", "GB;Europe;*\nFR;Europe;*\nKE;Africa;*\nNG;Africa;*\n")
        try s.write("hierarchies/gender.csv", "F;*\nM;*\n")
        var rows = ["name,citizenship,gender,notes"]
        for i in 0..<8 { rows.append("Person \(i),\(i % 2 == 0 ? "GB" : "FR"),\(i % 2 == 0 ? "F" : "M"),ok") }
        // Every position of a record holds a marker somewhere: identifying, quasi-identifying, sensitive.
        rows.append("Maria Gonzalez,SECRET-ZX81,F,Q7-CANARY-93")
        try s.write("gap.csv", rows.joined(separator: "\n") + "\n")
        // The same data with no header: its first line is data.
        try s.write("headerless.csv", rows.dropFirst().reversed().joined(separator: "\n") + "\n")
        // A successful run's inputs: markers only where nothing is published.
        var good = ["name,citizenship,gender,notes"]
        for i in 0..<8 { good.append("\(i == 0 ? "Maria Gonzalez" : "Person \(i)"),\(i % 2 == 0 ? "GB" : "FR"),\(i % 2 == 0 ? "F" : "M"),ok") }
        try s.write("good.csv", good.joined(separator: "\n") + "\n")
        // Files of other kinds, as /etc/passwd and /etc/shadow are laid out.
        try s.write("passwd", """
            root:x:0:0:Maria Gonzalez:/root:/bin/bash
            SECRET-ZX81:x:1000:1000:Q7-CANARY-93:/home/u:/bin/sh
            hunter2-ZZ:x:1001:1001::/home/v:/bin/sh

            """)
        try s.write("shadow", """
            root:$6$hunter2-ZZ:19000:0:99999:7:::
            SECRET-ZX81:*:19000:0:99999:7:::
            Maria Gonzalez:!:19000:0:99999:7:::

            """)
        // Some other YAML-looking file whose keys repeat: it cannot be composed, so its kind is unknown.
        try s.write("dupkeys.yaml", "SECRET-ZX81: 1\nMaria-Gonzalez: 2\nSECRET-ZX81: 3\n")
        try s.write("sentence.yaml", "Maria Gonzalez lives at SECRET-ZX81, password hunter2-ZZ\n")
        // A real policy with an unknown key that is not plain text, and bad values that are.
        try s.write("oddkey.yaml", """
            version: 1
            Maria Gonzalez: SECRET-ZX81
            attributes:
              name: identifying
              citizenship: {type: quasi-identifying, hierarchy: hierarchies/country.csv}
              gender: {type: quasi-identifying, hierarchy: hierarchies/gender.csv}
              notes: sensitive
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        // A hierarchy that is some other file, inside the policy's folder.
        try s.write("hierarchies/bad.csv", "SECRET-ZX81;x;*\nSECRET-ZX81;y;*\n")
        try s.write("badhier.yaml", """
            version: 1
            attributes:
              name: identifying
              citizenship: {type: quasi-identifying, hierarchy: hierarchies/bad.csv}
              gender: {type: quasi-identifying, hierarchy: hierarchies/gender.csv}
              notes: sensitive
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        try s.write("hierarchies/passwd.csv", "root:x:0:0:Maria Gonzalez;a\nSECRET-ZX81;b\n")
        try s.write("passwdhier.yaml", """
            version: 1
            attributes:
              name: identifying
              citizenship: {type: quasi-identifying, hierarchy: hierarchies/passwd.csv}
              gender: {type: quasi-identifying, hierarchy: hierarchies/gender.csv}
              notes: sensitive
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        // XML with mismatched tags and an undefined entity, named by markers.
        try s.write("bad.xml", """
            <?xml version="1.0"?>
            <h:export xmlns:h="urn:example:hotline:1"><h:case ref="1"><SECRET-ZX81>x</Q7-CANARY-93></h:case></h:export>

            """)
        try s.write("entity.xml", """
            <?xml version="1.0"?>
            <h:export xmlns:h="urn:example:hotline:1"><h:case ref="1">&SECRET-ZX81;</h:case></h:export>

            """)
        try s.write("unmapped.xml", """
            <?xml version="1.0"?>
            <h:export xmlns:h="urn:example:hotline:1"><h:case ref="1"><SECRET-ZX81>Maria Gonzalez</SECRET-ZX81></h:case></h:export>

            """)
        // A partner export under the derive (CTDC) policy: without its header, and with a country
        // code and a name where codes belong.
        let casemgmt = try String(contentsOf: Repo.root.appendingPathComponent("Examples/partners/casemgmt.csv"), encoding: .utf8)
        var lines = casemgmt.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: ",F,", with: ",Maria Gonzalez,").replacingOccurrences(of: ",M,", with: ",Maria Gonzalez,")
        lines[2] = "CM-SECRET-ZX81," + lines[2].split(separator: ",", maxSplits: 1).last!
        try s.write("casemgmt-bad.csv", lines.joined(separator: "\n") + "\n")
        try s.write("casemgmt-headerless.csv", "Q7-CANARY-93,Maria Gonzalez," + lines.dropFirst(3).joined(separator: "\n") + "\n")
        func job(_ name: String, policy: String = "policy.yaml", inputs: String) throws {
            try s.write(name, "version: 1\npolicy: \(policy)\ninputs:\n\(inputs)\noutput: out-\(name)\n")
        }
        try job("job-gap.yaml", inputs: "  - {csv: gap.csv}")
        try job("job-headerless.yaml", inputs: "  - {csv: headerless.csv}")
        try job("job-passwd-input.yaml", inputs: "  - {csv: passwd}")
        try job("job-passwd-policy.yaml", policy: "passwd", inputs: "  - {csv: gap.csv}")
        try job("job-shadow-profile.yaml", inputs: "  - {profile: ./shadow, path: gap.csv}")
        try job("job-good.yaml", inputs: "  - {csv: good.csv}")
        let ctdc = Repo.root.appendingPathComponent("Policies/ctdc-global.yaml").path
        try job("job-derive-headerless.yaml", policy: ctdc, inputs: "  - {profile: casemgmt, path: casemgmt-headerless.csv}")
        try job("job-derive-bad.yaml", policy: ctdc, inputs: "  - {profile: casemgmt, path: casemgmt-bad.csv}")
        try job("job-derive-plain.yaml", policy: ctdc, inputs: "  - {csv: casemgmt-headerless.csv}")
    }

    /// Every command over every hostile case; each returns what was printed.
    static func cases(_ s: Scratch) -> [(name: String, arguments: [String])] {
        let partners = Repo.root.appendingPathComponent("Policies/partners.yaml").path
        var list: [(String, [String])] = [
            ("hierarchy gap, anonymize", ["anonymize", "--policy", "policy.yaml", "--out", "o1", "gap.csv"]),
            ("hierarchy gap, anonymize --json", ["anonymize", "--json", "--policy", "policy.yaml", "--out", "o2", "gap.csv"]),
            ("headerless, anonymize", ["anonymize", "--policy", "policy.yaml", "--out", "o3", "headerless.csv"]),
            ("headerless, anonymize --json", ["anonymize", "--json", "--policy", "policy.yaml", "--out", "o4", "headerless.csv"]),
            ("check --sample gap", ["check", "policy.yaml", "--sample", "gap.csv"]),
            ("check --sample headerless", ["check", "policy.yaml", "--sample", "headerless.csv"]),
            ("check --sample passwd", ["check", "policy.yaml", "--sample", "passwd"]),
            ("check passwd", ["check", "passwd"]),
            ("check shadow", ["check", "shadow"]),
            ("check a sentence", ["check", "sentence.yaml"]),
            ("check repeated keys", ["check", "dupkeys.yaml"]),
            ("--policy repeated keys", ["anonymize", "--policy", "dupkeys.yaml", "--out", "o14", "gap.csv"]),
            ("check an odd key", ["check", "oddkey.yaml"]),
            ("check a duplicated hierarchy row", ["check", "badhier.yaml"]),
            ("check a passwd-like hierarchy", ["check", "passwdhier.yaml"]),
            ("--policy passwd", ["anonymize", "--policy", "passwd", "--out", "o5", "gap.csv"]),
            ("--policy shadow --json", ["anonymize", "--json", "--policy", "shadow", "--out", "o6", "gap.csv"]),
            ("--policy a sentence", ["anonymize", "--policy", "sentence.yaml", "--out", "o7", "gap.csv"]),
            ("--policy with an odd key", ["anonymize", "--policy", "oddkey.yaml", "--out", "o8", "good.csv"]),
            ("--input profile shadow", ["anonymize", "--policy", partners, "--out", "o9", "--input", "\(s.path("shadow"))=gap.csv"]),
            ("xml mismatched tags", ["anonymize", "--policy", partners, "--out", "o10", "--input", "hotline=\(s.path("bad.xml"))"]),
            ("xml undefined entity", ["anonymize", "--json", "--policy", partners, "--out", "o11", "--input", "hotline=\(s.path("entity.xml"))"]),
            ("xml unmapped element", ["anonymize", "--policy", partners, "--out", "o13", "--input", "hotline=\(s.path("unmapped.xml"))"]),
            ("check derive policy, headerless sample", ["check", Repo.root.appendingPathComponent("Policies/ctdc-global.yaml").path, "--sample", s.path("casemgmt-headerless.csv")]),
            ("success --json", ["anonymize", "--json", "--policy", "policy.yaml", "--out", "o12", "good.csv"]),
            ("run passwd as a job", ["run", "passwd"]),
            ("run shadow as a job --json", ["run", "--json", "shadow"]),
        ]
        for job in ["job-gap.yaml", "job-headerless.yaml", "job-passwd-input.yaml", "job-passwd-policy.yaml",
                    "job-shadow-profile.yaml", "job-good.yaml",
                    "job-derive-headerless.yaml", "job-derive-bad.yaml", "job-derive-plain.yaml"] {
            list.append(("run \(job)", ["run", job]))
            list.append(("run --json \(job)", ["run", "--json", job]))
            list.append(("preview \(job)", ["preview", "--no-html", job]))
            list.append(("preview --json \(job)", ["preview", "--json", "--no-html", job]))
            list.append(("explain \(job)", ["explain", "--record", "1", job]))
            list.append(("check \(job)", ["check", job]))
        }
        return list
    }

    @Test func noMessageOfTheCorpusHoldsAPlantedValue() throws {
        let s = try Scratch()
        defer { s.remove() }
        try Self.corpus(s)
        var failures: [String] = []
        var printed = 0
        for (name, arguments) in Self.cases(s) {
            let output = try htdx(arguments, in: s.url.path)
            #expect(output.status != 124, "\(name) hung")
            #expect(output.status < 128, "\(name) crashed with \(output.status)")
            printed += output.text.isEmpty ? 0 : 1
            // HTDX_LEAK_DUMP=FILE keeps every case's output, to read what the corpus prints.
            if let dump = ProcessInfo.processInfo.environment["HTDX_LEAK_DUMP"] {
                let entry = "== \(name) (exit \(output.status))\n\(output.text)\n"
                if let handle = FileHandle(forWritingAtPath: dump) {
                    handle.seekToEndOfFile()
                    handle.write(Data(entry.utf8))
                    handle.closeFile()
                } else {
                    _ = FileManager.default.createFile(atPath: dump, contents: Data(entry.utf8))
                }
            }
            let found = Self.leaks(in: output.text)
            if !found.isEmpty { failures.append("\(name): \(found) in \(output.text.prefix(400))") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // The corpus fails loudly: nearly every case prints something to check.
        #expect(printed >= Self.cases(s).count - 8)
    }

    /// The detector catches what it is meant to: the messages these cases printed before they were fixed.
    @Test func theDetectorCatchesTheOldMessages() {
        let old = [
            "gap.csv:10: citizenship holds \"SECRET-ZX81\", which its hierarchy hierarchies/country.csv does not list.",
            "gap.csv:10:2: error: citizenship holds \"SECRET-ZX81\", which hierarchies/country.csv does not cover; add a row for it",
            "headerless.csv:1: column \"Maria Gonzalez\" is not listed in the policy policy.yaml.",
            "shadow:2:1: error: SECRET-ZX81:*:19000:0:99999:7::: is not a known key; allowed here: version, input",
            "bad.xml:2: the end tag </Q7-CANARY-93> does not match the open element <SECRET-ZX81>.",
        ]
        for message in old { #expect(!Self.leaks(in: message).isEmpty, "\(message)") }
    }

    /// With --show-values, and only then, check shows the value a hierarchy lacks.
    @Test func checkShowsValuesOnlyWhenAsked() throws {
        let s = try Scratch()
        defer { s.remove() }
        try Self.corpus(s)
        let plain = try htdx(["check", "policy.yaml", "--sample", "gap.csv"], in: s.url.path)
        #expect(plain.status == 2)
        #expect(plain.text.contains("gap.csv:10:2: error: column citizenship holds a value that"))
        #expect(plain.text.contains("--show-values"))
        let shown = try htdx(["check", "policy.yaml", "--sample", "gap.csv", "--show-values"], in: s.url.path)
        #expect(shown.status == 2)
        #expect(shown.text.contains("holds \"SECRET-ZX81\""))
    }

    @Test func aFileOfAnotherKindIsOneMessage() throws {
        let s = try Scratch()
        defer { s.remove() }
        try Self.corpus(s)
        for file in ["passwd", "shadow", "sentence.yaml"] {
            let out = try htdx(["check", file], in: s.url.path)
            #expect(out.status == 2)
            #expect(out.text.split(separator: "\n").count == 1, "\(out.text)")
            #expect(out.text.contains("not an htdx policy"))
        }
        let profile = try htdx(["run", "job-shadow-profile.yaml"], in: s.url.path)
        #expect(profile.status == 2)
        #expect(profile.text.contains("not an htdx profile"), "\(profile.text)")
    }

    /// A Cyrillic е or a zero-width space in a name is shown escaped, so it cannot pass for the real name.
    @Test func confusableNamesAreEscaped() throws {
        #expect(SafeText.name("citiz\u{0435}nship") == "citizU+0435nship")
        #expect(SafeText.name("gender\u{200B}") == "genderU+200B")
        #expect(SafeText.name("a\nb\u{1B}[31m") == "aU+000AbU+001B[31m")
        #expect(SafeText.name(String(repeating: "x", count: 100)).hasSuffix("… (100 characters)"))
        #expect(SafeText.isPlainKey("suppressionLimit"))
        #expect(!SafeText.isPlainKey("Maria Gonzalez"))
        #expect(!SafeText.isPlainKey("root:x:0:0"))
        #expect(!SafeText.isPlainKey("citiz\u{0435}nship"))

        let s = try Scratch()
        defer { s.remove() }
        try Self.corpus(s)
        try s.write("confusable.yaml", """
            version: 1
            attributes:
              name: identifying
              citiz\u{0435}nship: {type: quasi-identifying, hierarchy: hierarchies/country.csv}
              gender: {type: quasi-identifying, hierarchy: hierarchies/gender.csv}
              notes: sensitive
            release: {columns: [name, "citizenship\u{200B}"]}
            privacy: {k: 2, suppressionLimit: 0.5}

            """)
        let out = try htdx(["check", "confusable.yaml"], in: s.url.path)
        #expect(out.text.contains("citizenshipU+200B"), "\(out.text)")
        #expect(!out.text.contains("\u{200B}") && !out.text.contains("\u{0435}"))
    }
}
