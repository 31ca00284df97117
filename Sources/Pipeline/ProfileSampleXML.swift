import Foundation
import Ingest
import PolicyFile
import Tabular

/// Reads an XML sample (one file, or a directory of submissions) through a profile's record and
/// paths for `htdx check`: paths the profile neither maps nor ignores, then every record's values.
struct ProfileSampleXML {
    let document: ProfileDocument
    let sample: String
    let showValues: Bool

    var profile: PartnerProfile { document.profile }

    func tally(_ layout: PartnerProfile.XMLLayout) -> ProfileSampleTally {
        var tally = ProfileSampleTally(profile: profile)
        // The profile loaded, so its record and paths parse.
        guard let record = try? XMLPath(layout.record, namespaces: layout.namespaces), record.elements.count == 1 else { return tally }
        let sources: [XMLPath?] = profile.fields.map { rule in
            if case .column(let text) = rule.source { return try? XMLPath(text, namespaces: layout.namespaces) }
            return nil
        }
        let reference = profile.reference.flatMap { try? XMLPath($0, namespaces: layout.namespaces) }
        let ignored = profile.ignored.compactMap { try? XMLPath($0, namespaces: layout.namespaces) }
        let accepted = Set(sources.compactMap { $0 }).union(reference.map { [$0] } ?? [])
        var containers: Set<XMLPath> = [XMLPath(elements: [])]
        for p in accepted.union(ignored) where !p.elements.isEmpty {
            for n in 1...p.elements.count where !(n == p.elements.count && p.attribute == nil) {
                containers.insert(XMLPath(elements: Array(p.elements.prefix(n))))
            }
        }
        var unmapped: [XMLPath: ProfileSampleTally.Seen] = [:]
        var occurs = Set<XMLPath>()
        for file in files(layout) {
            do {
                var reader = try XMLRecordReader(path: file, record: record.elements[0])
                while let r = try reader.next() {
                    tally.records += 1
                    for p in r.paths where !accepted.contains(p) && !ignored.contains(where: { $0.covers(p) }) {
                        if containers.contains(p), r.values(p).allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { continue }
                        unmapped[p, default: ProfileSampleTally.Seen(records: 0, firstLine: r.line)].records += 1
                    }
                    for (index, rule) in profile.fields.enumerated() {
                        guard let path = sources[index] else { continue }
                        let raw = r.values(path)
                        if !raw.isEmpty { occurs.insert(path) }
                        tally.add(raw, field: index, rule: rule, line: r.line)
                    }
                }
            } catch {
                tally.findings.append(Diagnostic(severity: .error, file: file, line: error.line, column: 0, message: error.description))
            }
        }
        for (path, seen) in unmapped.sorted(by: { $0.value.firstLine < $1.value.firstLine }) {
            let what = showValues ? "the path \(SafeText.name(path.description))" : "a path (not shown, in case this is not the partner's export; --show-values shows it)"
            tally.findings.append(Diagnostic(severity: .error, file: sample, line: seen.firstLine, column: 0, message:
                "\(what), in \(seen.records) record(s), is neither mapped nor ignored by \(SafeText.path(document.path)); "
                + "map it to a canonical field, or add it to ignore"))
        }
        if tally.records > 0 {
            for (index, rule) in profile.fields.enumerated() {
                guard let path = sources[index], !occurs.contains(path), case .column(let text) = rule.source else { continue }
                let place = document.places.fields[rule.canonical] ?? ProfilePlace()
                tally.findings.append(Diagnostic(severity: .warning, file: document.path, line: place.line, column: place.column, message:
                    "fields.\(SafeText.name(rule.canonical)) reads \(SafeText.name(text)), which no record of \(SafeText.path(sample)) holds; check the path"))
            }
        }
        return tally
    }

    private func files(_ layout: PartnerProfile.XMLLayout) -> [String] {
        guard layout.submissions else { return [sample] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sample)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { (sample as NSString).appendingPathComponent($0) }
    }
}
