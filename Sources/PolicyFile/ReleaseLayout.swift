import Anonymize
import Foundation
import Ingest
import Recode
import Tabular
import Yams

/// How the published record-level file is laid out, from the policy's `release` section.
public struct ReleaseLayout: Sendable, Equatable {
    /// The published file's delimiter; the input's when nil.
    public var delimiter: UInt8?
    /// The published columns in order; the inputs' order when nil. Columns not listed are not
    /// published (and `report.json` lists them as dropped).
    public var columns: [String]?
    /// CTDC's leading column: its header is this sentence and its cells are empty.
    public var termsOfUse: String?
    /// Write an HXL hashtag row under the header, from each attribute's `hxl` tag.
    public var hxl = false
    /// The release's title, for the codebook and the data package.
    public var title: String?

    public init() {}
}

/// The `derive` and `release` sections of a policy.
struct ReleaseSectionsParser: YAMLNodeReading {
    let path: String
    let directory: String
    var allowOutside = false

    /// `derive: {layout: ctdc, crosswalks: DIR, countries: alpha2|alpha3}`: the derived columns,
    /// and the crosswalk files read for them (for the report's hashes).
    func derived(_ node: Node) throws(PolicyError) -> (columns: [DerivedColumn], files: [(path: String, bytes: [UInt8])]) {
        let fields = try mapping(node, key: "derive", allowed: ["layout", "crosswalks", "countries"])
        let layoutNode = try required(fields, "layout", in: node, key: "derive")
        let layout = try string(layoutNode, key: "derive.layout")
        guard layout == "ctdc" else {
            throw error(layoutNode, key: "derive.layout", "is \"\(SafeText.name(layout))\"; the layout this htdx knows is ctdc (CTDC's 63 columns)")
        }
        let countries: CountryForm
        switch try fields["countries"].map({ (n) throws(PolicyError) in try string(n, key: "derive.countries") }) ?? "alpha2" {
        case "alpha2": countries = .alpha2
        case "alpha3":
            var table: [String: String] = [:]
            for c in ISO3166.countries { table[c.alpha2] = c.alpha3 }
            countries = .alpha3(table)
        case let other:
            throw error(fields["countries"]!, key: "derive.countries", "is \"\(SafeText.name(other))\"; use alpha2 or alpha3")
        }
        let crosswalkNode = try required(fields, "crosswalks", in: node, key: "derive")
        let relative = try string(crosswalkNode, key: "derive.crosswalks")
        let folder = relative.hasPrefix("/") ? relative : (directory as NSString).appendingPathComponent(relative)
        var files: [(path: String, bytes: [UInt8])] = []
        func rows(_ name: String) throws(PolicyError) -> (String, [[String: String]]) {
            let file = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file) else {
                throw error(crosswalkNode, key: "derive.crosswalks", "has no \(SafeText.name(name)) in \(SafeText.path(folder)) (paths are relative to the policy file)")
            }
            if !allowOutside, let reason = PolicyFolder.outside(file, policy: path) {
                throw error(crosswalkNode, key: "derive.crosswalks", "the crosswalk \(SafeText.path(file)) \(reason); keep crosswalks in the policy's folder, "
                            + "or pass --allow-outside to read them where they are")
            }
            let data: Data
            do {
                data = try ConfigFile.read(path: file, what: "crosswalk", limit: ConfigFile.tableLimit)
            } catch {
                throw self.error(crosswalkNode, key: "derive.crosswalks", "\(SafeText.path(file)): \(error.message)")
            }
            files.append((file, [UInt8](data)))
            do {
                var reader = try CSVReader(path: file, delimiter: UInt8(ascii: ","))
                guard try reader.next() else { throw error(crosswalkNode, key: "derive.crosswalks", "\(SafeText.path(file)) is empty") }
                let header = reader.strings()
                if let repeated = header.indices.first(where: { header[..<$0].contains(header[$0]) }),
                   let first = header.firstIndex(of: header[repeated]) {
                    throw error(crosswalkNode, key: "derive.crosswalks",
                                "\(SafeText.path(file)):1: columns \(first + 1) and \(repeated + 1) of the header have the same name; column names must be unique")
                }
                var result: [[String: String]] = []
                while try reader.next() {
                    guard reader.rejectReason == nil, reader.fieldCount == header.count else {
                        throw error(crosswalkNode, key: "derive.crosswalks", "\(SafeText.path(file)):\(reader.line): expected \(header.count) fields")
                    }
                    result.append(Dictionary(uniqueKeysWithValues: zip(header, reader.strings())))
                }
                return (file, result)
            } catch let e as PolicyError {
                throw e
            } catch {
                throw self.error(crosswalkNode, key: "derive.crosswalks", "\(error)")
            }
        }
        do {
            let (g, gender) = try rows("gender.csv")
            let (d, source) = try rows("datasource.csv")
            let (m, means) = try rows("means-of-control.csv")
            let (e, exploitation) = try rows("exploitation.csv")
            let (l, labour) = try rows("labour.csv")
            let (s, sex) = try rows("sexual-exploitation.csv")
            let (r, recruiter) = try rows("recruiter-relation.csv")
            let crosswalks = CTDCLayout.Crosswalks(
                gender: try Crosswalk(name: g, rows: gender), dataSource: try Crosswalk(name: d, rows: source),
                meansOfControl: try MultiSelectCrosswalk(name: m, rows: means),
                exploitation: try MultiSelectCrosswalk(name: e, rows: exploitation),
                labour: try MultiSelectCrosswalk(name: l, rows: labour),
                sexualExploitation: try MultiSelectCrosswalk(name: s, rows: sex),
                recruiterRelation: try MultiSelectCrosswalk(name: r, rows: recruiter))
            return (try CTDCLayout.columns(crosswalks: crosswalks, countries: countries), files)
        } catch let e as PolicyError {
            throw e
        } catch {
            throw self.error(crosswalkNode, key: "derive.crosswalks", "\(error)")
        }
    }

    /// `release: {delimiter, columns, termsOfUse, hxl, title}`.
    func layout(_ node: Node, derived: [DerivedColumn]) throws(PolicyError) -> (ReleaseLayout, columnsNode: Node?) {
        let fields = try mapping(node, key: "release", allowed: ["delimiter", "columns", "termsOfUse", "hxl", "title"])
        var layout = ReleaseLayout()
        if let d = fields["delimiter"] {
            let bytes = Array(try string(d, key: "release.delimiter").utf8)
            guard bytes.count == 1, bytes[0] < 0x80, ![UInt8(ascii: "\""), 10, 13].contains(bytes[0]) else {
                throw error(d, key: "release.delimiter", "must be one ASCII character other than a quote or a line break, such as \";\"")
            }
            layout.delimiter = bytes[0]
        }
        if let c = fields["columns"] {
            if case .scalar = c {
                let word = try string(c, key: "release.columns")
                guard word == "derived", !derived.isEmpty else {
                    throw error(c, key: "release.columns", "is \"\(SafeText.name(word))\"; give a list of column names, or `derived` for the derived layout's columns in order")
                }
                layout.columns = derived.map(\.name)
            } else {
                guard case .sequence(let items) = c, !items.isEmpty else {
                    throw error(c, key: "release.columns", "must be a list of the published columns, in order")
                }
                var names: [String] = []
                for item in items {
                    let name = try string(item, key: "release.columns")
                    guard !names.contains(name) else { throw error(item, key: "release.columns", "names \(SafeText.name(name)) twice") }
                    names.append(name)
                }
                layout.columns = names
            }
        }
        if let t = fields["termsOfUse"] {
            let text = try string(t, key: "release.termsOfUse")
            guard !text.isEmpty, !text.contains("\n") else { throw error(t, key: "release.termsOfUse", "must be one line of text") }
            layout.termsOfUse = text
        }
        if let h = fields["hxl"] { layout.hxl = try boolean(h, key: "release.hxl") }
        if let t = fields["title"] { layout.title = try string(t, key: "release.title") }
        return (layout, fields["columns"])
    }
}
