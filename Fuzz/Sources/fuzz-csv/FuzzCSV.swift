import FuzzDriver
import FuzzSupport
import Ingest
import PolicyFile
import Tabular

// The first two bytes choose how the rest is read: the delimiter, whether the file is declared
// single-byte (Latin-1), and a small buffer, so that records straddle refills and grow the buffer;
// or, with bit 3 of the first byte, through a shipped partner profile to canonical records.
let scratch = ScratchFile(name: "input.csv")
let profiles = [PartnerProfiles.load("casemgmt"), PartnerProfiles.load("htcds-csv")]
let codeBook = FuzzCodeBook()
let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count >= 2 else { return 0 }
    let head = start.assumingMemoryBound(to: UInt8.self)
    scratch.write(start + 2, count - 2)
    if head[0] & 8 != 0 {
        readThroughProfile(profiles[Int(head[0] >> 4 & 1)])
        return 0
    }
    do {
        var reader = try CSVReader(
            path: scratch.path, delimiter: delimiters[Int(head[0] & 3)],
            bufferSize: 16 + Int(head[1]), maximumRecordBytes: 1024 + Int(head[1]) * 16)
        reader.singleByteEncoding = head[0] & 4 != 0
        while try reader.next() {
            if reader.rejectReason != nil { continue }
            for i in 0..<reader.fieldCount { _ = reader.string(i) }
            _ = reader.strings()
        }
    } catch {
        _ = error.description
    }
    return 0
}

func readThroughProfile(_ profile: PartnerProfile) {
    do {
        var reader = try ProfiledCSVReader(profile: profile, path: scratch.path, codeBook: codeBook)
        while try reader.next() {
            if let rejection = reader.rejection { _ = rejection.reason } else { _ = reader.values.count }
        }
    } catch {
        _ = "\(error)"
    }
}

@_cdecl("fuzz_csv_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    htdx_fuzz_run(argc, argv) { data, count in data.map { fuzz($0, count) } ?? 0 }
}
