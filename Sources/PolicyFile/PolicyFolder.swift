import Foundation
import Ingest
import Tabular

/// Whether a file a policy names lies inside the policy's own folder.
///
/// A policy is reviewed together with the files beside it; a hierarchy reached by an absolute
/// path, `..` or a symbolic link could be any file on the machine, changed by anyone who can
/// write there, and its lines would be read as hierarchy rows.
enum PolicyFolder {
    /// Why `file` is outside the folder of `policy`, or nil when it is inside. Both are resolved
    /// (symbolic links and `..`) before they are compared.
    static func outside(_ file: String, policy: String) -> String? {
        let folder = folder(of: policy)
        guard let root = real(folder.isEmpty ? "." : folder), let target = real(file) else {
            return "cannot be resolved"
        }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return target.hasPrefix(prefix) ? nil : "lies outside the policy's folder \(SafeText.path(root)) (symbolic links resolved)"
    }

    private static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
