/// The two JSON answers of `IsEmailAvailable` (jQuery unobtrusive "remote" validation): `true`,
/// or a string saying why not.
public enum JSONText {
    public static let `true` = "true"

    /// A JSON string literal. Besides what JSON requires, `<`, `>`, `&`, `'` and U+2028/U+2029 are
    /// escaped too, so the text is also safe if ever placed inside HTML or a script.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "'", "\u{2028}", "\u{2029}", "\u{0}"..."\u{1F}", "\u{7F}":
                out += unicodeEscape(scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
