/// A JSON string literal for `text` (RFC 8259): quotes, backslash and control characters escaped,
/// everything else written as UTF-8. U+2028 and U+2029 are escaped too, so a line can be pasted
/// into JavaScript.
enum JSONString {
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// `{"k": "v", ...}` with the keys in the order given; a nil value is `null`.
    static func object(_ fields: [(String, String?)]) -> String {
        "{" + fields.map { "\(quoted($0.0)): \($0.1.map(quoted) ?? "null")" }.joined(separator: ", ") + "}"
    }
}
