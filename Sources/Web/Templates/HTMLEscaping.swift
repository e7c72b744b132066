/// Escaping for text placed in HTML element content and in quoted attribute values (either
/// quote), which is everywhere a template puts a value.
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        // Most values (names, tokens, URLs) have nothing to escape: work on bytes, and copy only
        // when needed. The five characters are ASCII, so no multi-byte sequence can contain them.
        let bytes = text.utf8
        guard bytes.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            return text
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "'"): out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
