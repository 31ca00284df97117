// reader-throughput FILE [DELIMITER] [REPETITIONS] [--casemgmt]
//
// Times, on the same file in the same process: (1) read(2) through a 1 MiB buffer, summing the
// bytes so the loop is not optimised away (the reference), and (2) CSVReader splitting every
// record into fields and validating it as UTF-8, touching every field. Prints the best of each
// and the ratio, so the figure travels between machines. With --casemgmt, FILE is in the layout of
// Examples/partners/casemgmt.csv and is also read through that partner's profile to canonical
// records (values mapped, dates and countries normalised, codes checked).
import Foundation
import Ingest
import Recode
import Tabular

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: reader-throughput FILE [DELIMITER] [REPETITIONS]\n".utf8))
    exit(2)
}
let path = arguments[1]
let delimiter = arguments.count > 2 ? Array(arguments[2].utf8)[0] : UInt8(ascii: ",")
let repetitions = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let profiled = arguments.contains("--casemgmt")
let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)

func seconds(_ body: () throws -> Int) rethrows -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
}

func plainRead() -> Int {
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
    defer { buffer.deallocate() }
    var sum = 0
    while true {
        let n = read(fd, buffer, 1 << 20)
        if n <= 0 { break }
        var i = 0
        while i < n { sum &+= Int(buffer[i]); i += 8 }
    }
    return sum
}

func parse() throws -> Int {
    var reader = try CSVReader(path: path, delimiter: delimiter)
    var fields = 0
    var bytes = 0
    while try reader.next() {
        for f in 0..<reader.fieldCount { bytes &+= reader.field(f).count }
        fields += reader.fieldCount
    }
    return fields &+ bytes
}

/// The shipped casemgmt profile (Policies/partners/casemgmt.yaml), built here because this package
/// reads only Ingest.
struct BenchmarkCodeBook: CodeBook {
    func country(_ text: String) -> String? { ISO3166.alpha2(text) }
    func translate(_ code: String, field: String, from version: String) -> String? { code }
    func accepts(_ code: String, field: String) -> Bool? {
        guard let f = HTCDS.field(named: field), f.kind == .picklist else { return nil }
        return f.codes.contains(code)
    }
}

let casemgmt = PartnerProfile(
    name: "casemgmt", format: .csv(.init()), reference: "case_id",
    fields: [
        FieldRule(canonical: "prs_Gender", source: .column("sex"), kind: .code,
                  valueMap: ["F": "Feminine", "M": "Masculine", "X": "NonSpecifiedUnknown"]),
        FieldRule(canonical: "prs_Birthdate", source: .column("date_of_birth"), kind: .date([DateFormat("dd/MM/yyyy")!])),
        FieldRule(canonical: "prs_Citizenship", source: .column("nationality"), kind: .country),
        FieldRule(canonical: "ext_CountryOfExploitation", source: .column("country_of_exploitation"), kind: .country),
        FieldRule(canonical: "ext_IdentificationDate", source: .column("date_identified"), kind: .date([DateFormat("yyyy-MM-dd")!])),
        FieldRule(canonical: "ext_AgeAtIdentification", source: .ageInYears(birth: "prs_Birthdate", at: "ext_IdentificationDate"),
                  kind: .integer),
        FieldRule(canonical: "vic_TypeOfExploitation", source: .column("exploitation_types"), kind: .code, split: ";",
                  valueMap: ["sexual": "SexualExploitation", "labour": "ForcedLabour", "begging": "ForcedBegging",
                             "marriage": "ForcedMarriage", "domestic": "Servitude", "criminal": "Other", "other": "Other"]),
        FieldRule(canonical: "vic_ForcedLabourIndustry", source: .column("labour_sector"), kind: .code,
                  valueMap: ["agriculture": "A_AgricultureForestryAndFishing", "fishing": "A_AgricultureForestryAndFishing",
                             "mining": "B_MiningAndQuarrying", "manufacturing": "C_Manufacturing", "construction": "F_Construction",
                             "hospitality": "I_AccommodationAndFoodServiceActivities",
                             "domestic work": "T_ActivitiesOfHouseholdsAsEmployers"]),
        FieldRule(canonical: "vic_MethodsOfControl", source: .column("means_of_control"), kind: .code, split: " + ",
                  valueMap: ["confiscated documents": "WithholdsDocuments", "debt bondage": "DebtBondage",
                             "denied medical care": "RestrictsMedicalCare", "drugs": "PsychoactiveSubstance",
                             "excessive hours": "ExcessiveWorkingHours", "false promises": "FalsePromises",
                             "food withheld": "WithholdsNecessities", "isolation": "PsychologicalAbuse",
                             "no access to money": "RestrictsFinancialAccess", "sexual abuse": "SexualAbuse",
                             "threat of deportation": "ThreatsLawEnforcement", "threats": "PhysicalThreats",
                             "threats to family": "ThreatensChildrenFamily", "violence": "PhysicalAbuse",
                             "withheld wages": "TakesEarnings"]),
        FieldRule(canonical: "vic_RelationshipToTrafficker", source: .column("recruiter_relation"), kind: .code,
                  valueMap: ["family": "Familial", "intimate partner": "Acquainted", "friend": "Acquainted",
                             "employer": "Acquainted", "stranger": "Unaquainted"]),
        FieldRule(canonical: "ext_DataSource", source: .constant("CaseManagement"), kind: .code),
    ],
    ignored: ["full_name", "phone", "notes"])

var rejected = 0
@MainActor func ingest() throws -> Int {
    var reader = try ProfiledCSVReader(profile: casemgmt, path: path, codeBook: BenchmarkCodeBook())
    var bytes = 0
    rejected = 0
    while try reader.next() {
        if reader.rejection != nil { rejected += 1; continue }
        for value in reader.values { bytes &+= value.utf8.count }
    }
    return bytes
}

var bestRead = Double.infinity, bestParse = Double.infinity, bestIngest = Double.infinity
for _ in 0..<repetitions {
    bestRead = min(bestRead, seconds(plainRead).0)
    bestParse = min(bestParse, try seconds(parse).0)
    if profiled { bestIngest = min(bestIngest, try seconds(ingest).0) }
}
let mb = size / 1e6
print(String(format: "file: %.1f MB, best of %d", mb, repetitions))
print(String(format: "read(2) reference:            %8.0f MB/s", mb / bestRead))
print(String(format: "CSVReader (fields + UTF-8):   %8.0f MB/s  (%.2f× the reference's time)", mb / bestParse, bestParse / bestRead))
if profiled {
    print(String(format: "through the casemgmt profile (canonical): %6.0f MB/s  (%.2f× the reference's time, %d rejected)",
                 mb / bestIngest, bestIngest / bestRead, rejected))
}
