/// The encodings partner CSV exports arrive in. Everything inside htdx is UTF-8.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    /// Windows' Western European code page, which Excel writes on most Windows machines.
    case windows1252 = "windows-1252"
    case latin1 = "latin-1"

    /// Code points for 0x80–0x9F in Windows-1252; 0 marks the five bytes it leaves undefined.
    private static let windows1252High: [UInt16] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Converts one field to UTF-8. Returns nil for a byte the encoding does not define, so that the
    /// record is rejected rather than silently given a replacement character.
    public func utf8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1, .windows1252:
            var scalars = String.UnicodeScalarView()
            for b in bytes {
                var code = UInt32(b)
                if self == .windows1252 && (0x80...0x9F).contains(b) {
                    code = UInt32(Self.windows1252High[Int(b - 0x80)])
                    if code == 0 { return nil }
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        }
    }
}
