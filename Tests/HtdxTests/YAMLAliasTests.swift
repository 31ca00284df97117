import Foundation
@testable import PolicyFile
import Testing

/// Anchors and aliases are refused before composing: an alias used as a mapping key makes the
/// composer walk its whole expansion, 9ⁿ nodes for n levels of nine-fold aliases.
struct YAMLAliasTests {
    @Test(arguments: [
        ("a: &x 1\nb: *x\n", 1),
        ("a: 1\nb: *x\n", 2),
        ("list:\n  - &first {k: 1}\n  - *first\n", 2),
        ("m: [1, *x]\n", 1),
        ("m: {*x: 1}\n", 1),
        ("? *x\n: 1\n", 1),
        ("a: \"quoted\"\nb:\n  - x\n  - &y z\n", 4),
        // A lone quote in a block scalar, or opening a plain scalar's next line, hides nothing.
        ("note: |\n  \"\na: &a [x, x]\nb: {*a: 1}\n", 3),
        ("note: some text\n  'continued\na: &a [x]\n", 3),
        ("k: \"ends in a backslash \\\nb: *x\n", 2),
    ])
    func anchorsAndAliasesAreFoundAtTheirLine(text: String, line: Int) {
        #expect(YAMLFile.aliasLine(Array(text.utf8)) == line)
    }

    @Test(arguments: [
        "when: \"a = *x or b = &y\"\n",
        "when: 'it''s *x'\n",
        "note: R&D and a*b\n",
        "# a comment with *x and &y\nk: 1\n",
        "k: 1 # trailing *x\n",
        "text: |\n  * a bullet\n  & more\n",
        "url: http://example.org/*path\n",
        "glob: a*\n",
    ])
    func textThatOnlyLooksLikeAnAliasIsRead(text: String) {
        #expect(YAMLFile.aliasLine(Array(text.utf8)) == nil)
    }

    /// The shipped policies, jobs and profiles use none.
    @Test func shippedFilesHaveNone() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let paths = ["Policies", "Policies/partners", "Examples"].flatMap { folder -> [String] in
            let dir = root.appendingPathComponent(folder).path
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.map { dir + "/" + $0 }
        }
        #expect(paths.count >= 6)
        for path in paths {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(YAMLFile.aliasLine(bytes) == nil, "\(path)")
        }
    }

    /// The nested-alias key that took the composer seconds per level is refused at once.
    @Test func anAliasUsedAsAKeyIsRefusedBeforeComposing() throws {
        var text = "a: &a [\(Array(repeating: "\"lol\"", count: 9).joined(separator: ","))]\n"
        let names = Array("bcdefghij")
        var previous = "a"
        for name in names {
            text += "\(name): &\(name) [\(Array(repeating: "*\(previous)", count: 9).joined(separator: ","))]\n"
            previous = String(name)
        }
        text += "z: {*\(previous): 1}\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("htdx-alias-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: PolicyError.self) { _ = try PolicyDocument.load(path: file.path) }
        do {
            _ = try PolicyDocument.load(path: file.path)
        } catch {
            #expect(error.description.contains("anchor or alias"), "\(error.description)")
            #expect(error.description.contains(":1"), "\(error.description)")
        }
    }
}
