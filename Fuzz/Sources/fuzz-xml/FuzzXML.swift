import FuzzDriver
import FuzzSupport
import Ingest
import PolicyFile

// The first byte chooses the record element and the chunk size (one byte at a time, a few, or the
// default), so that every SAX callback and the raw-markup guard meet tokens split across chunks;
// the second, tight limits, so that each limit's error path is reached, or, with its bit 1, reading
// through a shipped partner profile to canonical records (parsing on a second thread).
let scratch = ScratchFile(name: "input.xml")
let profiles = [PartnerProfiles.load("hotline"), PartnerProfiles.load("htcds-xform")]
let codeBook = FuzzCodeBook()
let records = [
    XMLName(local: "case"), XMLName(namespace: "urn:htdx:hotline:1", local: "case"),
    XMLName(local: "data"), XMLName(local: "r"),
]
let chunkSizes = [1, 3, 64, XMLRecordReader.defaultChunkSize]
let probes: [XMLPath] = [
    try! XMLPath("ref"), try! XMLPath("@ref"), try! XMLPath("victim/age"),
    try! XMLPath("h:victim/h:age", namespaces: ["h": "urn:htdx:hotline:1"]),
    try! XMLPath("@g:region", namespaces: ["g": "urn:htdx:geo:1"]),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count >= 2 else { return 0 }
    let head = start.assumingMemoryBound(to: UInt8.self)
    scratch.write(start + 2, count - 2)
    if head[1] & 2 != 0 {
        readThroughProfile(profiles[Int(head[1] >> 2 & 1)])
        return 0
    }
    let tight = head[1] & 1 != 0
    let limits = tight
        ? XMLLimits(depth: 4, nameBytes: 8, attributesPerElement: 3, textBytes: 16, recordBytes: 64,
                    valuesPerRecord: 8, distinctPaths: 6)
        : XMLLimits()
    do {
        var reader = try XMLRecordReader(
            path: scratch.path, record: records[Int(head[0] & 3)], limits: limits,
            chunkSize: chunkSizes[Int(head[0] >> 2 & 3)])
        while let record = try reader.next() {
            for path in record.paths { _ = record.values(path); _ = record.count(path) }
            for path in probes { _ = record.value(path) }
        }
    } catch {
        _ = error.description
    }
    return 0
}

func readThroughProfile(_ profile: PartnerProfile) {
    do {
        var reader = try ProfiledXMLReader(profile: profile, path: scratch.path, codeBook: codeBook)
        while try reader.next() {
            if let rejection = reader.rejection { _ = rejection.reason } else { _ = reader.values.count }
        }
    } catch {
        _ = "\(error)"
    }
}

@_cdecl("fuzz_xml_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    htdx_fuzz_run(argc, argv) { data, count in data.map { fuzz($0, count) } ?? 0 }
}
