import Foundation
import Ingest
import ProfileDraft
import Testing
import TestSupport

/// How `profile draft` reads an export it has never seen: encoding, delimiter, header rows,
/// record element, and one summary per column.
@Suite struct ExportSniffTests {
    static func example(_ name: String) -> String { Repo.root.appendingPathComponent("Examples/partners/\(name)").path }

    func summary(_ scratch: Scratch, _ bytes: [UInt8], name: String = "export.csv") throws -> ExportSummary {
        let path = scratch.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try ExportSummarizer.summarize(path: path)
    }

    func csv(_ s: ExportSummary) throws -> CSVShape {
        guard case .csv(let shape) = s.shape else { Issue.record("not read as CSV"); throw CancellationError() }
        return shape
    }

    @Test func encodingIsUTF8WhenValidWindows1252WhenItsHighBytesAppearAndLatin1Otherwise() throws {
        let s = try Scratch()
        defer { s.remove() }
        let utf8 = Array("id,pays\n1,Sénégal\n".utf8)
        #expect(try csv(summary(s, utf8, name: "a.csv")).encoding == .utf8)
        // é as Latin-1 (0xE9), and no byte 0x80–0x9F.
        let latin1: [UInt8] = Array("id,pays\n1,S".utf8) + [0xE9] + Array("n\n".utf8)
        let l = try summary(s, latin1, name: "b.csv")
        #expect(try csv(l).encoding == .latin1)
        #expect(l.columns[1].values == ["S\u{E9}n": 1])
        // 0x92 is a right quote in Windows-1252 and a control character in Latin-1.
        let cp1252: [UInt8] = Array("id,nom\n1,l".utf8) + [0x92, 0xE9] + Array("t\n".utf8)
        let w = try summary(s, cp1252, name: "c.csv")
        #expect(try csv(w).encoding == .windows1252)
        #expect(w.columns[1].values == ["l\u{2019}\u{E9}t": 1])
        // 0x81 is undefined in Windows-1252: Latin-1 is the only reading left.
        let undefined: [UInt8] = Array("id,nom\n1,a".utf8) + [0x81, 0x92] + Array("\n".utf8)
        #expect(try csv(summary(s, undefined, name: "d.csv")).encoding == .latin1)
    }

    @Test func aCharacterSplitAcrossTheReadChunkIsStillUTF8() throws {
        let s = try Scratch()
        defer { s.remove() }
        // The 2-byte é straddles the 1 MiB chunk boundary.
        var bytes = Array("id,note\n1,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) - bytes.count - 1)
        bytes += Array("é\n".utf8)
        #expect(try csv(summary(s, bytes)).encoding == .utf8)
    }

    @Test(arguments: [",", ";", "\t", "|"])
    func theDelimiterIsTheOneThatSplitsEveryRecordAlikeEvenWithOthersInQuotedText(_ delimiter: String) throws {
        let s = try Scratch()
        defer { s.remove() }
        let others = [",", ";", "\t", "|"].filter { $0 != delimiter }.joined()
        var text = ["id", "sexe", "remarques"].joined(separator: delimiter) + "\n"
        for i in 0..<40 {
            text += ["\(i)", i % 2 == 0 ? "F" : "M", "\"vu\(others) le \(i)\(others)\""].joined(separator: delimiter) + "\n"
        }
        let summary = try summary(s, Array(text.utf8))
        #expect(try csv(summary).delimiter == UInt8(ascii: Unicode.Scalar(delimiter)!))
        #expect(summary.columns.map(\.name) == ["id", "sexe", "remarques"])
        #expect(summary.records == 40)
        #expect(summary.columns[1].values == ["F": 20, "M": 20])
    }

    @Test func theHTCDSTemplatesTwoHeaderRowsAreSeenInEitherOrder() throws {
        let template = try ExportSummarizer.summarize(path: Self.example("htcds-template.csv"))
        let shape = try csv(template)
        #expect(shape.headerRows == 2 && shape.nameRow == 1)
        #expect(template.columns[0].name == "#1")
        #expect(template.columns[5].name == "con_Consent")
        #expect(template.records == 300)

        let s = try Scratch()
        defer { s.remove() }
        // Split by bytes: Swift reads CRLF as one Character, which "\n" would not split.
        let lines = try Data(contentsOf: URL(fileURLWithPath: Self.example("htcds-template.csv"))).split(separator: 10, omittingEmptySubsequences: false)
        let swapped = ([lines[1], lines[0]] + lines.dropFirst(2)).map(Array.init).joined(separator: [10])
        let labelsFirst = try csv(summary(s, Array(swapped)))
        #expect(labelsFirst.headerRows == 2 && labelsFirst.nameRow == 2)

        let plain = try ExportSummarizer.summarize(path: Self.example("casemgmt.csv"))
        #expect(try csv(plain).headerRows == 1)
    }

    @Test func aColumnSummaryCountsTrimmedValuesAndStopsKeepingThemAtTheLimit() throws {
        let s = try Scratch()
        defer { s.remove() }
        let n = ColumnSummary.distinctLimit + 100
        var text = "id,code,,extra\n"
        for i in 0..<n { text += "\(i), \(i % 3 == 0 ? "A" : "") ,,x\(i % 2)\n" }
        text += "short\n"
        let summary = try summary(s, Array(text.utf8))
        #expect(summary.records == n + 1)
        let id = summary.columns[0]
        #expect(id.isTruncated && id.values.count == ColumnSummary.distinctLimit && id.filled == n + 1)
        let code = summary.columns[1]
        #expect(code.values == ["A": (n + 2) / 3] && code.filled == (n + 2) / 3 && code.records == n + 1 && !code.isTruncated)
        #expect(summary.columns[2].name == "#3" && summary.columns[2].filled == 0)
        #expect(summary.columns[3].longest == 2 && summary.columns[3].values == ["x0": n / 2, "x1": n / 2] && summary.columns[3].records == n + 1)
    }

    @Test func anXMLExportsRecordElementAndNamespacesAreFoundAsTheDocumentWritesThem() throws {
        let hotline = try ExportSummarizer.summarize(path: Self.example("hotline.xml"))
        guard case .xml(let shape) = hotline.shape else { Issue.record("not read as XML"); return }
        #expect(shape.record == "h:case" && shape.namespaces == ["h": "urn:example:hotline:1"] && !shape.submissions)
        #expect(hotline.records == 800)
        let names = hotline.columns.map(\.name)
        #expect(names.contains("@ref") && names.contains("h:victim/h:gender") && names.contains("h:exploitation/@country"))
        #expect(!names.contains("h:victim"), "a container holding only indentation is no column")
        let types = try #require(hotline.columns.first { $0.name == "h:exploitation/h:type" })
        #expect(types.repeated > 0)

        // A default namespace gets an invented prefix, and the profile's paths use it.
        let plain = try ExportSummarizer.summarize(path: Self.example("hotline-default-ns.xml"))
        guard case .xml(let p) = plain.shape else { Issue.record("not read as XML"); return }
        #expect(p.record == "p1:case" && p.namespaces == ["p1": "urn:example:hotline:1"])
        #expect(plain.columns.map(\.name).contains("p1:victim/p1:gender"))

        let xform = try ExportSummarizer.summarize(path: Self.example("xform"))
        guard case .xml(let x) = xform.shape else { Issue.record("not read as XML"); return }
        #expect(x.submissions && x.record == "data")
        #expect(xform.records == 150)
        #expect(xform.columns.map(\.name).contains("meta/instanceID"))
    }

    @Test func aByteOrderMarkAndLeadingSpaceBeforeAnAngleBracketStillMeanXML() throws {
        let s = try Scratch()
        defer { s.remove() }
        let xml = [0xEF, 0xBB, 0xBF] + Array("\n  <cases><case id=\"1\"><a>x</a></case><case id=\"2\"><a>y</a></case></cases>\n".utf8)
        let summary = try summary(s, xml, name: "e.xml")
        guard case .xml(let shape) = summary.shape else { Issue.record("not read as XML"); return }
        #expect(shape.record == "case" && summary.records == 2)
        #expect(summary.columns.map(\.name) == ["@id", "a"])
    }

    @Test func errorsNameTheFileAndNeverItsContent() throws {
        let s = try Scratch()
        defer { s.remove() }
        do {
            _ = try ExportSummarizer.summarize(path: s.path("absent.csv"))
            Issue.record("a missing file was read")
        } catch {
            #expect(error.isData && error.message.contains("absent.csv"))
        }
        let secret = "Okonkwo-SECRET-4471"
        let broken = Array("<cases><case><nom>\(secret)</nom></case><case><nom>\(secret)</case></cases>".utf8)
        try Data(broken).write(to: URL(fileURLWithPath: s.path("broken.xml")))
        do {
            _ = try ExportSummarizer.summarize(path: s.path("broken.xml"))
            Issue.record("a malformed XML file was read")
        } catch {
            #expect(error.isData && error.message.contains("broken.xml") && !error.message.contains("SECRET"))
        }
        let unquoted = Array("id,nom\n1,\"\(secret)\n".utf8)
        try Data(unquoted).write(to: URL(fileURLWithPath: s.path("quote.csv")))
        do {
            _ = try ExportSummarizer.summarize(path: s.path("quote.csv"))
            Issue.record("an unterminated quote was read")
        } catch {
            #expect(error.isData && error.message.contains("quote.csv") && !error.message.contains("SECRET"))
        }
    }
}
