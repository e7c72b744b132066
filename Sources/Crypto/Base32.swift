/// Base32 with the RFC 4648 §6 alphabet (`A`–`Z`, `2`–`7`) and no padding: the text form of
/// ASP.NET Core Identity's security stamps and of authenticator keys.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int(buffer >> UInt32(bits) & 0x1f)])
            }
        }
        if bits > 0 {
            out.append(alphabet[Int(buffer << UInt32(5 - bits) & 0x1f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts upper or lower case (people type authenticator keys by hand). nil for padding,
    /// white space or other characters, an impossible length (8n + 1, 3 or 6), or non-zero bits
    /// after the last byte.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard ![1, 3, 6].contains(chars.count % 8) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for c in chars {
            let value: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = c - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = c - UInt8(ascii: "2") + 26
            default: return nil
            }
            buffer = (buffer << 5 | UInt32(value)) & 0xffff
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
