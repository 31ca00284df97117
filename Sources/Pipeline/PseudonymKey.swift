import Crypto
import Export
import Foundation
import PolicyFile

/// The run's secret key, read from a file or an environment variable, and the sub-keys derived
/// from it. The key's bytes are never written, printed or put into a message: only the source's
/// name (a path or a variable name) is ever said.
///
/// Each purpose has its own sub-key, HKDF-SHA-256 of the key with an empty salt and the purpose
/// as `info` (see Docs/Keys.md for the exact strings), so that one purpose's values say nothing
/// of another's: a pseudonym cannot be compared with a person hash, nor one attribute's
/// pseudonyms with another's.
public struct PseudonymKeys: Sendable {
    /// Keys shorter than this are refused: 256 bits, HMAC-SHA-256's own block of security.
    public static let minimumBytes = 32

    private let key: SymmetricKey
    /// The release's date (yyyy-MM-dd) and the policy's SHA-256, which a release-scoped
    /// pseudonym's key also takes.
    public let releaseDate: String
    public let policySHA256: String

    init(key: SymmetricKey, releaseDate: String, policySHA256: String) {
        self.key = key
        self.releaseDate = releaseDate
        self.policySHA256 = policySHA256
    }

    /// The sub-key of pseudonymised attribute `attribute` under `scope`.
    public func pseudonym(_ attribute: String, scope: PseudonymScope) -> SymmetricKey {
        derive(Self.pseudonymInfo(attribute, scope: scope, releaseDate: releaseDate, policySHA256: policySHA256))
    }

    /// The `info` of a pseudonym's sub-key: `htdx pseudonym NAME`, and for a release-scoped one
    /// a line feed, `release `, the date, a space and the policy's SHA-256 in hexadecimal.
    public static func pseudonymInfo(_ attribute: String, scope: PseudonymScope, releaseDate: String, policySHA256: String) -> String {
        let base = "htdx pseudonym \(attribute)"
        switch scope {
        case .stable: return base
        case .release: return base + "\nrelease \(releaseDate) \(policySHA256)"
        }
    }

    /// The sub-key of person hashes: the same in every release, since it never leaves memory.
    public var person: SymmetricKey { derive("htdx person") }

    /// The sub-key that orders published rows within their class.
    public var rowOrder: SymmetricKey { derive("htdx row order") }

    private func derive(_ info: String) -> SymmetricKey {
        HKDF<Crypto.SHA256>.deriveKey(inputKeyMaterial: key, salt: [UInt8](), info: Array(info.utf8), outputByteCount: 32)
    }
}

extension PseudonymKeys {
    /// The key from `source`; nil when none is given and the run needs none. `needed` says why
    /// one is needed, for the message when none is given. A key given to a run that needs none is
    /// still read and checked: it orders the rows within their classes.
    static func load(_ source: PseudonymKeySource?, needed: String?, releaseDate: String, policySHA256: String) throws(RunError) -> PseudonymKeys? {
        guard let source else {
            guard let needed else { return nil }
            throw .configuration("\(needed), so the run needs the pseudonym key: give --key-file PATH or --key-env NAME, "
                + "or in a job `pseudonymKey: {file: PATH}` or `pseudonymKey: {environment: NAME}` (Docs/Keys.md); nothing was published")
        }
        let text: String
        switch source {
        case .file(let path): text = try readKeyFile(path)
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw .configuration("\(source.description) is not set or empty; set it to the key as hexadecimal or base64 "
                    + "(Docs/Keys.md); nothing was published")
            }
            text = value
        }
        guard let bytes = KeyText.decode(text) else {
            throw .configuration("\(source.description) holds no key htdx can read: write it as hexadecimal (64 digits or more) "
                + "or base64, on one line (Docs/Keys.md); nothing was published")
        }
        guard bytes.count >= minimumBytes else {
            throw .configuration("\(source.description) holds a key of \(bytes.count) bytes, shorter than the \(minimumBytes) needed; "
                + "make a new one, such as `openssl rand -hex 32` (Docs/Keys.md); nothing was published")
        }
        return PseudonymKeys(key: SymmetricKey(data: bytes), releaseDate: releaseDate, policySHA256: policySHA256)
    }

    /// The key file's text, refused when anyone but its owner may read or write it.
    private static func readKeyFile(_ path: String) throws(RunError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .configuration("the key file \(path) cannot be read: \(String(cString: strerror(errno))); nothing was published")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .configuration("the key file \(path) is not a regular file; nothing was published")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .configuration("the key file \(path) is open to its group or to others; make it readable by its owner only "
                + "(chmod 600 \(path)) and consider the key exposed (Docs/Keys.md tells how to rotate it); nothing was published")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("the key file \(path) cannot be read; nothing was published")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The UTC date of today, as a release's date when the run is given none.
    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}

/// A key written as text: hexadecimal when the text is only hexadecimal digits (an even number of
/// them), base64 otherwise. Surrounding white space, a final line feed included, is ignored.
enum KeyText {
    static func decode(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let digits = Array(trimmed.utf8)
        if digits.count % 2 == 0, digits.allSatisfy({ hexValue($0) != nil }) {
            return stride(from: 0, to: digits.count, by: 2).map { hexValue(digits[$0])! << 4 | hexValue(digits[$0 + 1])! }
        }
        return Data(base64Encoded: trimmed).map { [UInt8]($0) }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension AnonymizeRun {
    /// The run's keys, read before anything is created: only when the policy pseudonymises an
    /// attribute or a profile names a person key.
    func loadKeys(_ document: PolicyDocument) throws(RunError) -> PseudonymKeys? {
        var reasons: [String] = []
        if let first = document.policy.pseudonymised.first {
            reasons.append("the policy \(policyPath) pseudonymises \(first.name)")
        }
        for input in inputs {
            if case .profiled(let profile) = input.kind, profile.personKey != nil {
                reasons.append("the profile \(input.profilePath ?? profile.name) names a person key")
                break
            }
        }
        return try PseudonymKeys.load(keySource, needed: reasons.isEmpty ? nil : reasons.joined(separator: " and "),
                                      releaseDate: releaseDate ?? PseudonymKeys.today(), policySHA256: Export.SHA256.hex(document.bytes))
    }
}
