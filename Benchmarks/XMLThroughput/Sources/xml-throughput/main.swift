// xml-throughput generate FILE [RECORDS]
//     Writes a synthetic, namespaced bulk export of RECORDS (default 300,000) <case> records,
//     about 680 bytes each: 15 fields, attributes, a namespaced element and attribute, repeated
//     elements and a CDATA narrative with '&', '<' and ']]' in it.
// xml-throughput FILE [REPETITIONS]
//     Times, on the same file in the same process: (1) read(2) through a 256 KiB buffer, summing
//     bytes so the loop is not optimised away (the reference), and (2) XMLRecordReader reading
//     every record and building the Strings of 10 paths per record with values(_:). Prints the
//     best of each, and a line `htdx-mbps N` for Benchmarks/xml.sh. (3) The same records through a
//     partner profile to canonical records (`htdx-ingest-mbps N`).
import Foundation
import Ingest
import Recode

let arguments = CommandLine.arguments
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: xml-throughput generate FILE [RECORDS] | xml-throughput FILE [REPETITIONS]\n".utf8))
    exit(2)
}
guard arguments.count >= 2 else { usage() }

let hotline = "urn:htdx:hotline:1"
let geo = "urn:htdx:geo:1"

// MARK: Generating

/// A small deterministic generator (SplitMix64), so every run writes the same file.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}

func generate(_ path: String, records: Int) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var random = SplitMix(state: 2024)
    let given = ["Maria", "Ana", "Joy", "Blessing", "Olena", "Mariam", "Chen", "Siti", "Fatima", "Elena", "Zoë", "José"]
    let family = ["Santos", "Okafor", "Kovalenko", "Nguyen", "Haddad", "Popescu", "Silva", "Mensah", "Rahman", "Ibáñez"]
    let countries = ["PT", "ES", "BR", "NG", "UA", "VN", "RO", "GH", "BD", "MD", "TH", "PH"]
    let regions = ["Lisboa", "Porto", "Faro", "Madrid", "Sevilla", "Braga", "Coimbra"]
    let types = ["sexual", "labour", "domestic_servitude", "forced_criminality", "begging"]
    let relations = ["acquaintance", "partner", "family", "employer", "stranger", "online_contact"]
    let methods = ["job offer", "romance", "debt bondage", "abduction", "false documents"]
    let phrases = ["She was promised work in a restaurant & paid nothing.", "Documents were taken on arrival.",
                   "Contact via <social media> profile ]] later deleted.", "Moved between three addresses at night.",
                   "Debt of 4000 EUR increased every month.", "Hotline call from a neighbour."]
    var chunk = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hotlineExport xmlns=\"\(hotline)\" xmlns:geo=\"\(geo)\" exported=\"2024-06-30\">\n"
    for i in 1...records {
        let a = random.pick(types), b = random.pick(types)
        chunk += """
         <case ref="HT-2024-\(String(format: "%06d", i))" status="\(random.pick(["open", "closed", "referred"]))" source="hotline">
          <received>2024-\(String(format: "%02d", random.int(1...12)))-\(String(format: "%02d", random.int(1...28)))T09:\(String(format: "%02d", random.int(0...59))):00Z</received>
          <victim id="V-\(i)"><name><given>\(random.pick(given))</given><family>\(random.pick(family))</family></name>
           <age>\(random.int(12...64))</age><gender>\(random.pick(["female", "male", "other"]))</gender><nationality>\(random.pick(countries))</nationality>
           <geo:location geo:country="\(random.pick(countries))">\(random.pick(regions))</geo:location></victim>
          <exploitation type="\(a)" country="\(random.pick(countries))"/><exploitation type="\(b)" country="\(random.pick(countries))"/>
          <recruiter><relation>\(random.pick(relations))</relation><method>\(random.pick(methods))</method></recruiter>
          <contact><phone>+351 9\(random.int(10...99)) \(random.int(100...999)) \(random.int(100...999))</phone></contact>
          <narrative><![CDATA[\(random.pick(phrases)) \(random.pick(phrases))]]></narrative>
         </case>

        """
        if chunk.utf8.count > 1 << 20 {
            handle.write(Data(chunk.utf8))
            chunk = ""
        }
    }
    chunk += "</hotlineExport>\n"
    handle.write(Data(chunk.utf8))
}

if arguments[1] == "generate" {
    guard arguments.count >= 3 else { usage() }
    let records = arguments.count > 3 ? Int(arguments[3]) ?? 300_000 : 300_000
    try generate(arguments[2], records: records)
    exit(0)
}

// MARK: Measuring

let path = arguments[1]
let repetitions = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)

func seconds(_ body: () throws -> Int) rethrows -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
}

func plainRead() -> Int {
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 << 10)
    defer { buffer.deallocate() }
    var sum = 0
    while true {
        let n = read(fd, buffer, 256 << 10)
        if n <= 0 { break }
        var i = 0
        while i < n { sum &+= Int(buffer[i]); i += 8 }
    }
    return sum
}

let namespaces = ["": hotline, "geo": geo]
let touched = try [
    "@ref", "victim/name/given", "victim/name/family", "victim/age", "victim/gender", "victim/nationality",
    "victim/geo:location/@geo:country", "exploitation/@type", "recruiter/relation", "narrative",
].map { try XMLPath($0, namespaces: namespaces) }

/// XML_CHUNK=bytes overrides the reader's chunk size, to measure its effect.
let chunkSize = ProcessInfo.processInfo.environment["XML_CHUNK"].flatMap { Int($0) } ?? XMLRecordReader.defaultChunkSize
/// XML_TOUCH=0 reads the records without building any value, to separate parsing from values(_:).
let touch = ProcessInfo.processInfo.environment["XML_TOUCH"] != "0"
var records = 0
@MainActor func parse() throws -> Int {
    var reader = try XMLRecordReader(path: path, record: XMLName(namespace: hotline, local: "case"), chunkSize: chunkSize)
    var bytes = 0
    records = 0
    while let record = try reader.next() {
        records += 1
        if !touch { continue }
        for path in touched {
            for value in record.values(path) { bytes &+= value.utf8.count }
        }
    }
    return bytes
}

/// The whole ingest, file to canonical records: the same file through a partner profile (types
/// checked, codes mapped, countries normalised, unmapped paths refused), as `htdx anonymize` reads it.
struct BenchmarkCodeBook: CodeBook {
    func country(_ text: String) -> String? { ISO3166.alpha2(text) }
    func translate(_ code: String, field: String, from version: String) -> String? { code }
    func accepts(_ code: String, field: String) -> Bool? {
        guard let f = HTCDS.field(named: field), f.kind == .picklist else { return nil }
        return f.codes.contains(code)
    }
}

let profile = PartnerProfile(
    name: "benchmark-hotline",
    format: .xml(.init(record: "case", namespaces: namespaces)),
    reference: "@ref",
    fields: [
        FieldRule(canonical: "ext_IdentificationDate", source: .column("received"), kind: .date([DateFormat("iso-datetime")!])),
        FieldRule(canonical: "ext_ReportedAge", source: .column("victim/age"), kind: .integer),
        FieldRule(canonical: "prs_Gender", source: .column("victim/gender"), kind: .code,
                  valueMap: ["female": "Feminine", "male": "Masculine", "other": "NonConforming"]),
        FieldRule(canonical: "prs_Citizenship", source: .column("victim/nationality"), kind: .country),
        FieldRule(canonical: "vic_TypeOfExploitation", source: .column("exploitation/@type"), kind: .code, split: [";"],
                  valueMap: ["sexual": "SexualExploitation", "labour": "ForcedLabour", "domestic_servitude": "Servitude",
                             "forced_criminality": "Other", "begging": "ForcedBegging"]),
        FieldRule(canonical: "ext_CountryOfExploitation", source: .column("exploitation/@country"), kind: .country, split: [";"]),
        FieldRule(canonical: "vic_RelationshipToTrafficker", source: .column("recruiter/relation"), kind: .code,
                  valueMap: ["acquaintance": "Acquainted", "partner": "Acquainted", "family": "Familial", "employer": "Acquainted",
                             "stranger": "Unaquainted", "online_contact": "Unaquainted"]),
        FieldRule(canonical: "ext_DataSource", source: .constant("Hotline"), kind: .code),
    ],
    ignored: ["@status", "@source", "victim/@id", "victim/name", "victim/geo:location", "recruiter/method", "contact", "narrative"])

var rejected = 0
@MainActor func ingest() throws -> Int {
    var reader = try ProfiledXMLReader(profile: profile, path: path, codeBook: BenchmarkCodeBook())
    var bytes = 0
    rejected = 0
    while try reader.next() {
        if reader.rejection != nil { rejected += 1; continue }
        for value in reader.values { bytes &+= value.utf8.count }
    }
    return bytes
}

var bestRead = Double.infinity, bestParse = Double.infinity, bestIngest = Double.infinity
var checksum = 0
for _ in 0..<repetitions {
    bestRead = min(bestRead, seconds(plainRead).0)
    let (t, bytes) = try seconds(parse)
    bestParse = min(bestParse, t)
    checksum = bytes
    bestIngest = min(bestIngest, try seconds(ingest).0)
}
let mb = size / 1e6
print(String(format: "file: %.1f MB, %d records, best of %d", mb, records, repetitions))
print(String(format: "read(2) reference:                       %8.0f MB/s", mb / bestRead))
print(String(format: "XMLRecordReader (10 paths as Strings):   %8.0f MB/s  (%.2f s, %.0f ns/record, checksum %d)",
             mb / bestParse, bestParse, bestParse / Double(max(records, 1)) * 1e9, checksum))
print(String(format: "through a partner profile (canonical):   %8.0f MB/s  (%.2f s, %d rejected)", mb / bestIngest, bestIngest, rejected))
print(String(format: "htdx-mbps %.1f", mb / bestParse))
print(String(format: "htdx-ingest-mbps %.1f", mb / bestIngest))
