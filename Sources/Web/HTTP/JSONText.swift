import JSON

/// The two JSON answers of `IsEmailAvailable` (jQuery unobtrusive "remote" validation): `true`,
/// or a string saying why not.
public enum JSONText {
    public static let `true` = "true"

    /// A JSON string literal, HTML-safe (see `JSONString.quoted`).
    public static func string(_ text: String) -> String {
        JSONString.quoted(text, htmlSafe: true)
    }
}
