import Foundation

/// Refuses a run that names one input twice. The same export read twice would count every
/// person in it twice, and nothing in the second reading could be published: every record of it
/// would be rejected as a duplicate (or, without a reference field, inflate every class). A data
/// officer who lists a file twice has made a mistake in the job or the command line, so the run
/// stops before reading anything (exit 2) and names both entries, rather than rejecting half its
/// records and leaving them to find out why.
///
/// The same file is the same device and inode, however spelt (`..`, symlinks, hard links, bind
/// mounts); two regular files of the same size are also compared byte for byte, since a
/// re-sent export saved under a new name is the same export. Only regular files are compared by
/// content: a FIFO or a directory of submissions is never read here.
enum InputIdentity {
    static func check(_ inputs: [RunInput]) throws(RunError) {
        var seen: [(path: String, device: UInt64, inode: UInt64, size: Int64, regular: Bool)] = []
        for input in inputs {
            var info = stat()
            guard stat(input.path, &info) == 0 else { continue }
            let entry = (input.path, UInt64(info.st_dev), UInt64(info.st_ino), Int64(info.st_size), (info.st_mode & S_IFMT) == S_IFREG)
            for earlier in seen {
                let same = (earlier.device == entry.1 && earlier.inode == entry.2)
                    || (earlier.regular && entry.4 && earlier.size == entry.3 && sameContent(earlier.path, entry.0))
                if same {
                    throw .configuration("\(entry.0) and \(earlier.path) are the same export given twice: its people would be "
                        + "counted twice. Give each input once.")
                }
            }
            seen.append(entry)
        }
    }

    /// Whether two regular files hold the same bytes; read in blocks, stopping at the first difference.
    private static func sameContent(_ a: String, _ b: String) -> Bool {
        guard let x = FileHandle(forReadingAtPath: a), let y = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? x.close(); try? y.close() }
        while true {
            let p = (try? x.read(upToCount: 1 << 16)) ?? nil
            let q = (try? y.read(upToCount: 1 << 16)) ?? nil
            if p != q { return false }
            if p == nil || p?.isEmpty == true { return true }
        }
    }
}
