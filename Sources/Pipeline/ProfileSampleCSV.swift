import Foundation
import Ingest
import PolicyFile
import Tabular

/// Reads a CSV sample through a profile's layout for `htdx check`: its header against the
/// profile's columns, then every record's values, field by field.
struct ProfileSampleCSV {
    let document: ProfileDocument
    let sample: String
    let showValues: Bool

    var profile: PartnerProfile { document.profile }

    func tally(_ given: PartnerProfile.CSVLayout) -> ProfileSampleTally {
        var layout = given
        var tally = ProfileSampleTally(profile: profile)
        do {
            try read(layout, into: &tally)
        } catch let error where error.isInvalidUTF8 && layout.encoding == .utf8 {
            // Most likely an export saved by Excel on Windows: say which key to set, then read it
            // again as Latin-1 so that the other problems are found in this same run.
            let place = document.places.csv ?? document.places.format
            let note = Diagnostic(severity: .error, file: document.path, line: place.line, column: place.column, message:
                "\(SafeText.path(sample)):\(error.line) is not valid UTF-8: the export is in a single-byte encoding; "
                + "set `encoding: latin-1` (or windows-1252, from Excel on Windows) under csv")
            layout.encoding = .latin1
            tally = ProfileSampleTally(profile: profile)
            do { try read(layout, into: &tally) } catch {
                tally.findings.append(Diagnostic(severity: .error, file: sample, line: error.line, column: 0, message: error.description))
            }
            tally.findings.insert(note, at: 0)
        } catch {
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: error.line, column: 0, message: error.description))
        }
        return tally
    }

    private func read(_ layout: PartnerProfile.CSVLayout, into tally: inout ProfileSampleTally) throws(CSVError) {
        var reader = try CSVReader(path: sample, delimiter: layout.delimiter)
        reader.source = .profile(profile.name)
        guard let names = try ProfiledCSVReader.readHeader(&reader, layout: layout) else {
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: 0, column: 0,
                                             message: "the sample ends inside its \(layout.headerRows) header row(s) (csv.headerRows)"))
            return
        }
        guard let columns = checkHeader(names, layout: layout, into: &tally) else { return }
        var malformed = ProfileSampleTally.Seen(), wrongWidth = ProfileSampleTally.Seen()
        while try reader.next() {
            tally.records += 1
            if reader.rejectReason != nil {
                if malformed.records == 0 { malformed.firstLine = reader.line }
                malformed.records += 1
                continue
            }
            guard reader.fieldCount == names.count else {
                if wrongWidth.records == 0 { wrongWidth.firstLine = reader.line }
                wrongWidth.records += 1
                continue
            }
            for (index, rule) in profile.fields.enumerated() {
                guard let c = columns[index] else { continue }
                guard let text = layout.encoding.utf8(reader.field(c)) else {
                    tally.addUndefinedByte(field: index, line: reader.line)
                    continue
                }
                tally.add([text], field: index, rule: rule, line: reader.line)
            }
        }
        if malformed.records > 0 {
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: malformed.firstLine, column: 0,
                                             message: "\(malformed.records) record(s) have malformed quoting; a run rejects them"))
        }
        if wrongWidth.records > 0 {
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: wrongWidth.firstLine, column: 0,
                                             message: "\(wrongWidth.records) record(s) do not have the header's \(names.count) fields; a run rejects them"))
        }
    }

    /// For each field, the sample column it reads (nil for a constant, a derived field, or a
    /// column the header lacks); nil when the header is not this profile's at all.
    private func checkHeader(_ names: [String], layout: PartnerProfile.CSVLayout, into tally: inout ProfileSampleTally) -> [Int?]? {
        var position: [String: Int] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty && position[name] == nil { position[name] = i }
        func column(_ text: String) -> Int? {
            if text.hasPrefix("#"), let n = Int(text.dropFirst()), (1...max(1, names.count)).contains(n), n <= names.count, names[n - 1].isEmpty { return n - 1 }
            return position[text]
        }
        let mapped = Set(profile.fields.compactMap { rule -> String? in
            if case .column(let c) = rule.source { return c } else { return nil }
        })
        let known = mapped.union(profile.ignored).union(profile.reference.map { [$0] } ?? [])
        let unknown = names.indices.filter { !known.contains(names[$0].isEmpty ? "#\($0 + 1)" : names[$0]) }
        if let hint = delimiterHint(names, layout: layout) {
            let place = document.places.csv ?? document.places.format
            tally.findings.append(Diagnostic(severity: .error, file: document.path, line: place.line, column: place.column, message: hint))
            return nil
        }
        if !showValues && !names.isEmpty && unknown.count * 2 > names.count {
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: layout.nameRow, column: 0, message:
                "\(unknown.count) of the \(names.count) columns are neither mapped nor ignored by \(SafeText.path(document.path)). "
                + "Is this the partner's export, with its header on line \(layout.nameRow)? (The header is not shown, in case it is data; --show-values shows it.)"))
            return nil
        }
        for i in unknown {
            let which = showValues && !names[i].isEmpty ? "column \(i + 1) of the header (\"\(SafeText.name(names[i]))\")"
                : names[i].isEmpty ? "column \(i + 1) (no name; #\(i + 1))" : "column \(i + 1) of the header (its name is not shown; --show-values shows it)"
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: layout.nameRow, column: i + 1, message:
                "\(which) is neither mapped nor ignored by \(SafeText.path(document.path)); map it to a canonical field, or add it to ignore"))
        }
        var columns: [Int?] = []
        for rule in profile.fields {
            guard case .column(let text) = rule.source else { columns.append(nil); continue }
            let c = column(text)
            if c == nil {
                let place = document.places.fields[rule.canonical] ?? ProfilePlace()
                tally.findings.append(Diagnostic(severity: .error, file: document.path, line: place.line, column: place.column, message:
                    "fields.\(SafeText.name(rule.canonical)) reads column \"\(SafeText.name(text))\", which the header of \(SafeText.path(sample)) does not have"))
            }
            columns.append(c)
        }
        return columns
    }

    /// When the header read as one column holds another delimiter, the profile's delimiter is wrong.
    private func delimiterHint(_ names: [String], layout: PartnerProfile.CSVLayout) -> String? {
        guard names.count == 1, let header = names.first else { return nil }
        let candidates: [(Character, String)] = [(";", ";"), (",", ","), ("\t", "\\t"), ("|", "|")]
        let counts = candidates.filter { $0.0 != Character(UnicodeScalar(layout.delimiter)) }
            .map { (c) in (c.1, header.filter { $0 == c.0 }.count) }
            .filter { $0.1 > 0 }
            .max { $0.1 < $1.1 }
        guard let (shown, n) = counts else { return nil }
        return "\(SafeText.path(sample)):\(layout.nameRow): the header reads as one column, but holds \"\(shown)\" \(n) time(s): "
            + "set `delimiter: \"\(shown)\"` under csv"
    }
}

extension CSVError {
    var isInvalidUTF8: Bool {
        if case .invalidUTF8 = problem { return true }
        return false
    }
}
