/// JSON string literals (RFC 8259), written once for the two places that write JSON by hand: the
/// file providers' JSON-lines outboxes (Messaging) and the remote-validation answers (Web).
///
/// Quotes, backslash and control characters are escaped, and U+2028/U+2029 too, so a line can be
/// pasted into JavaScript; everything else is written as UTF-8.
public enum JSONString {
    /// `htmlSafe` also escapes `<`, `>`, `&` and `'`, so the text stays inert if ever placed inside
    /// HTML or a script; an outbox file keeps them as they are, for people reading it.
    public static func quoted(_ text: String, htmlSafe: Bool = false) -> String {
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
            case "<", ">", "&", "'":
                if htmlSafe { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            case "\u{0}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                out += unicodeEscape(scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `{"k": "v", ...}` with the keys in the order given; a nil value is `null`.
    public static func object(_ fields: [(String, String?)]) -> String {
        "{" + fields.map { "\(quoted($0.0)): \($0.1.map { quoted($0) } ?? "null")" }.joined(separator: ", ") + "}"
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = Array("0123456789abcdef")
        var out = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex[Int(value >> UInt32(shift) & 0xF)])
        }
        return out
    }
}
