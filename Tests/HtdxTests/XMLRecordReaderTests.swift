import Foundation
@testable import Ingest
import Testing

// MARK: - Helpers (file-private, so they cannot clash with other test files)

/// A fresh directory for one test's files, removed by `remove()`.
fileprivate struct XMLScratch {
    let url: URL
    private var counter = 0

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("htdx-xmlreader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    mutating func path() -> String {
        counter += 1
        return url.appendingPathComponent("f\(counter).xml").path
    }

    /// Writes `bytes` to a new file and returns its path.
    mutating func file(_ bytes: [UInt8]) throws -> String {
        let path = path()
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    mutating func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    /// Writes a file by streaming pieces, so a large file never has to be held in memory.
    mutating func streamedFile(_ write: (FileHandle) throws -> Void) throws -> String {
        let path = path()
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try write(handle)
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

fileprivate func withXMLScratch(_ body: (inout XMLScratch) throws -> Void) throws {
    var scratch = try XMLScratch()
    defer { scratch.remove() }
    try body(&scratch)
}

/// Every record of a file, and the error that ended the reading, if any. After an error, `next()`
/// is called once more to check that it throws the same error again.
fileprivate func readAll(
    _ path: String, record: XMLName, limits: XMLLimits = .init(),
    chunkSize: Int = XMLRecordReader.defaultChunkSize, checksMarkup: Bool = true
) -> (records: [XMLRecord], error: XMLError?) {
    var records: [XMLRecord] = []
    do throws(XMLError) {
        var reader = try XMLRecordReader(
            path: path, record: record, limits: limits, chunkSize: chunkSize, checksMarkup: checksMarkup)
        do throws(XMLError) {
            while let r = try reader.next() { records.append(r) }
        } catch {
            do throws(XMLError) {
                _ = try reader.next()
                Issue.record("next() returned after an error")
            } catch let again {
                #expect(again == error)
            }
            return (records, error)
        }
    } catch {
        return (records, error)
    }
    return (records, nil)
}

fileprivate func p(_ text: String, _ namespaces: [String: String] = [:]) -> XMLPath {
    try! XMLPath(text, namespaces: namespaces)
}

fileprivate let caseName = XMLName(local: "case")
fileprivate let secret = "Anneliese Geheimnis-Ramirez"

/// True when no value of any record contains `needle`.
fileprivate func noValueContains(_ records: [XMLRecord], _ needle: String) -> Bool {
    records.allSatisfy { r in r.paths.allSatisfy { path in r.values(path).allSatisfy { !$0.contains(needle) } } }
}

fileprivate func elapsed(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

// MARK: - Functional

@Suite("XMLRecordReader: reading records")
struct XMLRecordReaderFunctionalTests {
    @Test("a namespaced bulk export: records at depth 2, default and prefixed forms match one URI")
    func namespacedBulkExport() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <?xml version="1.0" encoding="UTF-8"?>
                <hotlineExport xmlns="urn:x" xmlns:other="urn:other">
                  <case ref="1">
                    <victim><age>17</age><name><given>A</given></name></victim>
                  </case>
                  <h:case xmlns:h="urn:x" ref="2">
                    <h:victim><h:age>24</h:age></h:victim>
                  </h:case>
                  <other:case ref="not a record"><victim><age>99</age></victim></other:case>
                  <case ref="3"><victim xmlns=""><age>no namespace</age></victim></case>
                </hotlineExport>
                """)
            let (records, error) = readAll(path, record: XMLName(namespace: "urn:x", local: "case"))
            #expect(error == nil)
            #expect(records.map(\.number) == [1, 2, 3])
            let prefixed = p("h:victim/h:age", ["h": "urn:x"])
            let defaulted = p("victim/age", ["": "urn:x"])
            #expect(prefixed == defaulted)
            #expect(records.map { $0.value(prefixed) } == ["17", "24", nil])
            #expect(records.map { $0.value(defaulted) } == ["17", "24", nil])
            // Unprefixed steps without a default mean "no namespace", as in XPath.
            #expect(records.map { $0.value(p("victim/age")) } == [nil, nil, "no namespace"])
            #expect(records.map { $0.value(p("@ref")) } == ["1", "2", "3"])
            #expect(records[0].value(p("h:victim/h:name/h:given", ["h": "urn:x"])) == "A")
        }
    }

    @Test("attributes: the record's own, nested, namespaced and xml:lang")
    func attributes() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <r xmlns:q="urn:q"><case ref="c-1" q:flag="yes" xml:lang="pt">
                <exploitation country="BR" q:country="ignored-by-unprefixed-path"/>
                <exploitation country="PT"/>
                <note a='single "quoted"' b="tab&#9;and&#10;newline" c="x &amp; y &#38; z &lt;&#60;&gt;&quot;&apos;"/>
                </case></r>
                """)
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            let r = try #require(records.first)
            #expect(r.value(p("@ref")) == "c-1")
            #expect(r.value(p("@q:flag", ["q": "urn:q"])) == "yes")
            #expect(r.value(p("@flag")) == nil)
            #expect(r.value(p("@xml:lang")) == "pt")
            #expect(r.values(p("exploitation/@country")) == ["BR", "PT"])
            #expect(r.values(p("exploitation/@q:country", ["q": "urn:q"])) == ["ignored-by-unprefixed-path"])
            #expect(r.value(p("note/@a")) == "single \"quoted\"")
            #expect(r.value(p("note/@b")) == "tab\tand\nnewline")
            #expect(r.value(p("note/@c")) == "x & y & z <<>\"'")
            // An element with only attributes still has a value, the empty string.
            #expect(r.values(p("exploitation")) == ["", ""])
        }
    }

    @Test("an attribute that really contains the text &#38; is not decoded twice")
    func literalCharacterReferenceText() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file(#"<case a="&amp;#38;" b="&#38;amp;">&amp;#38;</case>"#)
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            #expect(records.first?.value(p("@a")) == "&#38;")
            #expect(records.first?.value(p("@b")) == "&amp;")
            #expect(records.first?.value(p(".")) == "&#38;")
        }
    }

    @Test("repeated elements are collected in document order")
    func repeatedElements() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <cases><case><phone>1</phone><phone>2</phone><x><phone>not me</phone></x><phone>3</phone>
                <victim><alias>a</alias></victim><victim><alias>b</alias><alias>c</alias></victim></case></cases>
                """)
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            let r = try #require(records.first)
            #expect(r.values(p("phone")) == ["1", "2", "3"])
            #expect(r.value(p("phone")) == "1")
            #expect(r.count(p("phone")) == 3)
            #expect(r.values(p("x/phone")) == ["not me"])
            #expect(r.values(p("victim/alias")) == ["a", "b", "c"])
            #expect(r.values(p("missing")) == [])
            #expect(r.value(p("missing")) == nil)
        }
    }

    @Test("CDATA with ]] inside, entities and character references decoded, nothing trimmed")
    func cdataAndEntities() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <case><narrative>  She said: <![CDATA[meet at "dock ]] 3" & <wait>]]> &amp; left &#233;&#x4E2D; ]] end  </narrative>
                <quotes>&lt;&gt;&quot;&apos;&amp;</quotes><empty/><empty></empty><spaces>   </spaces></case>
                """)
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            let r = try #require(records.first)
            #expect(r.value(p("narrative")) == "  She said: meet at \"dock ]] 3\" & <wait> & left é中 ]] end  ")
            #expect(r.value(p("quotes")) == "<>\"'&")
            #expect(r.values(p("empty")) == ["", ""])
            #expect(r.value(p("spaces")) == "   ")
        }
    }

    @Test("mixed content: an element's value is its own text, children's text excluded")
    func mixedContent() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("<case>head<a>x<b>y</b>z<b>w</b></a>tail</case>")
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            let r = try #require(records.first)
            #expect(r.value(p(".")) == "headtail")
            #expect(r.value(p("a")) == "xz")
            #expect(r.values(p("a/b")) == ["y", "w"])
            #expect(Set(r.paths) == [p("."), p("a"), p("a/b")])
        }
    }

    @Test("paths lists every element and attribute path of the record once")
    func pathsOfARecord() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file(#"<all><case id="1"><v><age>3</age><age>4</age></v><n>x</n></case><case><n/></case></all>"#)
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            #expect(records.count == 2)
            #expect(records[0].paths == [p("@id"), p("v/age"), p("v"), p("n"), p(".")])
            #expect(records[1].paths == [p("n"), p(".")])
            #expect(records[0].valueCount == 6)
        }
    }

    @Test("record numbers and the line where each record's start tag begins")
    func lineNumbers() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <?xml version="1.0"?>
                <!-- a comment
                over two lines -->
                <export>
                  <case>one</case><case>two</case>
                  <case
                     ref="3"
                  >three</case>

                  <case><![CDATA[
                  ]]></case>
                  <case>five</case>
                </export>
                """)
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            #expect(records.map(\.number) == [1, 2, 3, 4, 5])
            #expect(records.map(\.line) == [5, 5, 6, 10, 12])
            // The same with the file fed three bytes at a time.
            let small = readAll(path, record: caseName, chunkSize: 3)
            #expect(small.records.map(\.line) == [5, 5, 6, 10, 12])
        }
    }

    @Test("records split across read chunks read the same at every chunk size")
    func splitAcrossChunks() throws {
        try withXMLScratch { scratch in
            let text = """
                <?xml version="1.0" encoding="UTF-8"?>
                <h:export xmlns:h="urn:x" xmlns="urn:x"><case ref="1"><victim><name>Zoë &amp; Ana</name>
                <age>30</age></victim><narrative><![CDATA[long ]] narrative ]]]]><![CDATA[> with <tags> and ünïcödé]]></narrative>
                <!-- comment ]]> - inside --><?pi data ?></case><h:case ref="2" note="a&amp;b&#10;c"><victim><age>41</age></victim></h:case>
                </h:export>
                """
            let path = try scratch.file(text)
            let record = XMLName(namespace: "urn:x", local: "case")
            let whole = readAll(path, record: record)
            #expect(whole.error == nil)
            #expect(whole.records.count == 2)
            let ns = ["": "urn:x"]
            #expect(whole.records[0].value(p("victim/name", ns)) == "Zoë & Ana")
            #expect(whole.records[0].value(p("narrative", ns)) == "long ]] narrative ]]> with <tags> and ünïcödé")
            #expect(whole.records[1].value(p("@note")) == "a&b\nc")
            let all = [p("@ref"), p("victim/name", ns), p("victim/age", ns), p("narrative", ns), p("@note"), p(".")]
            func digest(_ records: [XMLRecord]) -> [[String]] {
                records.map { r in ["\(r.number)", "\(r.line)"] + all.flatMap { r.values($0) } }
            }
            for chunkSize in [1, 2, 3, 5, 7, 11, 64, 100] {
                let split = readAll(path, record: record, chunkSize: chunkSize)
                #expect(split.error == nil, "chunk size \(chunkSize)")
                #expect(digest(split.records) == digest(whole.records), "chunk size \(chunkSize)")
            }
        }
    }

    @Test("an ODK submission whose root <data> is the record, with nested groups")
    func odkSubmission() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <?xml version='1.0' encoding='UTF-8' ?>
                <data id="htcds" version="2024061201" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
                  <start>2024-06-12T10:00:00.000+01:00</start>
                  <group_victim>
                    <age>17</age>
                    <gender>female</gender>
                    <group_origin><country>NG</country></group_origin>
                  </group_victim>
                  <group_exploitation jr:template="">
                    <type>sexual</type>
                    <type>forced_labour</type>
                  </group_exploitation>
                  <orx:meta><orx:instanceID>uuid:0d9c</orx:instanceID></orx:meta>
                </data>
                """)
            let (records, error) = readAll(path, record: XMLName(local: "data"))
            #expect(error == nil)
            let r = try #require(records.first)
            #expect(records.count == 1)
            #expect(r.line == 2)
            #expect(r.value(p("@id")) == "htcds")
            #expect(r.value(p("group_victim/age")) == "17")
            #expect(r.value(p("group_victim/group_origin/country")) == "NG")
            #expect(r.values(p("group_exploitation/type")) == ["sexual", "forced_labour"])
            #expect(r.value(p("group_exploitation/@jr:template", ["jr": "http://openrosa.org/javarosa"])) == "")
            #expect(r.value(p("orx:meta/orx:instanceID", ["orx": "http://openrosa.org/xforms"])) == "uuid:0d9c")
        }
    }

    @Test("1,000 records stream through a small chunk without being held")
    func streamingBoundedMemory() throws {
        try withXMLScratch { scratch in
            var text = "<export xmlns=\"urn:x\">\n"
            for i in 1...1_000 {
                text += "<case ref=\"\(i)\"><victim><age>\(i % 90)</age><name>N\(i)</name></victim><n><![CDATA[narrative \(i)]]></n></case>\n"
            }
            text += "</export>\n"
            let path = try scratch.file(text)
            var reader = try XMLRecordReader(path: path, record: XMLName(namespace: "urn:x", local: "case"), chunkSize: 4096)
            let ref = p("@ref")
            let name = p("victim/name", ["": "urn:x"])
            var count = 0
            var mostQueued = 0
            while let r = try reader.next() {
                count += 1
                mostQueued = max(mostQueued, reader.queuedRecords + 1)
                #expect(r.number == count)
                #expect(r.line == count + 1)
                #expect(r.value(ref) == "\(count)")
                #expect(r.value(name) == "N\(count)")
            }
            #expect(count == 1_000)
            // A 4 KiB chunk holds at most ~40 of these ~100-byte records: never the whole file.
            #expect(mostQueued <= 45)
            #expect(try reader.next() == nil)
        }
    }

    @Test("a document declared ISO-8859-1 or windows-1252 is converted to UTF-8")
    func latin1() throws {
        try withXMLScratch { scratch in
            let latin1 = try scratch.file(Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<case a=\"".utf8)
                + [0xE9] + Array("\">caf".utf8) + [0xE9] + Array("</case>".utf8))
            let r1 = readAll(latin1, record: caseName)
            #expect(r1.error == nil)
            #expect(r1.records.first?.value(p(".")) == "café")
            #expect(r1.records.first?.value(p("@a")) == "é")
            let cp1252 = try scratch.file(Array("<?xml version='1.0' encoding='windows-1252'?><case>".utf8) + [0x80, 0x20, 0x93, 0x94]
                + Array("</case>".utf8))
            let r2 = readAll(cp1252, record: caseName)
            #expect(r2.error == nil)
            #expect(r2.records.first?.value(p(".")) == "€ \u{201C}\u{201D}")
        }
    }

    @Test("a UTF-8 byte-order mark is accepted")
    func utf8BOM() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file([0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><case>x</case>".utf8))
            let (records, error) = readAll(path, record: caseName)
            #expect(error == nil)
            #expect(records.first?.value(p(".")) == "x")
        }
    }

    @Test("records that completed before an error are handed out, then the error, every time")
    func recordsBeforeAnError() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("<export>\n<case>1</case>\n<case>2</case>\n<case>3</oops>\n<case>4</case></export>")
            for chunkSize in [1, 7, XMLRecordReader.defaultChunkSize] {
                let (records, error) = readAll(path, record: caseName, chunkSize: chunkSize)
                #expect(records.map { $0.value(p(".")) } == ["1", "2"])
                let e = try #require(error)
                #expect(e.problem == .tagMismatch(open: "case", close: "oops"))
                #expect(e.line == 4)
                #expect(e.description.hasPrefix("\(path):4: an end tag does not match the element open at that point."))
                #expect(!e.description.contains("oops"))
            }
        }
    }

    @Test("a file without records yields none; a file that cannot be opened says why")
    func noRecordsAndMissingFile() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("<export><other>x</other></export>")
            let (records, error) = readAll(path, record: caseName)
            #expect(records.isEmpty && error == nil)
            let missing = scratch.url.appendingPathComponent("missing.xml").path
            let e = try #require(readAll(missing, record: caseName).error)
            #expect(e.line == 0)
            #expect(e.description == "\(missing): cannot read the file: No such file or directory.")
        }
    }

    @Test("XMLPath: syntax, prefixes and errors")
    func paths() throws {
        #expect(p(".") == XMLPath(elements: []))
        #expect(p("@ref") == XMLPath(elements: [], attribute: XMLName(local: "ref")))
        #expect(p("a/b/@c", ["": "urn:d"]) == XMLPath(
            elements: [XMLName(namespace: "urn:d", local: "a"), XMLName(namespace: "urn:d", local: "b")],
            attribute: XMLName(local: "c")))
        #expect(p("h:a/@h:c", ["h": "urn:h"]).description == "{urn:h}a/@{urn:h}c")
        #expect(p("@xml:lang").attribute == XMLName(namespace: xmlNamespaceURI, local: "lang"))
        func problem(_ text: String) -> XMLPathError.Problem? {
            do throws(XMLPathError) { _ = try XMLPath(text); return nil } catch { return error.problem }
        }
        #expect(problem("") == .empty)
        #expect(problem("a//b") == .emptyStep)
        #expect(problem("/a") == .emptyStep)
        #expect(problem("a/") == .emptyStep)
        #expect(problem("@a/b") == .attributeNotLast)
        #expect(problem("a b") == .invalidName("a b"))
        #expect(problem("a:b:c") == .invalidName("a:b:c"))
        #expect(problem("1a") == .invalidName("1a"))
        #expect(problem("./a") == .invalidName("."))
        #expect(problem("h:a") == .unknownPrefix("h"))
        do throws(XMLPathError) {
            _ = try XMLPath("h:a")
        } catch {
            #expect(error.description.contains("Add \"h\" with its namespace URI"))
        }
    }
}

// MARK: - Hostile input

@Suite("XMLRecordReader: hostile and broken input")
struct XMLRecordReaderSecurityTests {
    @Test("an external entity to file:///etc/passwd is refused; no byte of it appears anywhere")
    func externalEntity() throws {
        try withXMLScratch { scratch in
            let doctype = try scratch.file("""
                <?xml version="1.0"?>
                <!DOCTYPE export [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                <export><case><name>\(secret)</name><x>&xxe;</x></case></export>
                """)
            for checksMarkup in [true, false] {
                let (records, error) = readAll(doctype, record: caseName, checksMarkup: checksMarkup)
                let e = try #require(error)
                #expect(e.problem == .doctype)
                #expect(e.line == 2)
                #expect(e.description == "\(doctype):2: DOCTYPE declarations are refused (they can define entities); export without a DTD.")
                #expect(records.isEmpty)
                #expect(!e.description.contains("root:") && !e.description.contains(secret))
            }
            // Without a DTD, the reference is to an undefined entity.
            let bare = try scratch.file("<export><case><name>\(secret)</name><x>&xxe;</x></case></export>")
            let (records, error) = readAll(bare, record: caseName)
            let e = try #require(error)
            #expect(e.problem == .undefinedEntity("xxe"))
            #expect(noValueContains(records, "root:"))
            #expect(!e.description.contains("root:") && !e.description.contains(secret))
            // The same reference inside an attribute.
            let attribute = try scratch.file("<export><case a=\"&xxe;\">\(secret)</case></export>")
            let e2 = try #require(readAll(attribute, record: caseName).error)
            #expect(e2.problem == .undefinedEntity("xxe"))
        }
    }

    @Test("billion laughs is refused at once")
    func billionLaughs() throws {
        try withXMLScratch { scratch in
            var dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
            dtd += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
            for i in 2...9 {
                dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">\n"
            }
            dtd += "]>\n<lolz><case>&lol9;</case></lolz>"
            let path = try scratch.file(dtd)
            for checksMarkup in [true, false] {
                var result: (records: [XMLRecord], error: XMLError?) = ([], nil)
                let seconds = elapsed { result = readAll(path, record: caseName, checksMarkup: checksMarkup) }
                #expect(result.error?.problem == .doctype)
                #expect(result.records.isEmpty)
                #expect(seconds < 2)
            }
        }
    }

    @Test("a DOCTYPE with a parameter entity is refused")
    func parameterEntity() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("""
                <!DOCTYPE export [
                  <!ENTITY % remote SYSTEM "file:///etc/passwd">
                  %remote;
                ]>
                <export><case>\(secret)</case></export>
                """)
            for checksMarkup in [true, false] {
                let e = try #require(readAll(path, record: caseName, checksMarkup: checksMarkup).error)
                #expect(e.problem == .doctype)
                #expect(e.line == 1)
                #expect(!e.description.contains("root:") && !e.description.contains(secret))
            }
            // A lower-case or stray declaration later in the document is refused by the byte scan.
            let stray = try scratch.file("<export>\n<case>x</case>\n<!ENTITY a \"b\"></export>")
            let e = try #require(readAll(stray, record: caseName).error)
            #expect(e.problem == .doctype)
            #expect(e.line == 3)
        }
    }

    @Test("10,000 levels of nesting stop at the depth limit")
    func deepNesting() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file("<export>\n<case>" + String(repeating: "<a>", count: 10_000) + secret
                + String(repeating: "</a>", count: 10_000) + "</case></export>")
            var result: (records: [XMLRecord], error: XMLError?) = ([], nil)
            let seconds = elapsed { result = readAll(path, record: caseName) }
            let e = try #require(result.error)
            #expect(e.problem == .tooDeep(element: "a", limit: 64))
            #expect(e.line == 2)
            #expect(e.description.contains("an element is nested deeper than the limit of 64 levels"))
            #expect(!e.description.contains(secret))
            #expect(seconds < 2)
            // Depth counts from the document's root, inside records or not.
            let shallow = try scratch.file("<a><b><c><case><d/></case></c></b></a>")
            #expect(readAll(shallow, record: caseName, limits: XMLLimits(depth: 5)).error == nil)
            #expect(readAll(shallow, record: caseName, limits: XMLLimits(depth: 4)).error?.problem == .tooDeep(element: "d", limit: 4))
        }
    }

    @Test("a 50 MB text node stops at the text limit, quickly")
    func hugeTextNode() throws {
        try withXMLScratch { scratch in
            let block = Data(String(repeating: secret + " ", count: 1 << 20 / (secret.utf8.count + 1)).utf8)
            let path = try scratch.streamedFile { handle in
                handle.write(Data("<export>\n<case><ok>1</ok>\n<narrative>".utf8))
                for _ in 0..<(50 << 20) / block.count { handle.write(block) }
                handle.write(Data("</narrative></case></export>".utf8))
            }
            var result: (records: [XMLRecord], error: XMLError?) = ([], nil)
            let seconds = elapsed { result = readAll(path, record: caseName) }
            let e = try #require(result.error)
            #expect(e.problem == .textTooLong(path: "narrative", limit: 1 << 20))
            #expect(e.line == 3)
            #expect(e.description.contains("a value is longer than the limit of 1 MiB"))
            #expect(!e.description.contains(secret))
            #expect(result.records.isEmpty)
            #expect(seconds < 5)
        }
    }

    @Test("a 50 MB CDATA section stops at the text limit before libxml2 buffers it")
    func hugeCDATA() throws {
        try withXMLScratch { scratch in
            let block = Data(String(repeating: "x", count: 1 << 20).utf8)
            let path = try scratch.streamedFile { handle in
                handle.write(Data("<export>\n<case>\n<n><![CDATA[".utf8))
                for _ in 0..<50 { handle.write(block) }
                handle.write(Data("]]></n></case></export>".utf8))
            }
            var result: (records: [XMLRecord], error: XMLError?) = ([], nil)
            let seconds = elapsed { result = readAll(path, record: caseName) }
            let e = try #require(result.error)
            #expect(e.problem == .textTooLong(path: nil, limit: 1 << 20))
            #expect(e.line == 3)
            #expect(seconds < 5)
            // Without the byte scan, the SAX callback still enforces the limit (after libxml2's buffering).
            let sax = readAll(path, record: caseName, checksMarkup: false).error
            #expect(sax?.problem == .textTooLong(path: "n", limit: 1 << 20) || sax?.problem == .markupTooLong)
        }
    }

    @Test("a start tag with 300,000 attributes is refused before libxml2's quadratic check")
    func manyAttributes() throws {
        try withXMLScratch { scratch in
            var text = "<export>\n<case\n"
            for i in 0..<300_000 { text += " a\(i)=\"\(i % 10)\"" }
            text += "/></export>"
            let path = try scratch.file(text)
            var result: (records: [XMLRecord], error: XMLError?) = ([], nil)
            let seconds = elapsed { result = readAll(path, record: caseName) }
            #expect(result.error?.problem == .tooManyAttributes(element: nil, limit: 256))
            #expect(result.error?.line == 2)
            #expect(seconds < 2)
            // The SAX-level check, behind the byte scan.
            let few = try scratch.file("<export><case " + (0..<300).map { "a\($0)='1'" }.joined(separator: " ") + "/></export>")
            #expect(readAll(few, record: caseName, checksMarkup: false).error?.problem
                    == .tooManyAttributes(element: "case", limit: 256))
            // '=', '>' and the other quote inside values are not attributes, however the bytes are split.
            let quoted = try scratch.file("<r><case a='x=\"1\" b=2>' b=\"'c=d'>=\"\n c = \"=\"/><case/></r>")
            for chunkSize in 1...17 {
                let fits = readAll(quoted, record: caseName, limits: XMLLimits(attributesPerElement: 3), chunkSize: chunkSize)
                #expect(fits.error == nil && fits.records.count == 2)
                #expect(fits.records.first?.value(p("@a")) == "x=\"1\" b=2>")
                let tight = readAll(quoted, record: caseName, limits: XMLLimits(attributesPerElement: 2), chunkSize: chunkSize)
                #expect(tight.error?.problem == .tooManyAttributes(element: nil, limit: 2))
            }
        }
    }

    @Test("names, record size, values per record and distinct paths are limited")
    func otherLimits() throws {
        try withXMLScratch { scratch in
            let longName = try scratch.file("<export><case><" + String(repeating: "n", count: 2_000) + "/></case></export>")
            #expect(readAll(longName, record: caseName).error?.problem == .nameTooLong(limit: 1024))
            let longURI = try scratch.file("<export xmlns=\"urn:" + String(repeating: "u", count: 2_000) + "\"/>")
            #expect(readAll(longURI, record: caseName).error?.problem == .nameTooLong(limit: 1024))

            let big = try scratch.file("<export><case>\n<a>" + String(repeating: "x", count: 600) + "</a><b c=\""
                + String(repeating: "y", count: 600) + "\"/></case></export>")
            let e = readAll(big, record: caseName, limits: XMLLimits(recordBytes: 1_000)).error
            #expect(e?.problem == .recordTooLarge(record: 1, limit: 1_000))
            #expect(e?.line == 2)
            let attribute = readAll(big, record: caseName, limits: XMLLimits(textBytes: 500)).error
            #expect(attribute?.problem == .textTooLong(path: "a", limit: 500))

            let many = try scratch.file("<export><case>" + String(repeating: "<v/>", count: 200) + "</case></export>")
            #expect(readAll(many, record: caseName, limits: XMLLimits(valuesPerRecord: 100)).error?.problem
                    == .tooManyValues(record: 1, limit: 100))

            let distinct = try scratch.file("<export>" + (0..<50).map { "<case><f\($0)/></case>" }.joined() + "</export>")
            let d = readAll(distinct, record: caseName, limits: XMLLimits(distinctPaths: 20))
            #expect(d.error?.problem == .tooManyPaths(limit: 20))
            #expect(d.records.count == 19)  // "." plus 19 field paths fit
        }
    }

    @Test("a truncated document is an error with its line, after the complete records")
    func truncated() throws {
        try withXMLScratch { scratch in
            let whole = "<export>\n<case><name>\(secret)</name></case>\n<case><name>\(secret)</name>\n<age>4"
            for cut in [whole, whole + "</age", "<export>\n<case a=\"1", "<export>\n<case"] {
                let path = try scratch.file(cut)
                for chunkSize in [5, XMLRecordReader.defaultChunkSize] {
                    let (records, error) = readAll(path, record: caseName, chunkSize: chunkSize)
                    let e = try #require(error)
                    #expect(e.problem == .truncated, "\(cut)")
                    #expect(e.line >= 2)
                    #expect(e.description.contains("it is probably truncated"))
                    #expect(!e.description.contains(secret))
                    #expect(records.count == (cut.hasPrefix(whole) ? 1 : 0))
                }
            }
            let empty = try scratch.file("")
            #expect(readAll(empty, record: caseName).error?.problem == .noRootElement)
            let blank = try scratch.file("  \n")
            #expect(readAll(blank, record: caseName).error?.problem == .noRootElement)
            let twoRoots = try scratch.file("<export/>\n<export/>")
            let e = readAll(twoRoots, record: caseName).error
            #expect(e?.problem == .contentAfterRoot)
            #expect(e?.line == 2)
        }
    }

    @Test("malformed XML names the line and never quotes the text")
    func malformed() throws {
        try withXMLScratch { scratch in
            let cases: [(String, XMLError.Problem)] = [
                ("<export>\n<case>\(secret) < 3</case></export>", .malformed(code: 68)),
                ("<export>\n<case a=\(secret)>x</case></export>", .malformed(code: 39)),
                ("<export>\n<case>\(secret)</case></export>", .malformed(code: 0)),
                ("<export>\n<h:case>\(secret)</h:case></export>", .undefinedPrefix("h")),
                ("<export>\n<case>\(secret) ]]> x</case></export>", .malformed(code: 62)),
                ("<export>\n<case>\(secret)\u{01}</case></export>", .invalidCharacter),
            ]
            for (index, (text, problem)) in cases.enumerated() {
                var text = text
                if index == 2 { text = text.replacingOccurrences(of: "<case>", with: "<case><!-x ->") }
                let path = try scratch.file(text)
                let e = try #require(readAll(path, record: caseName).error)
                #expect(e.problem == problem, "\(text)")
                #expect(e.line == 2, "\(text)")
                #expect(!e.description.contains(secret))
            }
            // Invalid UTF-8: libxml2's own message would quote the bytes.
            let latin = try scratch.file(Array("<export>\n<case>caf".utf8) + [0xE9] + Array(" \(secret)</case></export>".utf8))
            let e = try #require(readAll(latin, record: caseName).error)
            #expect(e.problem == .invalidCharacter)
            #expect(e.line == 2)
            #expect(!e.description.contains("0xE9") && !e.description.contains(secret))
        }
    }

    @Test("gzip bytes are refused before parsing")
    func gzip() throws {
        try withXMLScratch { scratch in
            let path = try scratch.file([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03] + Array(secret.utf8))
            let e = try #require(readAll(path, record: caseName).error)
            #expect(e.problem == .gzip)
            #expect(e.description == "\(path): the file is gzip-compressed; decompress it first (gunzip), then read the .xml file.")
        }
    }

    @Test("UTF-16 (by byte-order mark, by zero bytes or by declaration) and other encodings are refused")
    func utf16() throws {
        try withXMLScratch { scratch in
            let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><export><case>\(secret)</case></export>"
            let le = try scratch.file([0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            let be = try scratch.file([0xFE, 0xFF] + Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
            let noBOM = try scratch.file(Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            let declared = try scratch.file(text)
            for path in [le, be, noBOM, declared] {
                let e = try #require(readAll(path, record: caseName).error)
                #expect(e.problem == .utf16)
                #expect(e.description.contains("is UTF-16; convert it to UTF-8"))
                #expect(!e.description.contains(secret))
            }
            let utf32 = try scratch.file([0xFF, 0xFE, 0x00, 0x00, 0x3C, 0, 0, 0])
            #expect(readAll(utf32, record: caseName).error?.problem == .unsupportedEncoding("UTF-32"))
            let shiftJIS = try scratch.file("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><case/>")
            #expect(readAll(shiftJIS, record: caseName).error?.problem == .unsupportedEncoding(nil))
            // A declaration padded past the first read cannot hide its encoding from the check.
            for padding in [5_000, 300_000] {
                let padded = try scratch.file("<?xml version=\"1.0\"" + String(repeating: " ", count: padding)
                    + "encoding=\"Shift_JIS\"?><case/>")
                for chunkSize in [16, XMLRecordReader.defaultChunkSize] {
                    let problem = readAll(padded, record: caseName, chunkSize: chunkSize).error?.problem
                    #expect(problem == .unsupportedEncoding(nil) || problem == .malformed(code: 57))
                }
            }
        }
    }

    @Test("libxml2 writes nothing to stderr, even for errors that quote document bytes")
    func silence() throws {
        try withXMLScratch { scratch in
            let inputs: [[UInt8]] = [
                Array("<export><case>caf".utf8) + [0xE9] + Array(" \(secret)</case></export>".utf8),
                Array("<export><case>\(secret)</oops></export>".utf8),
                Array("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>".utf8),
                Array("<export xmlns=\"relative\"><h:case>\(secret)</h:case>".utf8),
            ]
            let paths = try inputs.map { try scratch.file($0) }
            let capture = scratch.url.appendingPathComponent("stderr.txt").path
            fflush(nil)
            let saved = dup(2)
            let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            dup2(fd, 2)
            for path in paths {
                for checksMarkup in [true, false] { _ = readAll(path, record: caseName, checksMarkup: checksMarkup) }
            }
            fflush(nil)
            dup2(saved, 2)
            close(fd)
            close(saved)
            let written = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
            // Whatever other tests wrote meanwhile goes back where it belongs.
            FileHandle.standardError.write(Data(written.utf8))
            #expect(!written.contains("parser error") && !written.contains("namespace error"))
            #expect(!written.contains(secret) && !written.contains("root:") && !written.contains("0xE9"))
        }
    }
}
