import Yams

/// Where in a profile file a field's settings are, for messages that point the data officer at
/// the line to change. Read again only when a message needs it, never per record.
public enum ProfileLines {
    /// The line of `fields.FIELD.format` in the profile at `path`, or of `fields.FIELD` when it has
    /// no format of its own; nil when the file cannot be read again.
    public static func formatLine(path: String, field: String) -> Int? {
        guard let (root, _) = try? YAMLFile.compose(path: path, what: "profile"),
              let fieldNode = root["fields"]?[field] else { return nil }
        return (fieldNode["format"] ?? fieldNode).mark?.line
    }
}
