import Foundation
import Ingest
import Tabular
import TestSupport
import Testing

// MARK: - Helpers (file-private, so they cannot clash with other test files)

/// A fresh directory for one test's files, removed by `remove()`.
fileprivate struct CSVScratch {
    let url: URL
    private var counter = 0

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("htdx-csvreader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to a new file and returns its path.
    mutating func file(_ bytes: [UInt8]) throws -> String {
        counter += 1
        let path = url.appendingPathComponent("f\(counter).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    mutating func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a scratch directory that is removed afterwards, whatever happens.
fileprivate func withCSVScratch(_ body: (inout CSVScratch) throws -> Void) throws {
    var scratch = try CSVScratch()
    defer { scratch.remove() }
    try body(&scratch)
}

/// One record as read: its starting line, its fields as exact bytes, and its reject reason.
fileprivate struct ReadRecord: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [[UInt8]]
    var rejectReason: String?

    var strings: [String] { fields.map { String(decoding: $0, as: UTF8.self) } }
    var description: String { "line \(line): \(strings.map { $0.debugDescription })" + (rejectReason.map { " rejected: \($0)" } ?? "") }
}

/// Reads every record of a file, checking on the way that `string(i)` agrees with `field(i)`.
fileprivate func readAll(
    _ path: String, delimiter: UInt8 = UInt8(ascii: ","), bufferSize: Int = CSVReader.defaultBufferSize,
    maximumRecordBytes: Int = CSVReader.defaultMaximumRecordBytes
) throws(CSVError) -> [ReadRecord] {
    var reader = try CSVReader(
        path: path, delimiter: delimiter, bufferSize: bufferSize, maximumRecordBytes: maximumRecordBytes)
    var records: [ReadRecord] = []
    while try reader.next() {
        var fields: [[UInt8]] = []
        for i in 0..<reader.fieldCount {
            let bytes = Array(reader.field(i))
            fields.append(bytes)
            #expect(Array(reader.string(i).utf8) == bytes)
        }
        records.append(ReadRecord(line: reader.line, fields: fields, rejectReason: reader.rejectReason))
    }
    return records
}

/// The records read before the error, and the error, when reading must fail.
fileprivate func readError(
    _ path: String, delimiter: UInt8 = UInt8(ascii: ","), bufferSize: Int = CSVReader.defaultBufferSize,
    maximumRecordBytes: Int = CSVReader.defaultMaximumRecordBytes
) -> CSVError? {
    do {
        _ = try readAll(path, delimiter: delimiter, bufferSize: bufferSize, maximumRecordBytes: maximumRecordBytes)
        return nil
    } catch {
        return error
    }
}

fileprivate func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Buffer sizes that put record and field boundaries at many different places relative to a refill.
fileprivate let smallBufferSizes = [16, 17, 23, 4096]

fileprivate typealias CSVTestRNG = SplitMix64

// MARK: - Tests

@Suite("CSVReader")
struct CSVReaderTests {

    // MARK: RFC 4180 shapes

    @Test func quotedFieldsAreUnquoted() throws {
        try withCSVScratch { s in
            let path = try s.file("\"a\",\"b c\",d\n\"x,y\",\"\",z\n")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.strings) == [["a", "b c", "d"], ["x,y", "", "z"]])
                #expect(records.allSatisfy { $0.rejectReason == nil })
            }
        }
    }

    @Test func doubledQuotesInsideQuotesAreOneQuote() throws {
        try withCSVScratch { s in
            let path = try s.file("\"he said \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\"\"\n")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.strings) == [["he said \"hi\"", "\"", "\"\"\""]])
            }
        }
    }

    @Test func embeddedLFInsideQuotesIsKept() throws {
        try withCSVScratch { s in
            let path = try s.file("\"line1\nline2\",b\nc,d\n")
            let records = try readAll(path)
            #expect(records.map(\.fields) == [[bytes("line1\nline2"), bytes("b")], [bytes("c"), bytes("d")]])
        }
    }

    @Test func embeddedCRLFInsideQuotesIsKeptByteForByte() throws {
        try withCSVScratch { s in
            let path = try s.file("\"line1\r\nline2\",b\r\nc,d\r\n")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.fields) == [[bytes("line1\r\nline2"), bytes("b")], [bytes("c"), bytes("d")]])
            }
        }
    }

    @Test func emptyFields() throws {
        try withCSVScratch { s in
            let path = try s.file(",,\na,,b\n\"\",x\n\n")
            let records = try readAll(path)
            #expect(records.map(\.strings) == [["", "", ""], ["a", "", "b"], ["", "x"], [""]])
        }
    }

    @Test func trailingDelimiterMakesAnEmptyLastField() throws {
        try withCSVScratch { s in
            let withNewline = try s.file("a,b,\n")
            #expect(try readAll(withNewline).map(\.strings) == [["a", "b", ""]])
            let atEnd = try s.file("a,b,")
            #expect(try readAll(atEnd).map(\.strings) == [["a", "b", ""]])
            let crlf = try s.file("a,b,\r\nc\r\n")
            #expect(try readAll(crlf).map(\.strings) == [["a", "b", ""], ["c"]])
        }
    }

    @Test func lastLineWithoutNewlineIsARecord() throws {
        try withCSVScratch { s in
            let plain = try s.file("a,b\nc,d")
            let quoted = try s.file("a,b\nc,\"d\"")
            for size in smallBufferSizes {
                #expect(try readAll(plain, bufferSize: size).map(\.strings) == [["a", "b"], ["c", "d"]])
                #expect(try readAll(quoted, bufferSize: size).map(\.strings) == [["a", "b"], ["c", "d"]])
            }
        }
    }

    @Test func emptyFileHasNoRecords() throws {
        try withCSVScratch { s in
            let path = try s.file([])
            #expect(try readAll(path).isEmpty)
        }
    }

    @Test func headerOnlyFileHasOneRecord() throws {
        try withCSVScratch { s in
            let withNewline = try s.file("id,name,age\n")
            let without = try s.file("id,name,age")
            for path in [withNewline, without] {
                let records = try readAll(path)
                #expect(records == [ReadRecord(line: 1, fields: [bytes("id"), bytes("name"), bytes("age")])])
            }
        }
    }

    // MARK: BOM

    @Test func byteOrderMarkIsSkippedAtTheStart() throws {
        try withCSVScratch { s in
            let path = try s.file([0xEF, 0xBB, 0xBF] + bytes("a,b\nc,d\n"))
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.strings) == [["a", "b"], ["c", "d"]])
                #expect(records.map(\.line) == [1, 2])
            }
            let quotedFirst = try s.file([0xEF, 0xBB, 0xBF] + bytes("\"q\",x\n"))
            #expect(try readAll(quotedFirst).map(\.strings) == [["q", "x"]])
            let onlyBOM = try s.file([0xEF, 0xBB, 0xBF])
            #expect(try readAll(onlyBOM).isEmpty)
        }
    }

    @Test func byteOrderMarkIsKeptAnywhereButTheStart() throws {
        try withCSVScratch { s in
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            let path = try s.file(bytes("a,b\n") + bom + bytes("c,") + bom + bytes("d\n"))
            let records = try readAll(path)
            #expect(records.map(\.fields) == [[bytes("a"), bytes("b")], [bom + bytes("c"), bom + bytes("d")]])
            // Two BOMs at the start: only the first is a byte-order mark.
            let twice = try s.file(bom + bom + bytes("x\n"))
            #expect(try readAll(twice).map(\.fields) == [[bom + bytes("x")]])
        }
    }

    // MARK: Delimiters

    @Test func semicolonDelimiter() throws {
        try withCSVScratch { s in
            let path = try s.file("a;b,c;\"d;e\"\n;x;\n")
            let records = try readAll(path, delimiter: UInt8(ascii: ";"))
            #expect(records.map(\.strings) == [["a", "b,c", "d;e"], ["", "x", ""]])
        }
    }

    @Test func tabDelimiter() throws {
        try withCSVScratch { s in
            let path = try s.file("a\tb c\t\"x\ty\"\n1,2\t\t3\n")
            let records = try readAll(path, delimiter: UInt8(ascii: "\t"))
            #expect(records.map(\.strings) == [["a", "b c", "x\ty"], ["1,2", "", "3"]])
        }
    }

    // MARK: Line endings and line numbers

    @Test func mixedLineEndings() throws {
        try withCSVScratch { s in
            let path = try s.file("a,1\r\nb,2\nc,3\r\nd,4")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.strings) == [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]])
                #expect(records.map(\.line) == [1, 2, 3, 4])
            }
        }
    }

    @Test func multiLineRecordsAdvanceTheLineCount() throws {
        try withCSVScratch { s in
            // Record 3 spans lines 3-5 (two LFs, one of them in a CRLF); record 4 starts on line 6.
            let path = try s.file("h1,h2\na,b\n\"x\ny\r\nz\",w\r\nc,d\n\"\n\",e\nf,g\n")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.line) == [1, 2, 3, 6, 7, 9])
                #expect(records[2].fields == [bytes("x\ny\r\nz"), bytes("w")])
                #expect(records[5].strings == ["f", "g"])
            }
        }
    }

    // MARK: Lone CR

    @Test func loneCarriageReturnIsAnErrorOnItsLine() throws {
        try withCSVScratch { s in
            let path = try s.file("a,b\nc,d\ne\rf,g\n")
            for size in smallBufferSizes {
                let error = try #require(readError(path, bufferSize: size))
                #expect(error.problem == .loneCarriageReturn)
                #expect(error.line == 3)
                #expect(error.file == path)
            }
        }
    }

    @Test func loneCarriageReturnAfterAClosingQuote() throws {
        try withCSVScratch { s in
            let path = try s.file("a\n\"b\"\rc\n")
            let error = try #require(readError(path))
            #expect(error.problem == .loneCarriageReturn)
            #expect(error.line == 2)
        }
    }

    @Test func loneCarriageReturnAfterAMultiLineFieldNamesTheLineOfTheCR() throws {
        try withCSVScratch { s in
            // The record starts on line 2; its CR is on line 4.
            let path = try s.file("a\n\"x\ny\nz\"\rq\n")
            let error = try #require(readError(path))
            #expect(error.problem == .loneCarriageReturn)
            #expect(error.line == 4)
        }
    }

    @Test func loneCarriageReturnAtTheVeryEndOfTheFile() throws {
        try withCSVScratch { s in
            let path = try s.file("a,b\nc,d\r")
            for size in smallBufferSizes {
                let error = try #require(readError(path, bufferSize: size))
                #expect(error.problem == .loneCarriageReturn)
                #expect(error.line == 2)
            }
            let onlyCR = try s.file("\r")
            let error = try #require(readError(onlyCR))
            #expect(error.problem == .loneCarriageReturn)
            #expect(error.line == 1)
        }
    }

    @Test func loneCarriageReturnAtTheEndAfterAMultiLineField() throws {
        try withCSVScratch { s in
            // The record starts on line 2 and its final, lone CR is on line 3.
            let path = try s.file("a\n\"x\ny\"\r")
            for size in smallBufferSizes {
                let error = try #require(readError(path, bufferSize: size))
                #expect(error.problem == .loneCarriageReturn)
                #expect(error.line == 3)
            }
        }
    }

    @Test func carriageReturnInsideQuotesIsKept() throws {
        try withCSVScratch { s in
            let path = try s.file("\"a\rb\",c\n")
            #expect(try readAll(path).map(\.fields) == [[bytes("a\rb"), bytes("c")]])
        }
    }

    // MARK: Unterminated quote

    @Test func unterminatedQuoteNamesTheLineWhereTheRecordStarts() throws {
        try withCSVScratch { s in
            let path = try s.file("a,b\nc,\"d\ne\nf,g\n")
            for size in smallBufferSizes {
                let error = try #require(readError(path, bufferSize: size))
                #expect(error.problem == .unterminatedQuote(field: 2))
                #expect(error.line == 2)
            }
            let atEnd = try s.file("x\n\"")
            let error = try #require(readError(atEnd))
            #expect(error.problem == .unterminatedQuote(field: 1))
            #expect(error.line == 2)
        }
    }

    // MARK: UTF-8

    @Test func validMultiByteTextPasses() throws {
        try withCSVScratch { s in
            let path = try s.file("é,中,😀\n\"é,😀\",xé中😀yz0123456789\nÿ\u{10FFFF},\u{FFFD}\n")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.strings) == [["é", "中", "😀"], ["é,😀", "xé中😀yz0123456789"], ["ÿ\u{10FFFF}", "\u{FFFD}"]])
            }
        }
    }

    @Test(arguments: [
        ("overlong C0 80", [0xC0, 0x80] as [UInt8]),
        ("overlong E0 80 80", [0xE0, 0x80, 0x80]),
        ("surrogate ED A0 80", [0xED, 0xA0, 0x80]),
        ("stray continuation 80", [0x80]),
        ("F5 lead byte", [0xF5, 0x80, 0x80, 0x80]),
        ("above U+10FFFF F4 90 80 80", [0xF4, 0x90, 0x80, 0x80]),
        ("truncated 中 at end of field", [0xE4, 0xB8]),
        ("truncated 😀 at end of field", [0xF0, 0x9F, 0x98]),
        ("Latin-1 é", [0xE9]),
    ])
    func invalidUTF8IsAnErrorNamingLineAndField(name: String, bad: [UInt8]) throws {
        try withCSVScratch { s in
            let path = try s.file(bytes("ok,fine\nx,ab") + bad + bytes(",c\n"))
            for size in smallBufferSizes {
                let error = try #require(readError(path, bufferSize: size), "\(name)")
                #expect(error.problem == .invalidUTF8(field: 2), "\(name)")
                #expect(error.line == 2, "\(name)")
            }
        }
    }

    @Test func truncatedSequenceAtTheEndOfTheFile() throws {
        try withCSVScratch { s in
            for tail: [UInt8] in [[0xE4, 0xB8], [0xC3], [0xF0, 0x9F, 0x98]] {
                let path = try s.file(bytes("a\nb,x") + tail)
                let error = try #require(readError(path))
                #expect(error.problem == .invalidUTF8(field: 2))
                #expect(error.line == 2)
            }
        }
    }

    @Test func invalidUTF8InsideAMultiLineQuotedFieldNamesItsOwnLine() throws {
        try withCSVScratch { s in
            let path = try s.file(bytes("a\n\"x\ny\nz") + [0xC0, 0x80] + bytes("\"\n"))
            let error = try #require(readError(path))
            #expect(error.problem == .invalidUTF8(field: 1))
            #expect(error.line == 4)
        }
    }

    /// The validator skips eight ASCII bytes at a time; an invalid byte at any offset of a long line
    /// must still be found, whether it falls in the first word, the second, or past them.
    @Test func invalidByteAfterTheEightByteFastPath() throws {
        try withCSVScratch { s in
            for offset in 0..<27 {
                let line = Array(repeating: UInt8(ascii: "A"), count: offset) + [0xC0, 0x80]
                    + Array(repeating: UInt8(ascii: "B"), count: 13) + bytes("\n")
                let path = try s.file(bytes("first,line\n") + line)
                let error = try #require(readError(path), "offset \(offset)")
                #expect(error.problem == .invalidUTF8(field: 1), "offset \(offset)")
                #expect(error.line == 2, "offset \(offset)")
                // The same line made valid is read back exactly.
                let good = Array(repeating: UInt8(ascii: "A"), count: offset) + bytes("é")
                    + Array(repeating: UInt8(ascii: "B"), count: 13)
                let goodPath = try s.file(bytes("first,line\n") + good + bytes("\n"))
                #expect(try readAll(goodPath).last?.fields == [good], "offset \(offset)")
            }
        }
    }

    @Test func invalidUTF8AfterAClosingQuoteNamesThatField() throws {
        try withCSVScratch { s in
            // The bad byte sits in the stray text after field 2's closing quote.
            let path = try s.file(bytes("a,\"b\"") + [0x80] + bytes(",c\n"))
            let error = try #require(readError(path))
            #expect(error.line == 1)
            #expect(error.problem == .invalidUTF8(field: 2))
            // In field 1 the fallback happens to be right.
            let first = try s.file(bytes("\"b\"") + [0x80] + bytes(",c\n"))
            #expect(try #require(readError(first)).problem == .invalidUTF8(field: 1))
        }
    }

    // MARK: NUL

    @Test func nulByteIsAnErrorNamingLineAndField() throws {
        try withCSVScratch { s in
            let path = try s.file(bytes("a,b\nc,d") + [0] + bytes("e\n"))
            let error = try #require(readError(path))
            #expect(error.problem == .nulByte(field: 2))
            #expect(error.line == 2)
            // At every offset of a long line, inside or past the eight-byte fast path.
            for offset in 0..<27 {
                let p = try s.file(bytes("x\n") + Array(repeating: UInt8(ascii: "A"), count: offset) + [0]
                    + Array(repeating: UInt8(ascii: "B"), count: 13) + bytes("\n"))
                let e = try #require(readError(p), "offset \(offset)")
                #expect(e.problem == .nulByte(field: 1), "offset \(offset)")
                #expect(e.line == 2, "offset \(offset)")
            }
        }
    }

    // MARK: Malformed but recoverable

    @Test func textAfterClosingQuoteRejectsOnlyThatRecord() throws {
        try withCSVScratch { s in
            let path = try s.file("h1,h2\n\"ab\"c,d\nnext,row\n")
            for size in smallBufferSizes {
                let records = try readAll(path, bufferSize: size)
                try #require(records.count == 3)
                #expect(records[0].rejectReason == nil)
                #expect(records[1].rejectReason != nil)
                #expect(records[1].line == 2)
                #expect(records[1].fields.count == 2)
                #expect(records[2] == ReadRecord(line: 3, fields: [bytes("next"), bytes("row")], rejectReason: nil))
            }
        }
    }

    @Test func quoteInsideAnUnquotedFieldIsLiteral() throws {
        try withCSVScratch { s in
            let path = try s.file("ab\"c,d\"\"e,5\"\n")
            let records = try readAll(path)
            #expect(records == [ReadRecord(line: 1, fields: [bytes("ab\"c"), bytes("d\"\"e"), bytes("5\"")])])
        }
    }

    // MARK: I/O and limits

    @Test func missingFileIsAnIOError() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("htdx-missing-\(UUID().uuidString)/nope.csv").path
        do {
            _ = try CSVReader(path: path)
            Issue.record("opening a missing file did not throw")
        } catch {
            guard case .io = error.problem else {
                Issue.record("expected .io, got \(error.problem)")
                return
            }
            #expect(error.file == path)
            #expect(error.line == 0)
            #expect(error.description.hasPrefix(path))
        }
    }

    @Test func directoryIsAnIOErrorOnRead() throws {
        try withCSVScratch { s in
            let dir = s.url.path
            let error = try #require(readError(dir), "reading a directory did not throw")
            guard case .io = error.problem else {
                Issue.record("expected .io, got \(error.problem)")
                return
            }
            #expect(error.file == dir)
            // CSVError documents line 0 when the file could not be read at all.
            #expect(error.line == 0, "\(error)")
        }
    }

    @Test func recordLongerThanTheMaximumIsAnError() throws {
        try withCSVScratch { s in
            let long = String(repeating: "x", count: 200)
            let path = try s.file("a\nb\n\(long),y\nc\n")
            let error = try #require(readError(path, bufferSize: 16, maximumRecordBytes: 64))
            #expect(error.problem == .recordTooLong(limit: 64))
            #expect(error.line == 3)
            // An unclosed quote runs into the limit rather than reading the whole file.
            let open = try s.file("a\n\"" + String(repeating: "y\n", count: 100))
            let e2 = try #require(readError(open, bufferSize: 16, maximumRecordBytes: 32))
            #expect(e2.problem == .recordTooLong(limit: 32))
            #expect(e2.line == 2)
        }
    }

    @Test func recordOfExactlyTheMaximumIsRead() throws {
        try withCSVScratch { s in
            // 63 bytes of text + LF = 64 bytes; the buffer grows 16 → 32 → 64.
            let text = String(repeating: "z", count: 63)
            let path = try s.file("a,b\n\(text)\nc\n")
            let records = try readAll(path, bufferSize: 16, maximumRecordBytes: 64)
            #expect(records.map(\.strings) == [["a", "b"], [text], ["c"]])
            let tooLong = try s.file("a,b\n\(text)z\nc\n")
            let error = try #require(readError(tooLong, bufferSize: 16, maximumRecordBytes: 64))
            #expect(error.problem == .recordTooLong(limit: 64))
            #expect(error.line == 2)
        }
    }

    @Test func manyFieldsInOneRecord() throws {
        try withCSVScratch { s in
            // More fields than the reader's initial field table holds.
            let fields = (0..<300).map { "f\($0)" }
            let path = try s.file(fields.joined(separator: ",") + "\n" + fields.reversed().joined(separator: ",") + "\n")
            for size in [16, 4096] {
                let records = try readAll(path, bufferSize: size)
                #expect(records.map(\.strings) == [fields, fields.reversed()])
            }
        }
    }

    // MARK: Property: what an RFC 4180 writer writes, the reader reads back exactly

    @Test func randomTablesRoundTrip() throws {
        let pieces = ["a", "b", "xyz", "0", " ", "  ", ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r",
                      "é", "中", "😀", "ß∑", ""]
        let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var rng = CSVTestRNG(seed: 0x5EED_C5F0)
        var scratch = try CSVScratch()
        defer { scratch.remove() }

        for iteration in 0..<200 {
            let delimiter = delimiters.randomElement(using: &rng)!
            let rowCount = Int.random(in: 0...12, using: &rng)
            var table: [[[UInt8]]] = []
            for _ in 0..<rowCount {
                let fieldCount = Int.random(in: 1...6, using: &rng)
                var row: [[UInt8]] = []
                for _ in 0..<fieldCount {
                    // Mostly short fields, sometimes long ones that force the buffer to grow.
                    let length = Int.random(in: 0..<10, using: &rng) == 0
                        ? Int.random(in: 20...120, using: &rng) : Int.random(in: 0...5, using: &rng)
                    var field: [UInt8] = []
                    for _ in 0..<length { field += bytes(pieces.randomElement(using: &rng)!) }
                    row.append(field)
                }
                table.append(row)
            }

            // Write it as RFC 4180, remembering where each record starts.
            var file: [UInt8] = Bool.random(using: &rng) ? [0xEF, 0xBB, 0xBF] : []
            var recordStarts: [Int] = []
            let finalNewline = Bool.random(using: &rng)
            for (r, row) in table.enumerated() {
                recordStarts.append(file.count)
                let isLast = r == table.count - 1
                for (f, field) in row.enumerated() {
                    if f > 0 { file.append(delimiter) }
                    let needsQuotes = field.contains { $0 == delimiter || $0 == 0x22 || $0 == 10 || $0 == 13 }
                    // A lone empty field on an unterminated last line would vanish; quote it.
                    let ambiguous = row.count == 1 && field.isEmpty && isLast && !finalNewline
                    let quoteAnyway = Int.random(in: 0..<8, using: &rng) == 0
                    if needsQuotes || ambiguous || quoteAnyway {
                        file.append(0x22)
                        for b in field {
                            file.append(b)
                            if b == 0x22 { file.append(0x22) }
                        }
                        file.append(0x22)
                    } else {
                        file += field
                    }
                }
                if !isLast || finalNewline {
                    file += Bool.random(using: &rng) ? [13, 10] : [10]
                }
            }
            let expectedLines = recordStarts.map { start in 1 + file[..<start].filter { $0 == 10 }.count }
            let path = try scratch.file(file)

            for size in [16, 17, 64, 4096] {
                let records: [ReadRecord]
                do {
                    records = try readAll(path, delimiter: delimiter, bufferSize: size, maximumRecordBytes: 1 << 20)
                } catch {
                    Issue.record("iteration \(iteration), buffer \(size): \(error)\nfile: \(String(decoding: file, as: UTF8.self).debugDescription)")
                    continue
                }
                let context = "iteration \(iteration), buffer \(size), delimiter \(delimiter), file: \(String(decoding: file, as: UTF8.self).debugDescription)"
                #expect(records.count == table.count, "\(context)")
                #expect(records.map(\.fields) == table, "\(context)")
                #expect(records.map(\.line) == expectedLines, "\(context)")
                #expect(records.allSatisfy { $0.rejectReason == nil }, "\(context)")
                if records.map(\.fields) != table || records.map(\.line) != expectedLines { return }
            }
        }
    }
}
