import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A directory that is written beside its destination, then moved into place in one step, so
/// that readers see either the old drop whole or the new drop whole, never a mix.
public struct AtomicDirectory {
    public let destination: String
    /// Where files are written until ``publish()``.
    public let staging: String

    public init(destination: String) throws(ExportError) {
        let dest = (destination as NSString).standardizingPath
        self.destination = dest
        let parent = (dest as NSString).deletingLastPathComponent
        let name = (dest as NSString).lastPathComponent
        staging = (parent.isEmpty ? "." : parent) + "/.\(name).staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw ExportError.io(path: staging, message: "cannot create the staging directory: \(error.localizedDescription)")
        }
    }

    public func path(_ file: String) -> String { staging + "/" + file }

    /// Replaces the destination by the staging directory: atomically where the kernel can swap
    /// two paths, and otherwise by moving the old one aside first.
    public func publish() throws(ExportError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: destination, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw ExportError.io(path: destination, message: "exists and is not a directory; nothing was replaced")
        }
        if !exists {
            guard rename(staging, destination) == 0 else {
                throw ExportError.io(path: destination, message: String(cString: strerror(errno)))
            }
            return
        }
        #if os(Linux)
        if let swap = renameExchange, swap(AT_FDCWD, staging, AT_FDCWD, destination, 2 /* RENAME_EXCHANGE */) == 0 {
            try? fm.removeItem(atPath: staging)
            return
        }
        #endif
        let aside = staging + ".old"
        guard rename(destination, aside) == 0 else {
            throw ExportError.io(path: destination, message: "cannot move the old drop aside: \(String(cString: strerror(errno)))")
        }
        guard rename(staging, destination) == 0 else {
            let message = String(cString: strerror(errno))
            _ = rename(aside, destination)
            throw ExportError.io(path: destination, message: message)
        }
        try? fm.removeItem(atPath: aside)
    }

    /// Removes the staging directory after a failed run.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }
}

#if os(Linux)
/// glibc's renameat2, looked up at run time because Swift does not import it; with
/// RENAME_EXCHANGE it swaps two directories in one step.
private let renameExchange: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)
}()
#endif
