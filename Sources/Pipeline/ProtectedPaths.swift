import Export
import Foundation
import PolicyFile

/// A file a run reads (an input, the policy, a hierarchy, a crosswalk, a profile, the job), which
/// nothing the run writes may replace, however the two paths are spelt.
public struct ProtectedFile: Sendable, Equatable {
    public var path: String
    /// What the file is to the run, as messages name it: "the input", "the policy"…
    public var role: String

    public init(path: String, role: String) {
        self.path = path
        self.role = role
    }
}

/// One file system object, as the kernel knows it: two paths name the same object when these
/// agree, whatever `..`, symbolic links, hard links or bind mounts stand between them.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// The identities of `path` and of every folder above it, up to the root.
    static func chain(_ resolvedPath: String) -> [FileIdentity] {
        var found: [FileIdentity] = []
        var current = resolvedPath
        while true {
            if let id = FileIdentity(current) { found.append(id) }
            if current == "/" { return found }
            current = PathText.parent(current)
        }
    }
}

/// Where a run may not write: over a file it reads, or in a system directory.
enum ProtectedPaths {
    /// Refuses an output directory that is or contains a protected file, or that lies inside a
    /// protected directory (an input folder of submissions): compared by resolved path, and by
    /// device and inode so that a bind mount or a hard link cannot hide the match.
    static func checkOutput(_ output: String, resolved: String, against files: [ProtectedFile]) throws(RunError) {
        let outputID = FileIdentity(resolved)
        let outputChain = FileIdentity.chain(resolved)
        for file in files {
            guard let target = PathText.resolved(file.path) else { continue }
            let isOrContains = target == resolved || PathText.isInside(target, resolved)
                || (outputID.map { FileIdentity.chain(target).contains($0) } ?? false)
            if isOrContains {
                throw .configuration("the output \(output) is or contains \(file.role) \(file.path); "
                    + "htdx never replaces what it reads. Give an output directory of its own, such as out/release")
            }
            if isDirectory(target), let id = FileIdentity(target),
               PathText.isInside(resolved, target) || outputChain.contains(id) {
                throw .configuration("the output \(output) lies inside \(file.role) \(file.path), a folder htdx reads; "
                    + "give an output directory outside it")
            }
        }
    }

    /// Refuses a rejects file that is a protected file (by path, or by device and inode), or
    /// that lies inside a protected directory.
    static func checkRejects(_ rejects: String, resolved: String, against files: [ProtectedFile]) throws(RunError) {
        let rejectsID = FileIdentity(resolved)
        for file in files {
            guard let target = PathText.resolved(file.path) else { continue }
            if target == resolved || (rejectsID != nil && rejectsID == FileIdentity(target)) {
                throw .configuration("the rejects file \(rejects) is \(file.role) \(file.path); htdx never overwrites what it reads. "
                    + "Give the rejects file a path of its own, such as out/release.rejects.csv")
            }
            if isDirectory(target), PathText.isInside(resolved, target) {
                throw .configuration("the rejects file \(rejects) lies inside \(file.role) \(file.path), a folder htdx reads; "
                    + "give a path outside it")
            }
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}

/// The directories of the operating system, and the user's home, which no run may publish into
/// or replace, whatever its permissions (a run as root can replace /etc).
enum SystemDirectories {
    /// Refused as an output, and as the folder an output or a rejects file is created in.
    static let roots = ["/", "/etc", "/usr", "/bin", "/sbin", "/var", "/boot", "/dev", "/proc", "/sys", "/root", "/home",
                        "/opt", "/srv", "/run", "/mnt", "/media", "/snap"]
    /// Refused also anywhere below: the system's own trees.
    static let trees = ["/etc", "/usr", "/bin", "/sbin", "/boot", "/dev", "/proc", "/sys"]

    /// The system directory `resolvedPath` is, or nil; `/lib`, `/lib64`, `/libx32`… count, and so
    /// does the same directory reached through a bind mount.
    static func named(_ resolvedPath: String) -> String? {
        if roots.contains(resolvedPath) || isLibrary(resolvedPath) { return resolvedPath }
        guard let id = FileIdentity(resolvedPath) else { return nil }
        return (roots + libraries()).first { FileIdentity($0) == id }
    }

    /// The system tree `resolvedPath` lies inside, or nil.
    static func containing(_ resolvedPath: String) -> String? {
        (trees + libraries()).first { PathText.isInside(resolvedPath, $0) }
    }

    /// `/tmp` and the user's home, refused as an output but not as the folder one is created in.
    static func personal(_ resolvedPath: String) -> String? {
        var candidates = ["/tmp"]
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty, let real = PathText.resolved(home) {
            candidates.append(real)
        }
        if let match = candidates.first(where: { $0 == resolvedPath }) { return match }
        guard let id = FileIdentity(resolvedPath) else { return nil }
        return candidates.first { FileIdentity($0) == id }
    }

    /// Refuses an output directory that is a system directory, `/tmp` or the home directory, or
    /// that would be created in or below a system directory.
    static func checkOutput(_ output: String, resolved: String) throws(RunError) {
        if let system = named(resolved) ?? personal(resolved) {
            throw .configuration("the output \(output) is \(system), a system or home directory, which htdx never replaces; "
                + "give a directory of its own, such as \(system == "/" ? "" : system)/htdx-release")
        }
        try checkFolder(of: output, resolved: resolved, what: "the output")
    }

    /// Refuses a file or directory to be created directly in a system directory, or anywhere in
    /// a system tree.
    static func checkFolder(of path: String, resolved: String, what: String) throws(RunError) {
        let folder = PathText.parent(resolved)
        // The home directory may hold a release (`--out ~/release`), even when it is /root.
        if folder != "/", folder != "/tmp", !trees.contains(folder), containing(folder) == nil, personal(folder) != nil { return }
        if let system = named(folder) ?? containing(resolved) {
            throw .configuration("\(what) \(path) is in \(system), a system directory, where htdx never writes; "
                + "give a path in a folder of your own")
        }
    }

    private static func isLibrary(_ path: String) -> Bool {
        path.hasPrefix("/lib") && !path.dropFirst().contains("/")
    }

    private static func libraries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/")) ?? []).filter { $0.hasPrefix("lib") }.map { "/" + $0 }
    }
}

extension AnonymizeRun {
    /// Every file this run reads, which nothing it writes may replace.
    func protectedFiles(document: PolicyDocument) -> [ProtectedFile] {
        var files = [ProtectedFile(path: policyPath, role: "the policy")]
        for input in inputs {
            files.append(ProtectedFile(path: input.path, role: "the input"))
            if let profile = input.profilePath { files.append(ProtectedFile(path: profile, role: "the profile")) }
        }
        files += document.hierarchyFiles.map { ProtectedFile(path: $0.path, role: "the hierarchy") }
        files += document.crosswalkFiles.map { ProtectedFile(path: $0.path, role: "the crosswalk") }
        if let jobPath { files.append(ProtectedFile(path: jobPath, role: "the job file")) }
        // The key must never end up inside a release, nor be replaced by one.
        if case .file(let key) = keySource { files.append(ProtectedFile(path: key, role: "the pseudonym key")) }
        return files
    }
}
