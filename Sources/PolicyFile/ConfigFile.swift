import Foundation

/// Reads a configuration file (policy, job, profile, hierarchy, crosswalk) with the limits every
/// one of them must keep: a regular file, and no larger than its kind's limit.
///
/// The file is opened without blocking and checked with `fstat` before a byte is read, so a FIFO
/// given by mistake is refused instead of hanging the run, and a device or directory is never read.
public enum ConfigFile {
    /// Policies, jobs and profiles are written by hand; a megabyte is far beyond any real one.
    public static let yamlLimit = 1 << 20
    /// Hierarchy and crosswalk tables can list every value of a column (postcodes, dates).
    public static let tableLimit = 64 << 20

    /// The file's bytes. `what` names the file in messages ("policy", "hierarchy").
    public static func read(path: String, what: String, limit: Int) throws(PolicyError) -> Data {
        // stat first, so that a FIFO is never opened; fstat again after opening, in case the
        // path was swapped in between (O_NONBLOCK keeps even that open from hanging).
        try check(path: path, what: what, limit: limit)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == EACCES ? "permission denied" : errno == ENOENT ? "no such file" : "cannot open it"
            throw PolicyError(file: path, line: 0, key: "", message: "cannot read the \(what) file (\(reason)); check the path")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw PolicyError(file: path, line: 0, key: "", message: "cannot read the \(what) file; check the path")
        }
        if let refusal = refusal(mode: info.st_mode, size: Int(info.st_size), what: what, limit: limit) {
            throw PolicyError(file: path, line: 0, key: "", message: refusal)
        }
        // The descriptor is a regular file, so non-blocking reads behave as blocking ones.
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw PolicyError(file: path, line: 0, key: "", message: "cannot read the \(what) file; check the path") }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            // The file may have grown since fstat.
            guard data.count <= limit else {
                throw PolicyError(file: path, line: 0, key: "", message: tooLarge(what: what, limit: limit))
            }
        }
        return data
    }

    /// Checks, without opening it, that `path` names a regular file within the limit.
    public static func check(path: String, what: String, limit: Int) throws(PolicyError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno == EACCES ? "permission denied" : errno == ENOENT ? "no such file" : "cannot reach it"
            throw PolicyError(file: path, line: 0, key: "", message: "cannot read the \(what) file (\(reason)); check the path")
        }
        if let refusal = refusal(mode: info.st_mode, size: Int(info.st_size), what: what, limit: limit) {
            throw PolicyError(file: path, line: 0, key: "", message: refusal)
        }
    }

    private static func refusal(mode: mode_t, size: Int, what: String, limit: Int) -> String? {
        switch mode & S_IFMT {
        case S_IFREG:
            return size > limit ? tooLarge(what: what, limit: limit) : nil
        case S_IFDIR:
            return "is a directory, not a \(what) file; give the file itself"
        case S_IFIFO, S_IFSOCK:
            return "is a pipe or socket, not a regular file; a \(what) must be a file, so that it can be read in full and hashed"
        default:
            return "is a device, not a regular file; give the \(what) file"
        }
    }

    private static func tooLarge(what: String, limit: Int) -> String {
        "the \(what) file is larger than the limit of \(limit >> 20) MiB, so it is not read; "
            + "check that the right file was given"
    }
}
