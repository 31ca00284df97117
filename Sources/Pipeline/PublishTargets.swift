import Foundation

/// The places a run will publish to, checked before any record is read, so that a run does not
/// fail after publishing and a preview does not promise what the run cannot do. Nothing is
/// created or changed here.
public enum PublishTargets {
    static func check(output: String, rejects: String) throws(RunError) {
        let name = (output as NSString).lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw .configuration("the output \(output) must name a directory to create or replace, such as out/release")
        }
        // Compared as the file system will resolve them: `..`, `//` and symbolic links can make
        // two spellings name one place.
        guard let release = resolved(output), let log = resolved(rejects) else {
            throw .configuration("the output \(output) or the rejects file \(rejects) goes through a symbolic link to nowhere; give real paths")
        }
        if isInside(log, release) {
            throw .configuration("--rejects \(rejects) is inside the output directory; rejects can name partner records and must stay out of the published drop")
        }
        if log == release || isInside(release, log) {
            throw .configuration("the rejects file \(rejects) is the output directory \(output) or one above it; give a file beside it, such as \(release).rejects.csv")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .configuration("the output \(output) exists and is not a directory; give a directory, or remove the file")
        }
        if FileManager.default.fileExists(atPath: rejects, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .configuration("the rejects file \(rejects) is a directory; give a file path such as out/release.rejects.csv")
        }
        let outputParent = try writableAncestor(of: (output as NSString).deletingLastPathComponent, what: "the output \(output)")
        let rejectsParent = try writableAncestor(of: (rejects as NSString).deletingLastPathComponent, what: "the rejects file \(rejects)")
        // The rejects file is written beside the release while it is staged, then renamed into
        // place; a rename cannot cross file systems.
        var a = stat(), b = stat()
        if stat(outputParent, &a) == 0, stat(rejectsParent, &b) == 0, a.st_dev != b.st_dev {
            throw .configuration("the rejects file \(rejects) is on another file system than the output \(output); "
                + "put it beside the output, such as \(release).rejects.csv")
        }
        try checkReplaceable(rejects, in: rejectsParent)
    }

    /// In a sticky directory (such as /tmp) only the owner of a file or of the directory may
    /// replace it; writing permission is not enough.
    private static func checkReplaceable(_ file: String, in directory: String) throws(RunError) {
        // A file that exists has its own directory as the nearest existing one.
        var dir = stat(), existing = stat()
        guard lstat(file, &existing) == 0, stat(directory, &dir) == 0, dir.st_mode & S_ISVTX != 0 else { return }
        let me = geteuid()
        if me != 0 && existing.st_uid != me && dir.st_uid != me {
            throw .configuration("the rejects file \(file) belongs to another user in a directory where only its owner may replace it; "
                + "remove it, or give another path")
        }
    }

    /// Whether `path` is `directory` or lies inside it, both as ``resolved(_:)`` gives them. A
    /// path that goes through a symbolic link to nowhere counts as inside: where it lands is not known.
    public static func lies(_ path: String, inside directory: String) -> Bool {
        guard let inner = resolved(path), let outer = resolved(directory) else { return true }
        return inner == outer || isInside(inner, outer)
    }

    private static func isInside(_ inner: String, _ outer: String) -> Bool {
        inner.hasPrefix(outer == "/" ? "/" : outer + "/")
    }

    /// `path` made absolute, with `.`, `..` and every symbolic link of its existing part
    /// resolved; the part that does not exist yet is appended as written. Nil when a part is a
    /// symbolic link to nothing, which could later be made to point anywhere.
    public static func resolved(_ path: String) -> String? {
        var absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        absolute = (absolute as NSString).standardizingPath
        var existing = absolute
        var rest: [String] = []
        while !existing.isEmpty && existing != "/" && !FileManager.default.fileExists(atPath: existing) {
            var link = stat()
            if lstat(existing, &link) == 0 { return nil }
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        var base = existing.isEmpty ? "/" : existing
        if let real = realpath(base, nil) {
            base = String(cString: real)
            free(real)
        }
        return (([base] + rest).joined(separator: "/") as NSString).standardizingPath
    }

    /// The nearest directory at or above `path` that exists; it must be one this user can write in.
    private static func writableAncestor(of path: String, what: String) throws(RunError) -> String {
        var current = path.isEmpty ? "." : path
        while !FileManager.default.fileExists(atPath: current) {
            let up = (current as NSString).deletingLastPathComponent
            current = up.isEmpty ? "." : up
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory), isDirectory.boolValue,
              access(current, W_OK | X_OK) == 0 else {
            throw .configuration("\(what) cannot be written: \(current) is not a directory this user can write in")
        }
        return current
    }
}
