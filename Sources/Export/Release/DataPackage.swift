import Foundation
import Tabular

/// `datapackage.json`: the release as a Frictionless Data package (tabular-data-package), with a
/// table schema for every CSV, so that standard tools can load and validate it.
public enum DataPackage {
    public static func json(_ d: ReleaseDescription, name: String) throws -> Data {
        let resources: [[String: Any]] = d.tables.map { table in
            var dialect: [String: Any] = ["delimiter": table.delimiter, "header": true, "lineTerminator": "\n",
                                          "doubleQuote": true, "quoteChar": "\""]
            if table.extraHeaderRows > 0 {
                // Frictionless v2 names the rows; v1 readers see the HXL row as a comment row.
                dialect["headerRows"] = [1]
                dialect["commentRows"] = Array(2...(1 + table.extraHeaderRows))
            }
            // Names and codes as the file holds them, escaped form included (``CellEscaping``):
            // a validator compares them with the cells.
            let fields: [[String: Any]] = table.columns.map { c in
                var field: [String: Any] = ["name": CellEscaping.escape(c.name), "type": c.type, "description": c.meaning]
                if let values = c.values, c.type == "string", !c.isList {
                    // An empty cell is a missing value, not one of the codes.
                    field["constraints"] = ["enum": values.filter { !$0.isEmpty }.map(CellEscaping.escape)]
                }
                if c.type == "integer" { field["constraints"] = ["minimum": 0] }
                return field
            }
            return [
                "name": resourceName(table.path),
                "path": table.path,
                "title": table.title,
                "description": table.protection,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": dialect,
                "schema": ["fields": fields, "missingValues": [""]],
            ]
        }
        let package: [String: Any] = [
            "profile": "tabular-data-package",
            "name": resourceName(name),
            "title": d.title,
            "resources": resources,
        ]
        var data = try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(10)
        return data
    }

    /// Frictionless names are lower case letters, digits, `-`, `_` and `.`.
    static func resourceName(_ path: String) -> String {
        let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return String(base.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
    }
}
