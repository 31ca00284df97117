@testable import Export
import Foundation
import Pipeline
import Tabular
import TestSupport
import Testing

/// Formula injection: no CSV htdx writes holds a cell a spreadsheet would run, numbers stay as
/// they are, `verify` reads the escaped form back and refuses an unescaped one, and the codebook
/// shows every value as text.
@Suite struct FormulaInjectionTests {
    /// An independent statement of the rule: starts with = + - @ TAB CR and is not a decimal number.
    static func isUnsafe(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return false }
        return cell.range(of: #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"#, options: .regularExpression) == nil
    }

    /// Every cell of every CSV under `directory` (and `extra` files) that a spreadsheet would run.
    static func unsafeCells(in paths: [String], delimiter: (String) -> Character) throws -> [String] {
        var found: [String] = []
        for path in paths {
            for row in try readSimpleCSV(path, delimiter: delimiter(path)) {
                found += row.filter(isUnsafe).map { "\((path as NSString).lastPathComponent): \($0.debugDescription)" }
            }
        }
        return found
    }

    static func csvFiles(under directory: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: directory)
        var out: [String] = []
        while let name = e?.nextObject() as? String {
            if name.hasSuffix(".csv") { out.append(directory + "/" + name) }
        }
        return out.sorted()
    }

    // MARK: the rule

    @Test(arguments: ["-3", "+4.5", "-0.5e3", "-.5", "+7.", "-1E+10", "12", "", "plain", "'x", " =1", "#tag"])
    func numbersAndSafeTextAreNotEscaped(cell: String) {
        #expect(!CellEscaping.isDangerous(cell))
        #expect(CellEscaping.escape(cell) == cell)
        #expect(String(decoding: CSVWriter.encode(cell, delimiter: 44), as: UTF8.self) == cell)
        #expect(!Self.isUnsafe(cell))
    }

    @Test(arguments: ["-", "--", "-x", "=1+1", "@SUM(A1)", "+", "=", "\tTab", "\r=1", "-1-1", "+4.5x", "-e3", "-.", "-1e", "@"])
    func dangerousCellsGetALeadingApostrophe(cell: String) {
        #expect(CellEscaping.isDangerous(cell) && Self.isUnsafe(cell))
        #expect(CellEscaping.escape(cell) == "'" + cell)
        #expect(CellEscaping.unescape("'" + cell) == cell)
        #expect(CellEscaping.unescape(cell) == nil, "an unescaped dangerous cell has no value behind it")
    }

    @Test func aValueAlreadyStartingWithAnApostropheStaysDistinct() {
        #expect(CellEscaping.escape("'=x") == "''=x")
        #expect(CellEscaping.unescape("''=x") == "'=x")
        #expect(CellEscaping.escape("'x") == "'x" && CellEscaping.unescape("'x") == "'x")
        #expect(CellEscaping.escape("'-3") == "'-3" && CellEscaping.unescape("'-3") == "'-3")
    }

    /// Escaping is one-to-one and reading back inverts it, so classes counted from published
    /// cells are the classes of the values; and nothing it publishes is unsafe.
    @Test func escapingIsInjectiveAndReadsBack() {
        var rng = SplitMix64(seed: 11)
        let alphabet = Array("'=+-@\t\r0.5eEx ,\"")
        var published: [String: String] = [:]
        for _ in 0..<20_000 {
            let value = String((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let cell = CellEscaping.escape(value)
            #expect(!Self.isUnsafe(cell), "\(value.debugDescription) published as \(cell.debugDescription)")
            #expect(CellEscaping.unescape(cell) == value)
            if let other = published[cell] { #expect(other == value) }
            published[cell] = value
            // The writer puts the cell in the file, quoted where RFC 4180 needs it.
            let row = String(decoding: CSVWriter.encode(record: [value, "n"], delimiter: 44), as: UTF8.self)
            #expect(row == cell + ",n\n" || row == "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\",n\n")
        }
    }

    @Test func theWriterEscapesQuotesAndCountsOnEveryPath() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("t.csv")
        do {
            var w = try CSVWriter(path: path, delimiter: 44)
            try w.writeRecord(["=1+1", "-3", "\r=cmd", "a,b", "@x,y", "'=z"])
            var bytes = Array("-raw".utf8)
            try bytes.withUnsafeMutableBufferPointer { (b) throws(ExportError) in try w.write(UnsafeBufferPointer(b)) }
            try w.writeEncoded(CSVWriter.encode("+label", delimiter: 44))
            try w.writeEncoded(CSVWriter.encode("+a,\"b\"", delimiter: 44))
            try w.endRecord()
            #expect(w.escapedCells == 7)
            try w.finish()
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "'=1+1,-3,\"'\r=cmd\",\"a,b\",\"'@x,y\",''=z\n'-raw,'+label,\"'+a,\"\"b\"\"\"\n")
        #expect(try CellEscaping.escapedCells(inFile: path, delimiter: 44) == 7)
    }

    // MARK: a whole run

    /// Column names, hierarchy labels (the published raw level), text cells and aggregate labels
    /// that start with each dangerous character, with numbers beside them.
    struct Fixture {
        let scratch: Scratch
        let policy: String
        let input: String
        static let texts = ["=1+1", "+cmd", "-x", "@SUM(A1)", "\tTab", "\r=CR", "'=quoted", "-", "-3", "+4.5", "-0.5e3", "plain"]

        init() throws {
            scratch = try Scratch()
            try scratch.write("h/gender.csv", "-;*\n@F;*\n")
            try scratch.write("h/country.csv", "-UA;=Europe;*\n=MD;=Europe;*\n+PH;@Asia;*\n@VN;@Asia;*\n")
            policy = try scratch.write("policy.yaml", """
                version: 1
                attributes:
                  name: identifying
                  "=gender": {type: quasi-identifying, hierarchy: h/gender.csv}
                  "-country": {type: quasi-identifying, hierarchy: h/country.csv}
                  "@note": sensitive
                  amount: insensitive
                privacy: {k: 2, suppressionLimit: 0.5}

                """)
            var text = "name,=gender,-country,@note,amount\n"
            let genders = ["-", "@F"], countries = ["-UA", "=MD", "+PH", "@VN"]
            for i in 0..<48 {
                let note = Self.texts[i % Self.texts.count]
                text += "P\(i),\(genders[i % 2]),\(countries[(i / 2) % 4]),\"\(note)\",\(i % 3 == 0 ? "-\(i)" : "+\(i).5")\n"
            }
            text += "Short,-,-UA\n"  // a wrong field count: rejected
            input = try scratch.write("in.csv", text)
        }

        var out: String { scratch.path("out") }
        var rejects: String { scratch.path("out.rejects.csv") }

        func run() throws -> AnonymizeRun.Outcome {
            var run = AnonymizeRun(policyPath: policy, inputPath: input, outputDirectory: out, rejectsPath: rejects)
            run.combinations = .init(attributes: ["=gender", "-country", "@note"], length: 2, resolution: 1)
            run.tables = [.init(name: "gender-by-country", dimensions: ["=gender", "-country"], threshold: 2)]
            return try run.run()
        }
    }

    @Test func aRunPublishesNoUnsafeCellAndVerifies() throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        let outcome = try f.run()
        let files = Self.csvFiles(under: f.out) + [f.rejects]
        #expect(files.count == 4)
        #expect(try Self.unsafeCells(in: files, delimiter: { _ in "," }) == [])

        let rows = try readSimpleCSV(f.out + "/anonymized.csv", delimiter: ",")
        #expect(rows[0] == ["'=gender", "'-country", "'@note", "amount"])
        let published = Set(rows.dropFirst().flatMap { $0 })
        for value in Fixture.texts + ["-", "@F", "-UA", "=MD", "+PH", "@VN"] {
            let expected = ["-3", "+4.5", "-0.5e3", "plain"].contains(value) ? value : "'" + value
            #expect(published.contains(expected), "\(value.debugDescription) is not published as \(expected.debugDescription)")
        }
        // Numbers are left as they are.
        #expect(rows.dropFirst().allSatisfy { !$0[3].hasPrefix("'") })

        // The rejects file: the reason and the file's header are text; nothing unsafe.
        let rejected = try readSimpleCSV(f.rejects, delimiter: ",")
        #expect(rejected.count == 2)

        // The aggregates' labels and dimension names are escaped too, and read back by verify.
        let table = try readSimpleCSV(f.out + "/aggregates/gender-by-country.csv", delimiter: ",")
        #expect(table[0].prefix(2) == ["'=gender", "'-country"])
        let combinations = try readSimpleCSV(f.out + "/aggregates/combinations.csv", delimiter: ",")
        #expect(combinations.contains { $0[0].hasPrefix("'=gender:") })

        // Counted per file, as an independent count finds them.
        let r = outcome.report
        var counted: [String: Int] = [:]
        for path in files {
            let name = path == f.rejects ? "rejects" : String(path.dropFirst(f.out.count + 1))
            counted[name] = try readSimpleCSV(path, delimiter: ",").joined()
                .filter { $0.hasPrefix("'") && Self.isUnsafe(String($0.drop { $0 == "'" })) }.count
        }
        #expect(r.cellsEscaped == counted)
        #expect((r.cellsEscaped?["anonymized.csv"] ?? 0) > 48)

        let findings = try ReleaseVerifier.verify(directory: f.out)
        #expect(findings.records == r.records.published)

        // datapackage.json names the columns and codes as the file holds them.
        let package = try String(contentsOfFile: f.out + "/datapackage.json", encoding: .utf8)
        #expect(package.contains("\"'=gender\"") && package.contains("\"'@F\""))
    }

    /// A cell un-escaped by hand, with the manifest's checksum put right, fails verify on the
    /// escaping itself; so does a changed header.
    @Test(arguments: ["anonymized.csv", "aggregates/gender-by-country.csv", "aggregates/combinations.csv", "header"])
    func verifyRefusesAnUnescapedCell(file: String) throws {
        let f = try Fixture()
        defer { f.scratch.remove() }
        _ = try f.run()
        let name = file == "header" ? "anonymized.csv" : file
        let path = f.out + "/" + name
        var text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let target = file == "header" ? 0 : lines.indices.dropFirst().first { lines[$0].hasPrefix("'") }!
        lines[target].removeFirst()
        text = lines.joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var manifest = try Manifest.decode(Data(contentsOf: URL(fileURLWithPath: f.out + "/manifest.json")))
        try manifest.recordFiles(in: f.out)
        try manifest.jsonData().write(to: URL(fileURLWithPath: f.out + "/manifest.json"))
        do {
            _ = try ReleaseVerifier.verify(directory: f.out)
            Issue.record("verify accepted an unescaped cell in \(file)")
        } catch {
            #expect(error.description.contains("without the leading '"), "\(error)")
            #expect(error.description.contains(name), "\(error)")
        }
    }

    /// A partner's reference reaches the rejects file escaped.
    @Test func aPartnersReferenceIsEscapedInTheRejectsFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var text = try String(contentsOfFile: ProfileFixtures.sample("casemgmt.csv"), encoding: .utf8)
        text += "\"=HYPERLINK(\"\"http://x\"\")\",Zebedee Quirinus,01/02/1990,Q,UKR,POL,2020-01-01,labour,,threats,,+000 987 654 3210,note\n"
        let csv = try scratch.write("casemgmt.csv", text)
        let inputs = try [RunInput.parse("casemgmt=\(csv)", policyPath: ProfileFixtures.partnersPolicy)]
        let outcome = try AnonymizeRun(policyPath: ProfileFixtures.partnersPolicy, inputs: inputs, outputDirectory: scratch.path("out")).run()
        let rows = try readSimpleCSV(outcome.rejectsPath, delimiter: ",")
        #expect(rows.count == 2 && rows[1][3] == "'=HYPERLINK(\"http://x\")")
        #expect(try Self.unsafeCells(in: [outcome.rejectsPath] + Self.csvFiles(under: scratch.path("out")), delimiter: { _ in "," }) == [])
        #expect(outcome.report.cellsEscaped?["rejects"] == 1)
    }

    // MARK: the codebook

    @Test func markdownTextEscapesWhatWouldFormat() {
        let t = MarkdownText.text
        #expect(t("a<script>alert(1)</script>") == "a&lt;script>alert(1)&lt;/script>")
        #expect(t("x < 18 & y") == "x < 18 & y", "a < or & that cannot start markup stays readable")
        #expect(t("&amp; &#60;") == "&amp;amp; &amp;\\#60;")
        #expect(t("a|b`c*d~e#f\\g") == "a\\|b\\`c\\*d\\~e\\#f\\\\g")
        #expect(t("ext_Date _x_ y_") == "ext_Date \\_x\\_ y\\_")
        #expect(t("[a](javascript:x) [5, 10]") == "[a\\](javascript:x) [5, 10\\]")
        #expect(t("one\ntwo\r\nthree\u{2028}four\u{7}") == "one two  three four\u{FFFD}")
    }

    @Test(arguments: ["plain", "a`b", "``", "`start", "end`", " spaced ", "a|b", "x\ny", "```a``b`", "<b>", " "])
    func markdownCodeSpansShowTheirContentWhole(value: String) {
        let span = MarkdownText.code(value)
        // CommonMark: the opening run's length n; the span ends at the next run of exactly n.
        let n = span.prefix { $0 == "`" }.count
        #expect(n >= 1 && span.hasSuffix(String(repeating: "`", count: n)))
        var inner = String(span.dropFirst(n).dropLast(n))
        #expect(!inner.contains("\n"))
        let runs = inner.split(whereSeparator: { $0 != "`" }).map(\.count)
        #expect(!runs.contains(n), "a run of \(n) backticks inside \(span.debugDescription) would end it early")
        if inner.hasPrefix(" ") && inner.hasSuffix(" ") && inner.contains(where: { $0 != " " }) {
            inner = String(inner.dropFirst().dropLast())
        }
        #expect(inner == value.replacingOccurrences(of: "\n", with: " "))
        #expect(MarkdownText.code("a|b", inTable: true) == "`a\\|b`")
    }

    @Test func htmlTextEscapesTheFiveCharacters() {
        #expect(HTMLText.escape("<a href=\"x\" title='y'>&</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    }

    @Test func aCodebookOfHostileLabelsRendersNoRawHTMLAndKeepsItsTable() {
        let hostile = ["a`<script>alert(1)</script>`", "x|y", "two\nlines", "=cmd", "``", "<img src=x onerror=alert(1)>", "*bold* _it_ [l](javascript:x)"]
        let d = ReleaseDescription(
            title: "Release <script>x</script> `t`", k: 3, quasiIdentifiers: ["q`<b>", "=q"],
            tables: [.init(path: "anonymized.csv", title: "records | <i>x</i>", protection: "k = 3\n# not a heading <br>",
                           delimiter: "|",
                           columns: [
                               .init(name: "q`<b>", role: "quasi-identifying", meaning: "a <script> | meaning\nwith a break",
                                     values: hostile, derivation: ["from `x` <b>", "rule | two"]),
                               .init(name: "=q", role: "quasi-identifying", meaning: "m", values: ["-", "+4", "@x"]),
                           ])])
        let md = Codebook.markdown(d)
        // No tag can start anywhere outside a code span: every `<` before a letter or / is an entity.
        let outside = Self.outsideCodeSpans(md)
        #expect(outside.range(of: #"<[A-Za-z/!?]"#, options: .regularExpression) == nil, "raw HTML in \(outside)")
        // The table keeps its five columns and one line per column.
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| column") }
        #expect(rows.count == 2)
        for row in rows {
            // GFM splits a row at every `|` not escaped, code spans included.
            let chars = Array(row)
            let pipes = chars.indices.filter { chars[$0] == "|" && ($0 == 0 || chars[$0 - 1] != "\\") }.count
            #expect(pipes == 6, "\(row)")
        }
        #expect(!md.contains("\n# not a heading"))
        #expect(md.contains("`'=q`") && md.contains("`'-`") && md.contains("`+4`") && md.contains("`'@x`"))
    }

    /// The text of a Markdown document with its code spans removed (CommonMark's matching rule).
    static func outsideCodeSpans(_ s: String) -> String {
        let c = Array(s)
        var out = ""
        var i = 0
        while i < c.count {
            guard c[i] == "`", i == 0 || c[i - 1] != "\\" else { out.append(c[i]); i += 1; continue }
            var n = 0
            while i + n < c.count, c[i + n] == "`" { n += 1 }
            var j = i + n, close: Int?
            while j < c.count {
                if c[j] == "`" {
                    var m = 0
                    while j + m < c.count, c[j + m] == "`" { m += 1 }
                    if m == n { close = j; break }
                    j += m
                } else { j += 1 }
            }
            guard let close else { out += String(repeating: "`", count: n); i += n; continue }
            out += " "
            i = close + n
        }
        return out
    }
}
