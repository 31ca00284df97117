import Foundation
import Ingest
import PolicyFile
import Tabular

/// Lints a partner profile (`htdx check PROFILE.yaml [--sample EXPORT]`), alone and against
/// sample exports: every mistake of the file, then every sample value the run would reject, each
/// at the profile line to change, all in one run.
public enum ProfileCheck {
    /// `showValues` lets the samples' values and unknown column names into the findings (see
    /// ``PolicyCheck/check(path:samples:showValues:allowOutside:)``).
    public static func check(path: String, samples: [String], showValues: Bool = false) -> [Diagnostic] {
        let inspected: (document: ProfileDocument?, problems: [PolicyError])
        switch Result(catching: { () throws(PolicyError) in try ProfileDocument.inspect(path: path) }) {
        case .failure(let e): return PolicyCheck.diagnostics(e, first: path)
        case .success(let i): inspected = i
        }
        var found = inspected.problems.map {
            Diagnostic(severity: .error, file: $0.file, line: $0.line, column: $0.column,
                       message: $0.key.isEmpty ? $0.message : "\(SafeText.path($0.key)): \($0.message)")
        }
        guard let document = inspected.document else { return found }
        for sample in samples {
            guard FileManager.default.isReadableFile(atPath: sample) else {
                found.append(Diagnostic(severity: .error, file: sample, line: 0, column: 0, message: "the sample cannot be read; check the path"))
                continue
            }
            found += ProfileSampleJudge(document: document, sample: sample, showValues: showValues).findings()
        }
        return found
    }
}

/// Everything one sample's values say about a profile: values the maps do not cover, dates that do
/// not parse, codes outside their list, countries that are not ISO codes, non-integers.
struct ProfileSampleJudge {
    let document: ProfileDocument
    let sample: String
    let showValues: Bool

    /// Formats tried on dates that do not parse, to name the one to set.
    static let commonFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "dd-MM-yyyy", "yyyy/MM/dd", "iso-datetime"]
    /// The most values a finding lists with --show-values.
    static let shownValues = 20

    func findings() -> [Diagnostic] {
        let tally: ProfileSampleTally
        switch document.profile.format {
        case .csv(let layout): tally = ProfileSampleCSV(document: document, sample: sample, showValues: showValues).tally(layout)
        case .xml(let layout): tally = ProfileSampleXML(document: document, sample: sample, showValues: showValues).tally(layout)
        }
        var found = tally.findings
        let mapper = RecordMapper(profile: document.profile, codeBook: StandardCodeBook())
        for (index, rule) in document.profile.fields.enumerated() {
            found += judge(rule, values: tally.values[index], undefined: tally.undefinedBytes[index], mapper: mapper)
        }
        return found
    }

    private func judge(_ rule: FieldRule, values: [String: ProfileSampleTally.Seen], undefined: ProfileSampleTally.Seen,
                       mapper: RecordMapper) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let place = document.places.fields[rule.canonical] ?? ProfilePlace()
        func finding(_ what: String, _ bad: [(String, ProfileSampleTally.Seen)], _ fix: String, at: ProfilePlace? = nil) {
            guard !bad.isEmpty else { return }
            let all = ProfileSampleTally.Seen.sum(bad.map(\.1))
            var message = "fields.\(SafeText.name(rule.canonical)): \(bad.count) distinct value(s) of \(SafeText.path(sample)), "
                + "in \(all.records) record(s), \(what) (first at \(SafeText.path(sample)):\(all.firstLine)); \(fix)"
            if showValues {
                let listed = bad.sorted { $0.1.firstLine < $1.1.firstLine }.prefix(Self.shownValues)
                message += ": " + listed.map { "\"\(SafeText.name($0.0))\" (line \($0.1.firstLine))" }.joined(separator: ", ")
                if bad.count > Self.shownValues { message += ", … and \(bad.count - Self.shownValues) more" }
            } else {
                message += " (--show-values lists them)"
            }
            let p = at ?? place
            found.append(Diagnostic(severity: .error, file: document.path, line: p.line, column: p.column, message: message))
        }
        if undefined.records > 0, case .csv(let layout) = document.profile.format {
            found.append(Diagnostic(severity: .error, file: document.path, line: place.line, column: place.column, message:
                "fields.\(SafeText.name(rule.canonical)): \(undefined.records) record(s) of \(SafeText.path(sample)) hold a byte that "
                + "\(layout.encoding.rawValue) does not define (first at \(SafeText.path(sample)):\(undefined.firstLine)); check csv.encoding"))
        }
        var uncovered: [(String, ProfileSampleTally.Seen)] = []
        var rejected: [(String, ProfileSampleTally.Seen)] = []
        var swapped = true
        let unusable = document.places.unusableMapKeys[rule.canonical] ?? []
        for (value, seen) in values {
            if rule.missing.count > 1 && rule.missing.contains(value) { continue }
            if unusable.contains(MapKey.fold(value)) { continue }
            let mapped = rule.valueMap.isEmpty ? nil : (rule.valueMap[value] ?? rule.foldedMap[MapKey.fold(value)])
            if !rule.valueMap.isEmpty && mapped == nil { uncovered.append((value, seen)); continue }
            guard case .failure(let rejection) = mapper.normalizeValue(value, rule) else { continue }
            // A map target outside the list was reported when the profile was read.
            if mapped != nil, case .code = rule.kind { continue }
            if mapped != nil, case .text = rule.kind { continue }
            rejected.append((value, seen))
            swapped = swapped && rejection.parsesSwapped
        }
        finding("are not covered by its map", uncovered,
                "map each to a code\(Self.codesHint(rule, standard: document.profile.standard)), or list it under missing if it means unknown")
        switch rule.kind {
        case .date(let formats):
            let patterns = formats.map(\.pattern).joined(separator: " or ")
            var fix = "give the format the export uses"
            if swapped, let other = formats.compactMap(\.swapped).first(where: { f in rejected.allSatisfy { f.parse($0.0) != nil } }) {
                fix = "they all parse with day and month swapped: set `format: \(other.pattern)`"
            } else if let other = Self.commonFormats.compactMap(DateFormat.init).first(where: { f in rejected.allSatisfy { f.parse($0.0) != nil } }) {
                fix = formats.count == 1 && rejected.count == values.count
                    ? "they all parse as \(other.pattern): set `format: \(other.pattern)`"
                    : "they all parse as \(other.pattern): list both, `format: [\(formats.map(\.pattern).joined(separator: ", ")), \(other.pattern)]`"
            }
            finding("do not parse as \(patterns)", rejected, fix, at: document.places.formats[rule.canonical])
        case .country:
            finding("are not ISO 3166 country codes", rejected, "map them to alpha-2 or alpha-3 codes under map, or list them under missing")
        case .integer:
            finding("are not whole numbers", rejected, "map them, or list them under missing if they mean unknown")
        case .code, .text:
            finding("are not codes of its list", rejected, "add a map from them to codes\(Self.codesHint(rule, standard: document.profile.standard))")
        }
        return found
    }

    /// The codes to choose from, when the list is short enough to read in a message.
    static func codesHint(_ rule: FieldRule, standard: String) -> String {
        guard let codes = ProfileCodeList.codes(of: rule.canonical, standard: standard) else { return "" }
        return codes.count <= 40 ? " (\(codes.joined(separator: ", ")))" : " (`htdx codes \(rule.canonical)` lists them)"
    }
}
