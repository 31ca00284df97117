import Foundation
@testable import Ingest
import Pipeline
import PolicyFile
import TestSupport
import Testing

/// The XML reader behind a profile parses on a second thread and hands over records in batches.
/// These check what the hand-over must not change: order, the records before an error, and that
/// stopping early ends the parser thread instead of hanging or reading on.
@Suite struct XMLRecordPipeTests {
    static let namespace = "urn:example:hotline:1"

    /// A hotline export of `count` cases, each told apart by its `ref`.
    static func export(count: Int, extra: (Int) -> String = { _ in "" }, truncatedAfter: Int? = nil) -> String {
        var text = "<?xml version=\"1.0\"?>\n<h:hotlineExport xmlns:h=\"\(namespace)\">\n"
        for n in 1...count {
            text += "<h:case ref=\"R\(n)\" received=\"2020-01-02\"><h:victim><h:gender>female</h:gender><h:age>30</h:age>"
                + "<h:citizenship>NPL</h:citizenship></h:victim><h:exploitation country=\"IND\"><h:type>sex</h:type></h:exploitation>"
                + "<h:recruiter relation=\"family\"/>\(extra(n))</h:case>\n"
            if n == truncatedAfter { return text + "<h:case ref=\"broken\"><h:victim>" }
        }
        return text + "</h:hotlineExport>\n"
    }

    func reader(_ path: String) throws -> ProfiledXMLReader {
        let profile = try ProfileDocument.load(path: Repo.root.appendingPathComponent("Policies/partners/hotline.yaml").path).profile
        return try ProfiledXMLReader(profile: profile, path: path, codeBook: StandardCodeBook())
    }

    @Test(arguments: [1, 255, 256, 257, 2_000])
    func everyRecordArrivesOnceInOrder(count: Int) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var reader = try reader(try scratch.write("export.xml", Self.export(count: count)))
        var references: [String] = []
        while try reader.next() {
            #expect(reader.rejection == nil)
            references.append(reader.reference)
        }
        #expect(references == (1...count).map { "R\($0)" })
        #expect(try reader.next() == false)
    }

    @Test func theRecordsBeforeAnErrorArriveThenTheErrorOnEveryCall() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var reader = try reader(try scratch.write("export.xml", Self.export(count: 700, truncatedAfter: 600)))
        var read = 0
        var failure: ProfileError?
        do {
            while try reader.next() { read += 1 }
        } catch {
            failure = error
        }
        #expect(read == 600)
        let message = try #require(failure).description
        #expect(message.contains("export.xml"))
        #expect(throws: ProfileError.self) { try reader.next() }
    }

    @Test func anUnmappedElementStopsTheReaderAndItsThread() throws {
        // The unknown element comes early in a file far larger than the pipe holds, so the parser
        // thread is blocked on a full queue when the reader is dropped: dropping it must end the
        // thread rather than wait for the file to be read.
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("export.xml", Self.export(count: 50_000, extra: { $0 == 3 ? "<h:phone>0</h:phone>" : "" }))
        for _ in 0..<3 {
            var reader = try reader(path)
            var read = 0
            var failure: ProfileError?
            do {
                while try reader.next() { read += 1 }
            } catch {
                failure = error
            }
            #expect(read == 2)
            let message = try #require(failure).description
            #expect(message.contains("neither maps nor ignores") && message.contains("record 3"), "\(message)")
        }
    }

    @Test func filesOfADirectoryArriveInNameOrderEachWithItsName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for n in 1...40 {
            try scratch.write("subs/s\(String(format: "%03d", n)).xml", """
                <?xml version="1.0"?><data xmlns:h="x" id="f\(n)"><prs_Gender>Feminine</prs_Gender></data>
                """)
        }
        let direct = XMLRecordPipe(files: (1...40).map { scratch.path("subs/s\(String(format: "%03d", $0)).xml") },
                                       record: XMLName(namespace: "", local: "data"), batchSize: 3, depth: 1)
        var files: [String] = []
        var records = 0
        while let item = direct.next() {
            guard case .records(let file, let batch) = item else { Issue.record("unexpected failure"); break }
            files.append((file as NSString).lastPathComponent)
            records += batch.count
        }
        #expect(records == 40)
        #expect(files == (1...40).map { "s\(String(format: "%03d", $0)).xml" })
    }

    @Test func aMissingFileIsAFailureItem() throws {
        let pipe = XMLRecordPipe(files: ["/nonexistent/htdx/a.xml"], record: XMLName(namespace: "", local: "data"))
        guard case .failure(let file, _)? = pipe.next() else { Issue.record("expected a failure"); return }
        #expect(file == "/nonexistent/htdx/a.xml")
        #expect(pipe.next() == nil)
    }
}
