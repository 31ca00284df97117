import Foundation
import Ingest

/// Summarises an XML export: finds the record element and namespaces from the document's tags,
/// then reads every record with the project's safe reader and summarises each path below it.
enum XMLSummarizer {
    static func summarize(path: String, record: String?, submissions: Bool) throws(DraftError) -> ExportSummary {
        var files = [path]
        if submissions {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".xml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw DraftError("\(path): holds no .xml submission files", isData: true) }
        }
        let outline = try XMLOutline(path: files[0])
        var notes: [String] = []
        let naming = Naming(declared: outline.namespaces)
        if naming.invented { notes.append("the document uses a default namespace; the draft names it with the prefix p1") }

        let recordText: String
        if let record {
            recordText = record
        } else if submissions {
            guard let root = outline.root else { throw DraftError("\(files[0]): no root element found", isData: true) }
            recordText = root
            notes.append("a directory of submissions: each file's root element is one record")
        } else {
            let ranked = outline.recordCandidates.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            guard let best = ranked.first else {
                throw DraftError("\(path): no element under the root holds child elements; give the record element with --record")
            }
            recordText = best.key
            if ranked.count > 1 {
                notes.append("the record element is the most frequent of \(ranked.count) elements under the root that hold others; check it")
            }
        }
        let recordName: XMLName
        do {
            let p = try XMLPath(naming.profileText(recordText), namespaces: naming.profileNamespaces)
            guard p.elements.count == 1, p.attribute == nil else {
                throw DraftError("the record must be one element name, such as h:case")
            }
            recordName = p.elements[0]
        } catch let e as DraftError { throw e } catch {
            throw DraftError("--record: \(error)")
        }

        var columns: [ColumnSummary] = []
        var index: [XMLPath: Int] = [:]
        var records = 0
        for file in files {
            do {
                var reader = try XMLRecordReader(path: file, record: recordName)
                while let r = try reader.next() {
                    records += 1
                    var seen = Set<Int>()
                    for p in r.paths {
                        let values = r.values(p)
                        let blank = values.allSatisfy { ColumnSummary.trimmed($0).isEmpty }
                        if index[p] == nil {
                            // A container holds only the indentation between its children.
                            if blank && p.attribute == nil { continue }
                            var c = ColumnSummary(name: naming.text(p), position: columns.count)
                            c.records = records - 1
                            index[p] = columns.count
                            columns.append(c)
                        }
                        let k = index[p]!
                        seen.insert(k)
                        columns[k].add(all: values)
                    }
                    for k in columns.indices where !seen.contains(k) { columns[k].addEmpty() }
                }
            } catch {
                throw DraftError(error.description, isData: true)
            }
        }
        if records == 0 { throw DraftError("\(path): no \(recordText) element found; give the record element with --record", isData: true) }
        let shape = XMLShape(record: naming.profileText(recordText), namespaces: naming.profileNamespaces, submissions: submissions, notes: notes)
        return ExportSummary(path: path, shape: .xml(shape), records: records, columns: columns)
    }
}

/// Prefixes for a profile: the document's own, and `p1`, `p2`… for a default namespace that has none.
struct Naming {
    var profileNamespaces: [String: String] = [:]
    private var prefixOf: [String: String] = [:]
    private(set) var invented = false

    init(declared: [String: String]) {
        for (prefix, uri) in declared.sorted(by: { $0.key < $1.key }) where !prefix.isEmpty && !uri.isEmpty {
            profileNamespaces[prefix] = uri
            if prefixOf[uri] == nil { prefixOf[uri] = prefix }
        }
        if let uri = declared[""], !uri.isEmpty, prefixOf[uri] == nil {
            var n = 1
            while profileNamespaces["p\(n)"] != nil { n += 1 }
            profileNamespaces["p\(n)"] = uri
            prefixOf[uri] = "p\(n)"
            invented = true
        }
        defaultPrefix = declared[""].flatMap { prefixOf[$0] }
    }

    private var defaultPrefix: String?

    /// A name as the document writes it, in the profile's prefixes: an unprefixed name in a
    /// default namespace gets that namespace's prefix.
    func profileText(_ written: String) -> String {
        if written.contains(":") { return written }
        return defaultPrefix.map { "\($0):\(written)" } ?? written
    }

    func text(_ path: XMLPath) -> String {
        var steps = path.elements.map(name)
        if let a = path.attribute { steps.append("@" + name(a)) }
        return steps.joined(separator: "/")
    }

    private func name(_ n: XMLName) -> String {
        guard !n.namespace.isEmpty, let p = prefixOf[n.namespace] else { return n.local }
        return "\(p):\(n.local)"
    }
}
