// Generates htdx's tables of the Human Trafficking Case Data Standard (HTCDS) and of ISO 3166-1.
//
// Run from the repository root (a plain Swift script: no package, no Python):
//
//     swift Tools/htcds/generate.swift ../shared/reference/htcds Sources/Recode/HTCDS \
//         [/usr/share/iso-codes/json/iso_3166-1.json] [--policies Policies/htcds]
//
//   1. the reference directory, holding field-standards-0.2.csv, -1.0.csv and -2.0.csv (IOM's HTCDS
//      field standards, exported from the standard's spreadsheets);
//   2. the directory the Swift tables are written to;
//   3. optionally, ISO 3166-1 as JSON from Debian's iso-codes package (`apt-get install iso-codes`),
//      by default /usr/share/iso-codes/json/iso_3166-1.json;
//   --policies: where the reviewable CSV tables go, by default Policies/htcds.
//
// It writes, byte for byte the same for the same inputs (no dates, no machine paths):
//   <swift dir>/HTCDSCatalogue+Generated.swift  every HTCDS 2.0 field, and the 0.2/1.0 → 2.0 tables
//   <swift dir>/ISO3166+Generated.swift         ISO 3166-1 alpha-2, alpha-3, numeric and English name
//   <policies>/translations-0.2-to-2.0.csv       field,old_code,new_code,basis for each old code
//   <policies>/translations-1.0-to-2.0.csv
//   <policies>/fields-0.2-to-2.0.csv             old_field,new_field,basis,note for each old field
//   <policies>/fields-1.0-to-2.0.csv
//
// The script fails closed: a header it does not expect, a field type it does not know, a picklist
// whose codes and labels do not pair up, or an old code that neither keeps its code or label in 2.0
// nor appears in the hand-reviewed tables below stops it with a message naming the file, the line
// and the fix. The hand-reviewed tables are the only judgement in the output; everything else is
// read from the standard.
//
// The HTCDS is by IOM and licensed under CC BY 4.0; the generated files carry that attribution.

import Foundation

// MARK: - Hand-reviewed tables
//
// Read from the three standards side by side (see Policies/htcds/README.md). Each entry says why.
// The generator checks that every old field and code named here exists, and every new one too, so a
// table that no longer matches the standard stops the run instead of going quietly stale.

/// An old field that 2.0 kept under another name.
let fieldRenames: [(version: String, old: String, new: String, why: String)] = [
    ("0.2", "prs_Nationality", "prs_Citizenship",
     "both hold ISO 3166 codes of the person's nationality; renamed (and made multi-select) in 1.0"),
]

/// Old fields that 2.0 dropped without a successor; any old field neither kept nor listed here or in
/// `fieldRenames` stops the generator.
let fieldsWithoutEquivalent: [(version: String, old: String, why: String)] = [
    ("1.0", "con_PurposeOfInterview", "2.0 folds the consent questions into the guidance of the one con_Consent checkbox"),
    ("1.0", "con_UseOfData", "2.0 folds the consent questions into the guidance of the one con_Consent checkbox"),
    ("1.0", "con_DataForResearch", "2.0 folds the consent questions into the guidance of the one con_Consent checkbox"),
    ("1.0", "con_RightToBeForgotten", "2.0 folds the consent questions into the guidance of the one con_Consent checkbox"),
]

/// Old codes that 2.0 renamed: neither the code nor the label survived, but the meaning did.
let manualEquivalents: [(version: String, field: String, old: String, new: String, why: String)] = [
    ("0.2", "prs_Gender", "Male", "Masculine",
     "0.2 and 2.0 define the field in the same words (expression or condition of being male, female, "
        + "both or neither); 0.2 already kept transgender and non-conforming apart"),
    ("0.2", "prs_Gender", "Female", "Feminine", "as Male → Masculine"),
    ("0.2", "prs_Gender", "Unknown", "NonSpecifiedUnknown", "2.0 labels it 'Not Specified/Unknown'"),
    ("0.2", "vic_MethodOfRecruitment", "EducationalFacility", "AtAnEducationalInstitution",
     "same place, reworded as 'At an educational institution'"),
    ("0.2", "vic_MethodOfRecruitment", "Work", "AtWork", "same place, reworded as 'At work'"),
]

/// Old codes reviewed and found to have no 2.0 equivalent. Mapping them to `Other` would be a
/// policy decision about the data, not a translation, so it is left to the caller.
let codesWithoutEquivalent: [(version: String, field: String, old: String, why: String)] = [
    ("0.2", "prs_Gender", "Transgender/NonConforming",
     "2.0 splits it into TransgenderFeminine, TransgenderMasculine and NonConforming; picking one invents a fact"),
    ("0.2", "vic_MethodOfRecruitment", "InternetSocialMediaOnlineAdvertisement",
     "2.0 splits it into ThroughOnlineSocialNetworks and ThroughAnOnlineAdvertisement"),
    ("0.2", "vic_MethodOfRecruitment", "PublicArea", "2.0 has no code for a public place"),
    ("0.2", "vic_MethodOfRecruitment", "Shelter", "2.0 has no code for a shelter"),
    ("0.2", "vic_MethodOfRecruitment", "Unknown", "2.0 has no unknown code (Other means known but unlisted)"),
    ("0.2", "vic_TypeOfExploitation", "ForcedMilitaryService",
     "2.0's ForcedMilitaryByNonStateActors is narrower: a 0.2 record does not say who the actor was"),
    ("0.2", "vic_TypeOfExploitation", "IllicitActivities", "2.0 has no code for forced criminal activity"),
    ("0.2", "vic_TypeOfExploitation", "IllegalAdoption",
     "2.0's ForcedAdoption is a different practice from an illegal adoption"),
]

/// The field-standard rows that are not fields: every version has a row `per_` `Organisation`
/// with no full name, label or type, a stub left in the spreadsheet. Any other such row stops the run.
let knownStubRows: Set<String> = ["per_Organisation"]

/// Kinds the Field Type column cannot tell: every one of these is typed `Text`.
let kindOverrides: [String: (kind: String, why: String)] = [
    "prs_Email": ("email", "typed Text in the standard; the field holds an e-mail address"),
]

// MARK: - Errors

struct GenerateError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("generate.swift: \(message)\n".utf8))
    exit(1)
}

// MARK: - RFC 4180

/// One record and the line it starts on.
struct Record {
    var line: Int
    var fields: [String]
}

/// Parses RFC 4180 text: quoted fields may hold commas, doubled quotes and line breaks; records end in
/// LF or CRLF (the standards mix them: CRLF between records, LF inside quoted cells). A quote that is
/// never closed, or text after a closing quote, is an error naming the line.
func parseCSV(_ bytes: [UInt8], file: String) throws -> [Record] {
    var records: [Record] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var i = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    var line = 1
    var recordLine = 1
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 13, lf: UInt8 = 10

    func text(_ b: [UInt8]) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else {
            throw GenerateError("\(file):\(line): not valid UTF-8; re-save the file as UTF-8")
        }
        return s
    }

    while i < bytes.count {
        // At the start of a field.
        if bytes[i] == quote {
            let openedOn = line
            i += 1
            while true {
                guard i < bytes.count else {
                    throw GenerateError("\(file):\(openedOn): a quote opened here is never closed")
                }
                if bytes[i] == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                    i += 1
                    break
                }
                if bytes[i] == lf { line += 1 }
                field.append(bytes[i])
                i += 1
            }
            if i < bytes.count && bytes[i] != comma && bytes[i] != cr && bytes[i] != lf {
                throw GenerateError("\(file):\(line): text after a closing quote; double the quotes inside the field")
            }
        } else {
            while i < bytes.count && bytes[i] != comma && bytes[i] != cr && bytes[i] != lf {
                field.append(bytes[i])
                i += 1
            }
        }
        fields.append(try text(field))
        field = []
        if i == bytes.count { break }
        if bytes[i] == comma { i += 1; continue }
        // End of record: LF or CRLF.
        if bytes[i] == cr {
            guard i + 1 < bytes.count, bytes[i + 1] == lf else {
                throw GenerateError("\(file):\(line): a CR without LF ends the line; re-save with LF or CRLF line ends")
            }
            i += 1
        }
        i += 1
        records.append(Record(line: recordLine, fields: fields))
        fields = []
        line += 1
        recordLine = line
    }
    if !fields.isEmpty { records.append(Record(line: recordLine, fields: fields)) }
    return records
}

// MARK: - SHA-256 (FIPS 180-4), so the generated headers can name their sources exactly

func sha256(_ message: [UInt8]) -> String {
    let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    var data = message
    let bits = UInt64(message.count) &* 8
    data.append(0x80)
    while data.count % 64 != 56 { data.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: data.count, by: 64) {
        for t in 0..<16 {
            w[t] = UInt32(data[chunk + 4 * t]) << 24 | UInt32(data[chunk + 4 * t + 1]) << 16
                | UInt32(data[chunk + 4 * t + 2]) << 8 | UInt32(data[chunk + 4 * t + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        for t in 0..<64 {
            let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
    }
    return h.map { word in
        let s = String(word, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }.joined()
}

// MARK: - The field standards

/// One field of one version of the standard, as the generator understands it.
struct Field {
    var name: String
    var section: String
    var label: String
    var kind: String          // a case of HTCDSField.Kind
    var isMultiSelect: Bool
    var isCore: Bool
    var isDeprecated: Bool
    var lookupTarget: String?
    var codes: [String]
    var labels: [String]
    var line: Int
}

struct Standard {
    var version: String
    var file: String
    var sha256: String
    var fields: [Field]
    var byName: [String: Field]
}

let expectedHeader = [
    "Section", "Status", "Core", "Field Name Prefix", "Field Name", "Field Label", "Field Name including Prefix",
    "Field Type", "Salesforce Standard or Custom", "Value Names (if picklist)", "Value Labels (if picklist)",
    "Description", "Notes",
]

/// Trims whitespace, including the no-break spaces the 1.0 and 2.0 spreadsheets leave after labels.
func trimmed(_ s: Substring) -> String {
    String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
}
func trimmed(_ s: String) -> String { trimmed(s[...]) }

/// One line per code: the spreadsheets hold a picklist's codes as lines of one cell. Blank lines
/// (the trailing line break after spl_Type's last code) are dropped.
func lines(_ cell: String) -> [String] {
    cell.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        .map(trimmed).filter { !$0.isEmpty }
}

/// Collapses runs of whitespace, so the section "Person -\nVictim Context" reads as one line.
func oneLine(_ s: String) -> String {
    s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

func loadStandard(version: String, directory: String) throws -> Standard {
    let file = "field-standards-\(version).csv"
    let path = (directory as NSString).appendingPathComponent(file)
    guard let data = FileManager.default.contents(atPath: path) else {
        throw GenerateError("\(path): cannot read the file; pass the directory holding \(file) as the first argument")
    }
    let bytes = [UInt8](data)
    let records = try parseCSV(bytes, file: file)
    guard let header = records.first?.fields, header == expectedHeader else {
        throw GenerateError("\(file):1: the header is not the 13 columns of the HTCDS field standards "
            + "(\(expectedHeader.joined(separator: ", "))); check that this is the right export")
    }
    var section = ""
    var fields: [Field] = []
    var byName: [String: Field] = [:]
    for record in records.dropFirst() {
        var cells = record.fields
        let at = "\(file):\(record.line)"
        if cells.allSatisfy({ trimmed($0).isEmpty }) { continue }  // 0.2 leaves blank lines between sections
        if !trimmed(cells[0]).isEmpty {
            section = oneLine(cells[0])
            continue
        }
        while cells.count < expectedHeader.count { cells.append("") }
        if cells.count > expectedHeader.count {
            throw GenerateError("\(at): \(cells.count) columns, more than the header's \(expectedHeader.count)")
        }
        let status = trimmed(cells[1])
        let fullName = trimmed(cells[6])
        if status == "N/A" {
            // 2.0's Assessment and Planning sections hold example questions, marked N/A throughout.
            guard fullName == "N/A" || fullName.isEmpty else {
                throw GenerateError("\(at): status N/A on a row naming field \(fullName); fix the row or teach the generator")
            }
            continue
        }
        guard !fullName.isEmpty else {
            let stub = trimmed(cells[3]) + trimmed(cells[4])
            if knownStubRows.contains(stub) { continue }
            throw GenerateError("\(at): a field row without a full name (\(stub)); "
                + "complete the row or add it to knownStubRows after checking it is not a field")
        }
        guard fullName == trimmed(cells[3]) + trimmed(cells[4]) else {
            throw GenerateError("\(at): full name \(fullName) is not prefix + name (\(cells[3]) + \(cells[4]))")
        }
        guard status == "DRAFT" || status == "DEPRECATED" else {
            throw GenerateError("\(at): status '\(status)' of \(fullName) is neither DRAFT nor DEPRECATED")
        }
        let type = oneLine(cells[7])
        let names = lines(cells[9])
        let labels = lines(cells[10])
        let valueText = cells[9] + " " + cells[10]
        let standardCoded: String? =
            valueText.contains("ISO 3166") ? "country" : valueText.contains("ISO 639") ? "language" : nil

        var kind: String
        var multi = false
        var lookupTarget: String?
        switch type {
        case "Text": kind = cells[12].contains("E.164") ? "phone" : "text"
        case "Long Text": kind = "longText"
        case "Date": kind = "date"
        case "Number": kind = "number"
        case "Checkbox": kind = "boolean"
        case "Geolocation": kind = "geolocation"
        case "Picklist", "Picklist or Text": kind = "picklist"
        case "Multiselect Picklist": kind = "picklist"; multi = true
        default:
            if type.hasPrefix("Lookup [to "), type.hasSuffix("]") {
                kind = "lookup"
                lookupTarget = String(type.dropFirst("Lookup [to ".count).dropLast())
            } else {
                throw GenerateError("\(at): field type '\(type)' of \(fullName) is unknown; "
                    + "add it to the switch in generate.swift and to HTCDSField.Kind")
            }
        }
        var codes: [String] = []
        var codeLabels: [String] = []
        if let standardCoded {
            // "Use ISO 3166 country codes standard" is an instruction, not a code.
            kind = standardCoded
        } else if kind == "picklist" && type == "Picklist or Text" && names.isEmpty {
            kind = "text"  // org_ShippingState: a picklist only where a deployment defines one
        } else if kind == "picklist" {
            guard !names.isEmpty, names.count == labels.count else {
                throw GenerateError("\(at): picklist \(fullName) has \(names.count) value names and "
                    + "\(labels.count) value labels; they must pair up one per line")
            }
            guard Set(names).count == names.count else {
                throw GenerateError("\(at): picklist \(fullName) lists a value name twice")
            }
            codes = names
            codeLabels = labels
        } else if !names.isEmpty {
            throw GenerateError("\(at): \(fullName) is typed '\(type)' but lists value names; fix the type")
        }
        if let override = kindOverrides[fullName] {
            guard kind == "text" else {
                throw GenerateError("\(at): kindOverrides re-types \(fullName), which the standard types as \(kind); remove the override")
            }
            kind = override.kind
        }
        let field = Field(
            name: fullName, section: section, label: oneLine(trimmed(cells[5])), kind: kind, isMultiSelect: multi,
            isCore: trimmed(cells[2]) == "Core", isDeprecated: status == "DEPRECATED", lookupTarget: lookupTarget,
            codes: codes, labels: codeLabels, line: record.line)
        if let earlier = byName[fullName] {
            throw GenerateError("\(at): field \(fullName) is defined again (first on line \(earlier.line))")
        }
        byName[fullName] = field
        fields.append(field)
    }
    return Standard(version: version, file: file, sha256: sha256(bytes), fields: fields, byName: byName)
}

// MARK: - Translations

struct FieldMapping {
    var old: Field
    var new: String?     // the 2.0 field name
    var basis: String    // same-name | manual | none
    var note: String
}

struct CodeMapping {
    var field: String    // the old version's field name
    var old: String
    var new: String?
    var basis: String    // same-code | same-label | manual | none
}

/// A label compared case- and whitespace-insensitively.
func labelKey(_ label: String) -> String {
    String(label.lowercased().filter { !$0.isWhitespace })
}

func translate(from old: Standard, to new: Standard) throws -> (fields: [FieldMapping], codes: [CodeMapping]) {
    let v = old.version
    let renames = Dictionary(uniqueKeysWithValues: fieldRenames.filter { $0.version == v }.map { ($0.old, $0) })
    let dropped = Dictionary(uniqueKeysWithValues: fieldsWithoutEquivalent.filter { $0.version == v }.map { ($0.old, $0) })
    let manual = Dictionary(uniqueKeysWithValues: manualEquivalents.filter { $0.version == v }.map { ("\($0.field)\u{0}\($0.old)", $0) })
    let reviewed = Dictionary(uniqueKeysWithValues: codesWithoutEquivalent.filter { $0.version == v }.map { ("\($0.field)\u{0}\($0.old)", $0) })
    var usedManual = Set<String>(), usedReviewed = Set<String>()

    // Every hand-written entry must name a real old field, and a rename a real new one.
    for r in renames.values {
        guard old.byName[r.old] != nil else { throw GenerateError("fieldRenames: \(v) has no field \(r.old); remove or fix the entry") }
        guard new.byName[r.new] != nil else { throw GenerateError("fieldRenames: 2.0 has no field \(r.new); remove or fix the entry") }
        guard new.byName[r.old] == nil else { throw GenerateError("fieldRenames: \(r.old) still exists in 2.0; remove the rename") }
    }
    for d in dropped.values {
        guard old.byName[d.old] != nil else { throw GenerateError("fieldsWithoutEquivalent: \(v) has no field \(d.old); remove the entry") }
        guard new.byName[d.old] == nil else { throw GenerateError("fieldsWithoutEquivalent: \(d.old) exists in 2.0; remove the entry") }
    }

    var fieldMappings: [FieldMapping] = []
    var codeMappings: [CodeMapping] = []
    for field in old.fields {
        let target: Field?
        var basis: String
        var notes: [String] = []
        if let same = new.byName[field.name] {
            target = same; basis = "same-name"
        } else if let rename = renames[field.name] {
            target = new.byName[rename.new]; basis = "manual"; notes.append(rename.why)
        } else if let drop = dropped[field.name] {
            target = nil; basis = "none"; notes.append(drop.why)
        } else {
            throw GenerateError("\(old.file):\(field.line): field \(field.name) is not in 2.0; add it to fieldRenames "
                + "or fieldsWithoutEquivalent in Tools/htcds/generate.swift after reading both standards")
        }
        if let target {
            if field.kind != target.kind {
                throw GenerateError("\(old.file):\(field.line): \(field.name) is \(field.kind) in \(v) but \(target.name) is "
                    + "\(target.kind) in 2.0; the translation tables cannot carry a change of kind")
            }
            if field.isMultiSelect && !target.isMultiSelect {
                notes.append("multi-select in \(v), single-select in 2.0: a record holding more than one value has no 2.0 equivalent")
            } else if !field.isMultiSelect && target.isMultiSelect {
                notes.append("single-select in \(v), multi-select in 2.0")
            }
            if target.isDeprecated && !field.isDeprecated { notes.append("deprecated in 2.0") }
        }
        fieldMappings.append(FieldMapping(old: field, new: target?.name, basis: basis, note: notes.joined(separator: "; ")))

        for (index, code) in field.codes.enumerated() {
            let key = "\(field.name)\u{0}\(code)"
            guard let target else {
                codeMappings.append(CodeMapping(field: field.name, old: code, new: nil, basis: "none"))
                continue
            }
            if target.codes.contains(code) {
                codeMappings.append(CodeMapping(field: field.name, old: code, new: code, basis: "same-code"))
                continue
            }
            let wanted = labelKey(field.labels[index])
            let sameLabel = target.codes.indices.filter { labelKey(target.labels[$0]) == wanted }
            if sameLabel.count == 1 {
                codeMappings.append(CodeMapping(field: field.name, old: code, new: target.codes[sameLabel[0]], basis: "same-label"))
            } else if let m = manual[key] {
                guard target.codes.contains(m.new) else {
                    throw GenerateError("manualEquivalents: 2.0 \(target.name) has no code \(m.new); fix the entry")
                }
                usedManual.insert(key)
                codeMappings.append(CodeMapping(field: field.name, old: code, new: m.new, basis: "manual"))
            } else if reviewed[key] != nil {
                usedReviewed.insert(key)
                codeMappings.append(CodeMapping(field: field.name, old: code, new: nil, basis: "none"))
            } else {
                throw GenerateError("\(old.file):\(field.line): \(v) code \(code) of \(field.name) keeps neither its code nor "
                    + "its label in 2.0; add it to manualEquivalents or codesWithoutEquivalent in Tools/htcds/generate.swift")
            }
        }
    }
    for key in Set(manual.keys).subtracting(usedManual).sorted() {
        throw GenerateError("manualEquivalents: \(v) \(key.replacingOccurrences(of: "\u{0}", with: " code ")) is not an "
            + "old code that needs one (it is unknown, or keeps its code or label); remove the entry")
    }
    for key in Set(reviewed.keys).subtracting(usedReviewed).sorted() {
        throw GenerateError("codesWithoutEquivalent: \(v) \(key.replacingOccurrences(of: "\u{0}", with: " code ")) is not an "
            + "old code without a 2.0 code or label; remove the entry")
    }
    return (fieldMappings, codeMappings)
}

// MARK: - ISO 3166-1

struct Country {
    var alpha2: String, alpha3: String, numeric: String?, name: String, isISOAssigned: Bool
}

/// Kosovo has no ISO 3166-1 code. XK and XKX are the user-assigned codes the European Commission,
/// UNHCR, IOM's DTM and most humanitarian data use for it; it has no numeric code.
let kosovo = Country(alpha2: "XK", alpha3: "XKX", numeric: nil, name: "Kosovo", isISOAssigned: false)

func loadCountries(path: String) throws -> (countries: [Country], sha256: String) {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw GenerateError("\(path): cannot read ISO 3166-1; run `apt-get install iso-codes` or pass the JSON's path as the third argument")
    }
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let entries = root["3166-1"] as? [[String: Any]] else {
        throw GenerateError("\(path): not iso-codes' iso_3166-1.json (no \"3166-1\" list of objects)")
    }
    func isCode(_ s: String, _ count: Int, _ allowed: ClosedRange<UInt8>) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { allowed.contains($0) }
    }
    var countries: [Country] = []
    for entry in entries {
        guard let a2 = entry["alpha_2"] as? String, let a3 = entry["alpha_3"] as? String,
              let numeric = entry["numeric"] as? String, let name = entry["name"] as? String,
              isCode(a2, 2, UInt8(ascii: "A")...UInt8(ascii: "Z")), isCode(a3, 3, UInt8(ascii: "A")...UInt8(ascii: "Z")),
              isCode(numeric, 3, UInt8(ascii: "0")...UInt8(ascii: "9")) else {
            throw GenerateError("\(path): an entry without a well-formed alpha_2, alpha_3, numeric and name: \(entry)")
        }
        countries.append(Country(alpha2: a2, alpha3: a3, numeric: numeric, name: name, isISOAssigned: true))
    }
    guard countries.count >= 240 else { throw GenerateError("\(path): only \(countries.count) countries; expected about 249") }
    if countries.contains(where: { $0.alpha2 == kosovo.alpha2 || $0.alpha3 == kosovo.alpha3 }) {
        throw GenerateError("\(path): now assigns XK or XKX; drop the Kosovo addition from generate.swift")
    }
    countries.append(kosovo)
    for (label, key) in [("alpha-2", \Country.alpha2), ("alpha-3", \Country.alpha3)] {
        var seen = Set<String>()
        for c in countries where !seen.insert(c[keyPath: key]).inserted {
            throw GenerateError("\(path): \(label) code \(c[keyPath: key]) appears twice")
        }
    }
    countries.sort { $0.alpha2 < $1.alpha2 }
    return (countries, sha256([UInt8](data)))
}

/// The installed iso-codes version, read from dpkg's status file, for the header; nil when the JSON
/// is not the system's or dpkg is absent.
func isoCodesVersion(path: String) -> String? {
    guard path.hasPrefix("/usr/share/iso-codes/"),
          let status = try? String(contentsOfFile: "/var/lib/dpkg/status", encoding: .utf8) else { return nil }
    for paragraph in status.components(separatedBy: "\n\n") where paragraph.hasPrefix("Package: iso-codes\n") {
        for line in paragraph.split(separator: "\n") where line.hasPrefix("Version: ") {
            return String(line.dropFirst("Version: ".count))
        }
    }
    return nil
}

// MARK: - Output

/// A Swift string literal. Non-ASCII text (’ in labels, Å in country names) is kept as UTF-8.
func literal(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func literal(_ s: String?) -> String { s.map { literal($0) } ?? "nil" }

func literal(_ list: [String]) -> String { "[" + list.map { literal($0) }.joined(separator: ", ") + "]" }

/// An RFC 4180 field: quoted only when it must be.
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

func csv(_ rows: [[String]]) -> String {
    rows.map { $0.map(csvField).joined(separator: ",") + "\n" }.joined()
}

let attribution = """
    // Human Trafficking Case Data Standard (HTCDS) by IOM, licensed under CC BY 4.0
    // (http://creativecommons.org/licenses/by/4.0/). Field names, labels and codes are IOM's; the
    // version translations are htdx's, and IOM does not endorse htdx.
    """

func write(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw GenerateError("\(path): cannot write: \(error.localizedDescription); check that the directory exists")
    }
}

func catalogueSwift(_ standards: [Standard], _ v2: Standard, _ translations: [(Standard, [FieldMapping], [CodeMapping])]) -> String {
    var s = """
        // GENERATED by Tools/htcds/generate.swift. Do not edit: change the generator or its inputs and run,
        // from the repository root,
        //     swift Tools/htcds/generate.swift ../shared/reference/htcds Sources/Recode/HTCDS
        //
        // Sources (SHA-256):

        """
    for standard in standards { s += "//     \(standard.file)  \(standard.sha256)\n" }
    s += "//\n\(attribution)\n\nextension HTCDS {\n"
    s += "    /// Every field of HTCDS 2.0, in the standard's order.\n"
    s += "    static let generatedFields: [HTCDSField] = [\n"
    for f in v2.fields {
        s += "        HTCDSField(\n"
        s += "            name: \(literal(f.name)), section: \(literal(f.section)), label: \(literal(f.label)),\n"
        s += "            kind: .\(f.kind), isMultiSelect: \(f.isMultiSelect), isCore: \(f.isCore), isDeprecated: \(f.isDeprecated),\n"
        s += "            lookupTarget: \(literal(f.lookupTarget)),\n"
        s += "            codes: \(literal(f.codes)),\n"
        s += "            labels: \(literal(f.labels))),\n"
    }
    s += "    ]\n"
    for (old, fields, codes) in translations {
        let id = old.version.replacingOccurrences(of: ".", with: "_")
        s += "\n    /// Every field of HTCDS \(old.version) and the 2.0 field it became.\n"
        s += "    static let generatedFieldMappings\(id): [HTCDSFieldMapping] = [\n"
        for m in fields {
            s += "        HTCDSFieldMapping(version: .v\(id), name: \(literal(m.old.name)), kind: .\(m.old.kind), "
                + "isMultiSelect: \(m.old.isMultiSelect), v2Name: \(literal(m.new)), basis: .\(basisCase(m.basis))),\n"
        }
        s += "    ]\n"
        s += "\n    /// Every picklist code of HTCDS \(old.version) and the 2.0 code it became.\n"
        s += "    static let generatedCodeMappings\(id): [HTCDSCodeMapping] = [\n"
        for m in codes {
            s += "        HTCDSCodeMapping(version: .v\(id), field: \(literal(m.field)), code: \(literal(m.old)), "
                + "v2Code: \(literal(m.new)), basis: .\(basisCase(m.basis))),\n"
        }
        s += "    ]\n"
    }
    s += "}\n"
    return s
}

/// The Swift case of a basis as the CSV spells it.
func basisCase(_ basis: String) -> String {
    switch basis {
    case "same-name": return "sameName"
    case "same-code": return "sameCode"
    case "same-label": return "sameLabel"
    case "none": return "noEquivalent"
    default: return basis
    }
}

func isoSwift(_ countries: [Country], path: String, sha: String, version: String?) -> String {
    var s = """
        // GENERATED by Tools/htcds/generate.swift. Do not edit: change the generator or its inputs and run,
        // from the repository root,
        //     swift Tools/htcds/generate.swift ../shared/reference/htcds Sources/Recode/HTCDS

        """
    s += "//\n// Source (SHA-256): ISO 3166-1 from Debian's iso-codes\(version.map { " \($0)" } ?? "") package,\n"
    s += "//     iso_3166-1.json  \(sha)\n"
    s += "// plus Kosovo (XK, XKX), which ISO has not assigned but humanitarian data uses: isISOAssigned is false.\n\n"
    s += "extension ISO3166 {\n"
    s += "    /// Every ISO 3166-1 country, and Kosovo, by alpha-2 code.\n"
    s += "    static let generatedCountries: [Country] = [\n"
    for c in countries {
        s += "        Country(alpha2: \(literal(c.alpha2)), alpha3: \(literal(c.alpha3)), numeric: \(literal(c.numeric)), "
            + "name: \(literal(c.name)), isISOAssigned: \(c.isISOAssigned)),\n"
    }
    s += "    ]\n}\n"
    return s
}

// MARK: - Main

func run() throws {
    var positional: [String] = []
    var policies = "Policies/htcds"
    var args = CommandLine.arguments.dropFirst()
    while let arg = args.popFirst() {
        if arg == "--policies" {
            guard let value = args.popFirst() else { throw GenerateError("--policies needs a directory") }
            policies = value
        } else if arg.hasPrefix("-") {
            throw GenerateError("unknown option \(arg)")
        } else {
            positional.append(arg)
        }
    }
    guard positional.count == 2 || positional.count == 3 else {
        throw GenerateError("usage: swift Tools/htcds/generate.swift REFERENCE_DIR SWIFT_OUT_DIR [ISO_3166-1.json] [--policies DIR]")
    }
    let reference = positional[0], swiftOut = positional[1]
    let isoPath = positional.count == 3 ? positional[2] : "/usr/share/iso-codes/json/iso_3166-1.json"

    let standards = try ["0.2", "1.0", "2.0"].map { try loadStandard(version: $0, directory: reference) }
    let v2 = standards[2]
    var translations: [(Standard, [FieldMapping], [CodeMapping])] = []
    for old in standards.dropLast() {
        let (fields, codes) = try translate(from: old, to: v2)
        translations.append((old, fields, codes))
    }
    let (countries, isoSHA) = try loadCountries(path: isoPath)

    for dir in [swiftOut, policies] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GenerateError("\(dir): not a directory; create it, or run from the repository root")
        }
    }
    try write(catalogueSwift(standards, v2, translations), to: (swiftOut as NSString).appendingPathComponent("HTCDSCatalogue+Generated.swift"))
    try write(isoSwift(countries, path: isoPath, sha: isoSHA, version: isoCodesVersion(path: isoPath)),
              to: (swiftOut as NSString).appendingPathComponent("ISO3166+Generated.swift"))
    for (old, fields, codes) in translations {
        let codeRows = [["field", "old_code", "new_code", "basis"]] + codes.map { [$0.field, $0.old, $0.new ?? "", $0.basis] }
        try write(csv(codeRows), to: (policies as NSString).appendingPathComponent("translations-\(old.version)-to-2.0.csv"))
        let fieldRows = [["old_field", "new_field", "basis", "note"]] + fields.map { [$0.old.name, $0.new ?? "", $0.basis, $0.note] }
        try write(csv(fieldRows), to: (policies as NSString).appendingPathComponent("fields-\(old.version)-to-2.0.csv"))

        var counts: [String: Int] = [:]
        for c in codes { counts[c.basis, default: 0] += 1 }
        let summary = ["same-code", "same-label", "manual", "none"].map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        print("\(old.version) → 2.0: \(fields.count) fields, \(codes.count) codes (\(summary))")
    }
    print("2.0: \(v2.fields.count) fields; ISO 3166-1: \(countries.count) countries (Kosovo added)")
}

do {
    try run()
} catch let error as GenerateError {
    fail(error.description)
} catch {
    fail("\(error)")
}
