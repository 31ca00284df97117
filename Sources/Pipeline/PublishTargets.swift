import Export
import Foundation

/// The places a run will publish to, checked before any record is read and before anything is
/// created beside them, so that a run does not fail after publishing, a preview does not promise
/// what the run cannot do, and a refused target is left exactly as it was. Nothing is created or
/// changed here.
///
/// htdx replaces only what it wrote itself:
/// - the output directory must be absent, empty, or an htdx release that still verifies (a
///   release changed since publication is refused: what it now holds is not known to be htdx's);
/// - the rejects file must be absent, empty, or an htdx rejects file (its first line is the
///   header the rejects log writes);
/// - neither may be, contain or lie inside a file the run reads, nor be a system directory.
public enum PublishTargets {
    /// The first line of every rejects file htdx writes.
    static let rejectsHeader = "partner,file,line,reference,field,reason"

    /// Where a checked run publishes: each path resolved (`..` and symbolic links followed), so
    /// that the release replaced is the one that was checked.
    struct Resolved {
        let output: String
        let rejects: String
    }

    @discardableResult
    static func check(output: String, rejects: String, protecting files: [ProtectedFile] = []) throws(RunError) -> Resolved {
        let name = PathText.name(output)
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw .configuration("the output \(output) must name a directory to create or replace, such as out/release")
        }
        // Compared as the file system will resolve them: `..`, `//` and symbolic links can make
        // two spellings name one place.
        guard let release = PathText.resolved(output) else {
            throw .configuration("the output \(output) cannot be followed (a symbolic link to nowhere, or a file used as a folder); give a real path")
        }
        guard let log = PathText.resolved(rejects) else {
            throw .configuration("the rejects file \(rejects) cannot be followed (a symbolic link to nowhere, or a file used as a folder); give a real path")
        }
        if PathText.isInside(log, release) {
            throw .configuration("--rejects \(rejects) is inside the output directory; rejects can name partner records and must stay out of the published drop")
        }
        if log == release || PathText.isInside(release, log) {
            throw .configuration("the rejects file \(rejects) is the output directory \(output) or one above it; give a file beside it, such as \(release).rejects.csv")
        }
        try SystemDirectories.checkOutput(output, resolved: release)
        try SystemDirectories.checkFolder(of: rejects, resolved: log, what: "the rejects file")
        try ProtectedPaths.checkOutput(output, resolved: release, against: files)
        try ProtectedPaths.checkRejects(rejects, resolved: log, against: files)
        try ReplaceableOutput.check(output, resolved: release)
        try checkRejectsFile(rejects, resolved: log)

        let outputParent = try writableAncestor(of: PathText.parent(release), what: "the output \(output)")
        let rejectsParent = try writableAncestor(of: PathText.parent(log), what: "the rejects file \(rejects)")
        // The rejects file is written beside the release while it is staged, then renamed into
        // place; a rename cannot cross file systems.
        var a = stat(), b = stat()
        if stat(outputParent, &a) == 0, stat(rejectsParent, &b) == 0, a.st_dev != b.st_dev {
            throw .configuration("the rejects file \(rejects) is on another file system than the output \(output); "
                + "put it beside the output, such as \(release).rejects.csv")
        }
        try checkReplaceable(rejects, resolved: log, in: rejectsParent)
        return Resolved(output: release, rejects: log)
    }

    /// An existing rejects file is replaced only when htdx wrote it: a regular file, empty or
    /// starting with the rejects header line.
    private static func checkRejectsFile(_ rejects: String, resolved: String) throws(RunError) {
        var st = stat()
        guard stat(resolved, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw .configuration("the rejects file \(rejects) is a directory; give a file path such as out/release.rejects.csv")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw .configuration("the rejects file \(rejects) exists and is not a regular file (a device, a pipe or a socket); give a file path such as out/release.rejects.csv")
        }
        if st.st_size == 0 { return }
        guard firstLine(of: resolved) == rejectsHeader else {
            throw .configuration("the rejects file \(rejects) exists and is not an htdx rejects file (its first line is not the rejects header); "
                + "htdx overwrites only a rejects file it wrote. Give another path, or move the file aside yourself")
        }
    }

    /// The first line of a file, read no further than the header's length needs; nil when it
    /// cannot be read.
    private static func firstLine(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: rejectsHeader.utf8.count + 2)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        var bytes = Array(buffer[..<n])
        guard let end = bytes.firstIndex(of: 10) else { return nil }
        bytes = Array(bytes[..<end])
        if bytes.last == 13 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// In a sticky directory (such as /tmp) only the owner of a file or of the directory may
    /// replace it; writing permission is not enough.
    private static func checkReplaceable(_ file: String, resolved: String, in directory: String) throws(RunError) {
        // A file that exists has its own directory as the nearest existing one.
        var dir = stat(), existing = stat()
        guard lstat(resolved, &existing) == 0, stat(directory, &dir) == 0, dir.st_mode & S_ISVTX != 0 else { return }
        let me = geteuid()
        if me != 0 && existing.st_uid != me && dir.st_uid != me {
            throw .configuration("the rejects file \(file) belongs to another user in a directory where only its owner may replace it; "
                + "remove it, or give another path")
        }
    }

    /// Whether `path` is `directory` or lies inside it, both as ``PathText/resolved(_:)`` gives
    /// them. A path that goes through a symbolic link to nowhere counts as inside: where it lands
    /// is not known.
    public static func lies(_ path: String, inside directory: String) -> Bool {
        guard let inner = PathText.resolved(path), let outer = PathText.resolved(directory) else { return true }
        return inner == outer || PathText.isInside(inner, outer)
    }

    /// `path` resolved as ``PathText/resolved(_:)`` does.
    public static func resolved(_ path: String) -> String? { PathText.resolved(path) }

    /// The nearest directory at or above `path` that exists; it must be one this user can write in.
    private static func writableAncestor(of path: String, what: String) throws(RunError) -> String {
        var current = path
        while !FileManager.default.fileExists(atPath: current) && current != "/" {
            current = PathText.parent(current)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory), isDirectory.boolValue,
              access(current, W_OK | X_OK) == 0 else {
            throw .configuration("\(what) cannot be written: \(current) is not a directory this user can write in")
        }
        return current
    }
}

/// An existing output directory is replaced only when htdx published it: an htdx release that
/// still verifies, or an empty directory.
enum ReplaceableOutput {
    static func check(_ output: String, resolved: String) throws(RunError) {
        // A crash between two renames may leave the previous release aside: the next run puts it
        // back when the output is absent, and removes it when the output is there. Either way it
        // must be a release htdx wrote, never a folder or a link that only has its name.
        let aside = PathText.join(PathText.parent(resolved), ".\(PathText.name(resolved)).previous")
        var st = stat()
        if lstat(aside, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw .configuration("\(aside) is where htdx keeps a previous release while it publishes, but it is not a directory; "
                    + "move it aside yourself, then run again")
            }
            try checkRelease(aside, resolved: aside)
        }
        guard stat(resolved, &st) == 0 else { return }
        try checkRelease(output, resolved: resolved)
    }

    private static func checkRelease(_ output: String, resolved: String) throws(RunError) {
        var st = stat()
        guard stat(resolved, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .configuration("the output \(output) exists and is not a directory; htdx replaces only a release it published. "
                + "Give a new path, or move the file aside yourself")
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: resolved) } catch {
            throw .configuration("the output \(output) cannot be listed, so htdx cannot tell whether it is a release it published; "
                + "give a new path, or check its permissions")
        }
        if entries.isEmpty { return }
        let manifestPath = PathText.join(resolved, Manifest.fileName)
        guard let data = FileManager.default.contents(atPath: manifestPath), let manifest = try? Manifest.decode(data),
              manifest.format.hasPrefix("htdx-manifest/") else {
            throw .configuration("the output \(output) exists, is not empty, and is not an htdx release (it has no htdx \(Manifest.fileName)); "
                + "htdx replaces only a release it published or an empty directory. Give a new path, such as out/release, "
                + "or move the directory aside yourself")
        }
        do {
            _ = try ReleaseVerifier.verify(directory: resolved)
        } catch {
            let reason: String
            switch error {
            case .verification(let path, let message), .io(let path, let message): reason = "\(path) \(message)"
            }
            throw .configuration("the output \(output) is an htdx release that no longer verifies: \(reason). "
                + "htdx replaces only a release it can recognise as its own; check it with `htdx verify \(output)`, "
                + "and if it may go, move it aside or remove it yourself, then run again")
        }
    }
}
