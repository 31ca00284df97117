import ArgumentParser
import Foundation
import ProfileDraft

/// `htdx profile draft`: a first profile for a partner export nobody has described yet.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with partner profiles.",
        subcommands: [ProfileDraftCommand.self])
}

struct ProfileDraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft", abstract: "Draft a partner profile from an export.",
        discussion: """
            Reads the export once: sniffs its encoding, delimiter and header rows (CSV) or its record \
            element and namespaces (XML), proposes a canonical field for each column and a code for \
            each distinct value, and writes a profile in which every guess has its reasons and every \
            open question is marked TODO or REVIEW. Undecided columns are ignored until decided. \
            The draft holds the export's distinct values of coded columns: keep it as private as the \
            export. A value held by fewer than --k records is written only with a "rare" mark.

            Exit codes: 0 drafted · 2 usage · 3 unreadable export.
            """)

    @Argument(help: "The partner's export: a CSV file, an XML file, or a directory of XML submissions.")
    var export: String

    @Option(help: "csv or xml (default: sniffed from the file).")
    var format: String?

    @Option(help: ArgumentHelp("The XML record element, as the document writes it (default: the most frequent element under the root that holds others).", valueName: "ELEMENT"))
    var record: String?

    @Option(help: "The profile's partner name (default: the export's file name).")
    var partner: String?

    @Option(help: "The HTCDS version of the partner's codes: 0.2, 1.0 or 2.0.")
    var standard = "2.0"

    @Option(help: "Values held by fewer than k records are marked rare wherever they are written.")
    var k = 11

    @Option(help: ArgumentHelp("Write the draft to FILE (which must not exist) instead of standard output.", valueName: "FILE"))
    var out: String?

    func run() throws {
        func fail(_ message: String, _ code: Int32) -> ExitCode {
            FileHandle.standardError.write(Data("htdx profile draft: \(message)\n".utf8))
            return ExitCode(code)
        }
        var chosen: DraftFormat?
        if let format {
            guard let f = DraftFormat(rawValue: format.lowercased()) else { throw fail("--format must be csv or xml", 2) }
            chosen = f
        }
        guard ["0.2", "1.0", "2.0"].contains(standard) else { throw fail("--standard must be 0.2, 1.0 or 2.0", 2) }
        guard k >= 1 else { throw fail("--k must be at least 1", 2) }
        if let out, FileManager.default.fileExists(atPath: out) || (try? FileManager.default.destinationOfSymbolicLink(atPath: out)) != nil {
            throw fail("\(out): already exists; htdx never replaces a file it did not write. Choose a new path, or remove it first", 2)
        }
        let summary: ExportSummary
        do {
            summary = try ExportSummarizer.summarize(path: export, format: chosen, record: record)
        } catch {
            throw fail(error.message, error.isData ? 3 : 2)
        }
        let proposal = FieldGuesser.propose(summary.columns, standard: standard)
        let name = partner ?? Self.partnerName(export)
        let (text, stats) = ProfileDraftWriter.draft(summary: summary, proposal: proposal, partner: name, k: k, standard: standard)
        if let out {
            do { try DraftFile.create(out, contents: Data(text.utf8)) } catch { throw fail(error.message, 2) }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        FileHandle.standardError.write(Data(("profile draft: \(summary.records) records, \(summary.columns.count) columns; "
            + "\(stats.fieldsProposed) fields proposed, \(stats.todos) TODO, \(stats.reviews) REVIEW, "
            + "\(stats.rareValues) rare value(s) marked (fewer than \(k) records)\n").utf8))
    }

    /// The export's file name without its extension, as a profile name.
    static func partnerName(_ path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return base.isEmpty ? "partner" : base
    }
}

/// Writes a new file atomically and privately: a 0600 temporary file beside it, linked into place
/// only if the path is still free, so that neither a reader nor a race sees half a draft or loses a file.
enum DraftFile {
    static func create(_ path: String, contents: Data) throws(DraftError) {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.htdx-draft-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw DraftError("\(path): cannot be written (\(String(cString: strerror(errno))))") }
        defer { unlink(temp) }
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == contents.count, synced else { throw DraftError("\(path): cannot be written (the disk may be full)") }
        if link(temp, path) == 0 { return }
        let failure = errno
        if failure == EEXIST { throw DraftError("\(path): already exists; htdx never replaces a file it did not write") }
        // A file system without hard links: rename, having checked again that the path is free.
        guard [EPERM, ENOTSUP, EOPNOTSUPP, ENOSYS].contains(failure), !FileManager.default.fileExists(atPath: path),
              rename(temp, path) == 0 else {
            throw DraftError("\(path): cannot be written (\(String(cString: strerror(failure))))")
        }
    }
}
