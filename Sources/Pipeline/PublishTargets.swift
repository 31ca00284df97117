import Foundation

/// The places a run will publish to, checked before any record is read, so that a run does not
/// fail after publishing and a preview does not promise what the run cannot do. Nothing is
/// created or changed here.
enum PublishTargets {
    static func check(output: String, rejects: String) throws(RunError) {
        let name = (output as NSString).lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw .configuration("the output \(output) must name a directory to create or replace, such as out/release")
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
                + "put it beside the output, such as \((output as NSString).standardizingPath).rejects.csv")
        }
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
