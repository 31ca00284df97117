#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths taken apart as text, without Foundation's `NSString` path methods, some of which trap on
/// a bare file name (`deletingLastPathComponent` of `r.csv`); every path a user gives comes
/// through here.
public enum PathText {
    /// The folder part: `.` for a bare name, `/` for a name at the root.
    public static func parent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let head = trimmingTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// The last component, trailing slashes ignored; `/` for the root, "" for "".
    public static func name(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `name` inside `directory`.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Whether `inner` lies strictly inside `outer`, both absolute and without `.` or `..`.
    public static func isInside(_ inner: String, _ outer: String) -> Bool {
        inner != outer && inner.hasPrefix(outer == "/" ? "/" : outer + "/")
    }

    /// `path` made absolute against the working directory, with every symbolic link, `.` and `..`
    /// of its existing part resolved by the file system, and the part that does not exist yet
    /// appended as written (its `..` taken as text). Nil when the existing part ends in a path
    /// the file system cannot follow: a symbolic link to nothing (which could later be made to
    /// point anywhere), or a file used as a folder.
    public static func resolved(_ path: String) -> String? {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if !path.hasPrefix("/") {
            guard let cwd = getcwd(nil, 0) else { return nil }
            let base = String(cString: cwd)
            free(cwd)
            components = base.split(separator: "/").map(String.init) + components
        }
        components.removeAll { $0 == "." }
        // The longest prefix the file system resolves; what follows it does not exist.
        var split = components.count
        var base = "/"
        while true {
            let prefix = "/" + components[..<split].joined(separator: "/")
            if let real = realpath(prefix, nil) {
                base = String(cString: real)
                free(real)
                break
            }
            var st = stat()
            if lstat(prefix, &st) == 0 || split == 0 { return nil }
            split -= 1
        }
        var result = base.split(separator: "/").map(String.init)
        for component in components[split...] {
            if component == ".." { _ = result.popLast() } else { result.append(component) }
        }
        return "/" + result.joined(separator: "/")
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
