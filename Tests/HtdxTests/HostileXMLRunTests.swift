import Foundation
import Pipeline
import TestSupport
import Testing

/// Hostile XML through a whole run: a clean error with exit 3, nothing published, and no text
/// of the file in the message.
@Suite struct HostileXMLRunTests {
    static let secret = "Zuzanna-Secret-Name"

    static let cases: [(name: String, document: String)] = [
        ("external entity", """
            <?xml version="1.0"?><!DOCTYPE h:hotlineExport [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <h:hotlineExport xmlns:h="urn:example:hotline:1"><h:case ref="1"><h:narrative>&x;</h:narrative></h:case></h:hotlineExport>
            """),
        ("billion laughs", """
            <?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "\(secret)"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <h:hotlineExport xmlns:h="urn:example:hotline:1"><h:case ref="1"><h:narrative>&c;</h:narrative></h:case></h:hotlineExport>
            """),
        ("parameter entity", """
            <?xml version="1.0"?><!DOCTYPE h [<!ENTITY % p "<!ENTITY q 'x'>"> %p;]>
            <h:hotlineExport xmlns:h="urn:example:hotline:1"/>
            """),
        ("truncated", """
            <?xml version="1.0"?><h:hotlineExport xmlns:h="urn:example:hotline:1"><h:case ref="1"><h:victim><h:gender>\(secret)
            """),
    ]

    func run(_ document: [UInt8]) throws -> (RunError?, Scratch) {
        let scratch = try Scratch()
        let input = scratch.path("hotline.xml")
        try Data(document).write(to: URL(fileURLWithPath: input))
        let policy = Repo.root.appendingPathComponent("Policies/partners.yaml").path
        do {
            let inputs = [try RunInput.parse("hotline=\(input)", policyPath: policy)]
            _ = try AnonymizeRun(policyPath: policy, inputs: inputs, outputDirectory: scratch.path("out")).run()
            return (nil, scratch)
        } catch {
            return (error, scratch)
        }
    }

    @Test(arguments: cases.map(\.name))
    func isRefusedCleanly(_ name: String) throws {
        let document = Self.cases.first { $0.name == name }!.document
        let (error, scratch) = try run(Array(document.utf8))
        defer { scratch.remove() }
        let e = try #require(error, "\(name) was accepted")
        #expect(e.exitCode == 3, "\(name): \(e)")
        #expect(!e.description.contains(Self.secret) && !e.description.contains("root:"), "\(name): \(e)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
    }

    @Test func gzipAndUTF16AreRefusedWithExitThree() throws {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03] + Array(Self.secret.utf8)
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><h:hotlineExport xmlns:h=\"urn:example:hotline:1\"/>".utf16 {
            utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        for document in [gzip, utf16] {
            let (error, scratch) = try run(document)
            defer { scratch.remove() }
            #expect(error?.exitCode == 3, "\(String(describing: error))")
            #expect(!(error?.description.contains(Self.secret) ?? false))
        }
    }

    @Test func anUnmappedElementStopsTheRunAsAConfigurationError() throws {
        let document = """
            <h:hotlineExport xmlns:h="urn:example:hotline:1"><h:case ref="HL-1" received="2020-01-01">
            <h:victim><h:gender>female</h:gender><h:phone>+000 555</h:phone></h:victim></h:case></h:hotlineExport>
            """
        let (error, scratch) = try run(Array(document.utf8))
        defer { scratch.remove() }
        let e = try #require(error)
        #expect(e.exitCode == 2)
        #expect(e.description.contains("neither maps nor ignores") && !e.description.contains("phone") && !e.description.contains("+000 555"), "\(e)")
    }
}
