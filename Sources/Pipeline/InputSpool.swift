import Export
import Foundation

/// The run's inputs made readable twice. A run reads every input once to count and once to write;
/// a pipe (a FIFO, `/dev/stdin`, `/proc/self/fd/N`, or `-` for standard input) can be read only
/// once, so it is copied first, whole, into a private temporary directory (mode 0700, removed when
/// the run ends, fails or is stopped by a signal), and both passes read the copy. Messages and the
/// rejects file keep naming the input as the user gave it.
///
/// A device, or a directory where a file is expected, is refused before anything is read.
struct InputSpool {
    /// The inputs, each with where its bytes are read from.
    private(set) var inputs: [RunInput]
    private var directory: String?

    init(_ given: [RunInput]) throws(RunError) {
        inputs = given
        do { try prepare() } catch {
            remove()
            throw error
        }
    }

    private mutating func prepare() throws(RunError) {
        var stdinSeen = false
        for i in inputs.indices {
            let input = inputs[i]
            if input.path == "-" {
                guard !stdinSeen else {
                    throw .configuration("-: standard input is given twice; it can be read only once")
                }
                stdinSeen = true
                try checkNotTerminal()
                inputs[i].spooled = try copy(from: STDIN_FILENO, name: input.path, index: i)
                continue
            }
            var st = stat()
            guard stat(input.path, &st) == 0 else {
                throw .configuration("\(input.path): cannot read the input file (\(String(cString: strerror(errno)))); check the path")
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                guard access(input.path, R_OK) == 0 else {
                    throw .configuration("\(input.path): cannot read the input file (permission denied); check its permissions")
                }
            case S_IFDIR:
                // A folder of XML submissions is read through its profile; any other input is one file.
                guard input.isXMLProfiled else {
                    throw .configuration("\(input.path) is a directory; give the export file itself")
                }
            case S_IFIFO, S_IFSOCK:
                let fd = open(input.path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw .configuration("\(input.path): cannot open the pipe (\(String(cString: strerror(errno))))")
                }
                defer { close(fd) }
                inputs[i].spooled = try copy(from: fd, name: input.path, index: i)
            default:
                throw .configuration("\(input.path) is a device, not a file; give the export file, or pipe it to - (standard input)")
            }
        }
    }

    /// Removes the copies.
    func remove() {
        if let directory { PreviewDirectory.remove(directory) }
    }

    private func checkNotTerminal() throws(RunError) {
        if isatty(STDIN_FILENO) != 0 {
            throw .configuration("-: standard input is a terminal; pipe or redirect the export into htdx, such as `htdx anonymize … - < cases.csv`")
        }
    }

    /// Copies everything `fd` gives until its end into the spool directory, made on first use.
    private mutating func copy(from fd: Int32, name: String, index: Int) throws(RunError) -> String {
        if directory == nil {
            PreviewDirectory.removeOnSignal()
            directory = try PreviewDirectory.make(prefix: PreviewDirectory.spoolPrefix, purpose: "a copy of an input read from a pipe")
        }
        let path = PathText.join(directory!, "input-\(index)")
        let out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard out >= 0 else {
            throw .internalError("\(name): cannot make a private copy in \(directory!): \(String(cString: strerror(errno)))")
        }
        defer { close(out) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .inputData("\(name): cannot read the input (\(String(cString: strerror(errno))))")
            }
            var done = 0
            while done < n {
                let w = buffer.withUnsafeBytes { write(out, $0.baseAddress! + done, n - done) }
                if w < 0 {
                    if errno == EINTR { continue }
                    let reason = errno == ENOSPC || errno == EDQUOT ? WriteFailure.diskFull : String(cString: strerror(errno))
                    throw .internalError("\(name): cannot copy the input into \(directory!) (\(reason)); nothing was published")
                }
                done += w
            }
        }
        return path
    }
}

extension RunError {
    /// The same failure with every mention of `path` replaced by `name`.
    func naming(_ path: String, as name: String) -> RunError {
        switch self {
        case .configuration(let m): return .configuration(m.replacingOccurrences(of: path, with: name))
        case .inputData(let m): return .inputData(m.replacingOccurrences(of: path, with: name))
        case .privacy(let m): return .privacy(m.replacingOccurrences(of: path, with: name))
        case .internalError(let m): return .internalError(m.replacingOccurrences(of: path, with: name))
        }
    }
}
