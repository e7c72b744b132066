import FoundationEssentials

/// Base64 without `=` padding (RFC 4648 §3.2), in the standard alphabet (PHC strings) or the URL
/// alphabet (cookies, tokens). Decoding is strict: only alphabet characters, a possible length,
/// and zero bits after the last byte, so every byte string has exactly one accepted spelling.
enum UnpaddedBase64 {
    enum Alphabet {
        /// `+` and `/` (RFC 4648 §4).
        case standard
        /// `-` and `_` (RFC 4648 §5).
        case url
    }

    static func encode(_ bytes: [UInt8], alphabet: Alphabet) -> String {
        var text = Array(Data(bytes).base64EncodedString().utf8)
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        if alphabet == .url {
            for i in text.indices {
                switch text[i] {
                case UInt8(ascii: "+"): text[i] = UInt8(ascii: "-")
                case UInt8(ascii: "/"): text[i] = UInt8(ascii: "_")
                default: break
                }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// nil for a character outside the alphabet (padding included), an impossible length
    /// (4n + 1), or non-zero trailing bits.
    static func decode(_ text: String, alphabet: Alphabet) -> [UInt8]? {
        var standard = [UInt8]()
        standard.reserveCapacity(text.utf8.count + 2)
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.append(c)
            case UInt8(ascii: "+") where alphabet == .standard, UInt8(ascii: "/") where alphabet == .standard:
                standard.append(c)
            case UInt8(ascii: "-") where alphabet == .url:
                standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_") where alphabet == .url:
                standard.append(UInt8(ascii: "/"))
            default:
                return nil
            }
        }
        if standard.count % 4 == 1 { return nil }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(standard)) else { return nil }
        let bytes = [UInt8](data)
        // Foundation tolerates stray low bits in the last character; a second spelling of the same
        // bytes would let a signed value be altered without breaking its signature check.
        guard encode(bytes, alphabet: alphabet) == text else { return nil }
        return bytes
    }
}
