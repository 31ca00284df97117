/// The folder part of a path, as text: "" for a bare name. Foundation's
/// `deletingLastPathComponent` traps on a one-character path (`htdx run j`), which a user may give.
func folder(of path: String) -> String {
    var text = Substring(path)
    while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
    guard let slash = text.lastIndex(of: "/") else { return "" }
    var head = text[..<slash]
    while head.hasSuffix("/") { head = head.dropLast() }
    return head.isEmpty ? "/" : String(head)
}
