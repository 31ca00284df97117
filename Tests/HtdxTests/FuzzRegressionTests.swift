import Anonymize
import Foundation
import Ingest
import Pipeline
import PolicyFile
import Tabular
import TestSupport
import Testing

/// Every file of the fuzzing seed corpus (Fuzz/corpus), fed through the normal API as the fuzz
/// targets feed it (Fuzz/Sources): each ends in records or an error, never a crash. A reproducer of
/// anything the fuzzers found is added to the corpus, so this suite replays it on every test run.
@Suite struct FuzzRegressionTests {
    static func seeds(_ target: String) -> [String] {
        let directory = Repo.root.appendingPathComponent("Fuzz/corpus/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0).path }
    }

    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func theCorpusHasSeedsForEveryTarget() {
        for target in ["csv", "xml", "yaml", "condition"] { #expect(Self.seeds(target).count >= 10, "\(target)") }
    }

    /// The first two bytes choose the delimiter, Latin-1, the buffer size, or a partner profile.
    @Test(arguments: seeds("csv"))
    func csvSeed(_ path: String) throws {
        let input = try bytes(path)
        guard input.count >= 2 else { return }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.path("input.csv")
        try Data(input.dropFirst(2)).write(to: URL(fileURLWithPath: file))
        if input[0] & 8 != 0 {
            let name = input[0] >> 4 & 1 == 0 ? "casemgmt" : "htcds-csv"
            let profile = try ProfileDocument.load(path: Repo.root.appendingPathComponent("Policies/partners/\(name).yaml").path).profile
            do {
                var reader = try ProfiledCSVReader(profile: profile, path: file, codeBook: StandardCodeBook())
                while try reader.next() { _ = reader.values }
            } catch {}
            return
        }
        let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        do {
            var reader = try CSVReader(path: file, delimiter: delimiters[Int(input[0] & 3)],
                                       bufferSize: 16 + Int(input[1]), maximumRecordBytes: 1024 + Int(input[1]) * 16)
            reader.singleByteEncoding = input[0] & 4 != 0
            while try reader.next() { if reader.rejectReason == nil { _ = reader.strings() } }
        } catch {}
    }

    /// The first byte chooses the record element and the chunk size; the second, tight limits or a
    /// partner profile.
    @Test(arguments: seeds("xml"))
    func xmlSeed(_ path: String) throws {
        let input = try bytes(path)
        guard input.count >= 2 else { return }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.path("input.xml")
        try Data(input.dropFirst(2)).write(to: URL(fileURLWithPath: file))
        if input[1] & 2 != 0 {
            let name = input[1] >> 2 & 1 == 0 ? "hotline" : "htcds-xform"
            let profile = try ProfileDocument.load(path: Repo.root.appendingPathComponent("Policies/partners/\(name).yaml").path).profile
            do {
                var reader = try ProfiledXMLReader(profile: profile, path: file, codeBook: StandardCodeBook())
                while try reader.next() { _ = reader.values }
            } catch {}
            return
        }
        let records = [XMLName(local: "case"), XMLName(namespace: "urn:htdx:hotline:1", local: "case"),
                       XMLName(local: "data"), XMLName(local: "r")]
        let limits = input[1] & 1 != 0
            ? XMLLimits(depth: 4, nameBytes: 8, attributesPerElement: 3, textBytes: 16, recordBytes: 64,
                        valuesPerRecord: 8, distinctPaths: 6)
            : XMLLimits()
        do {
            var reader = try XMLRecordReader(path: file, record: records[Int(input[0] & 3)], limits: limits,
                                             chunkSize: [1, 3, 64, XMLRecordReader.defaultChunkSize][Int(input[0] >> 2 & 3)])
            while let record = try reader.next() { for p in record.paths { _ = record.values(p) } }
        } catch {}
    }

    /// Loaded as a policy and as a profile, beside copies of the shipped hierarchies.
    @Test(arguments: seeds("yaml"))
    func yamlSeed(_ path: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for folder in ["hierarchies", "ctdc", "htcds"] {
            try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("Policies/\(folder)").path,
                                             toPath: scratch.path(folder))
        }
        let file = scratch.path("input.yaml")
        try Data(try bytes(path)).write(to: URL(fileURLWithPath: file))
        do { _ = try PolicyDocument.load(path: file) } catch { #expect(error.description.utf8.count < 4_096) }
        do { _ = try ProfileDocument.load(path: file) } catch { #expect(error.description.utf8.count < 4_096) }
    }

    /// Found by the policy fuzzer: composing a YAML mapping whose key is an alias of a huge
    /// expanded tree hashes all of it, for hours. Anchors and aliases are refused before composing.
    @Test func aliasAsAMappingKeyIsRefused() throws {
        let path = Repo.root.appendingPathComponent("Fuzz/corpus/yaml/regression-alias-key").path
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.path("input.yaml")
        try Data(try bytes(path)).write(to: URL(fileURLWithPath: file))
        do {
            _ = try PolicyDocument.load(path: file)
            Issue.record("a policy with a nested alias as a key was read")
        } catch {
            #expect(error.description.contains("anchor or alias"), "\(error.description)")
        }
    }

    /// A condition that parses prints (as codebooks show it) to text that parses back to it.
    @Test(arguments: seeds("condition"))
    func conditionSeed(_ path: String) throws {
        let text = String(decoding: try bytes(path), as: UTF8.self)
        guard let condition = try? ConditionParser.parse(text) else { return }
        #expect(try ConditionParser.parse(condition.text) == condition, "\(condition.text)")
        _ = condition.holds { _ in "18" }
    }
}
