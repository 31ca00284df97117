import Foundation
import Yams

/// Reads a YAML configuration file into a node tree that keeps line numbers.
enum YAMLFile {
    /// The root node and the file's bytes; `what` names the file in messages ("policy", "profile").
    static func compose(path: String, what: String) throws(PolicyError) -> (Node, Data) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(file: path, line: 0, key: "", message: "cannot read the \(what) file; check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(file: path, line: 0, key: "", message: "the \(what) file is not UTF-8 text")
        }
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw PolicyError(file: path, line: 0, key: "", message: "the \(what) file is empty")
            }
            return (composed, data)
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, text: text, path: path)
        } catch {
            throw PolicyError(file: path, line: 0, key: "", message: "not valid YAML: \(error)")
        }
    }

    static func syntaxError(_ error: YamlError, text: String, path: String) -> PolicyError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let found = DuplicateKeyLocator.locate(key: key, in: text)
            return PolicyError(file: path, line: found?.line ?? context.mark.line, key: found?.path ?? key,
                               message: "is given twice in the same mapping; give each key once")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { o in text.utf8.prefix(o).filter { $0 == 10 }.count + 1 } ?? 0
            return PolicyError(file: path, line: line, key: "", message: "cannot read the YAML text: \(problem)")
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return PolicyError(file: path, line: mark.line, column: mark.column, key: "",
                               message: "YAML syntax error: \(problem)")
        default:
            return PolicyError(file: path, line: 0, key: "", message: "YAML syntax error: \(error)")
        }
    }

}
