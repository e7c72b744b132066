/// Reads a `Cookie` request header (RFC 6265 §4.2 / §5.4).
///
/// Lenient where the RFC says user agents may be sloppy — a malformed pair is skipped, never the
/// whole header, because one bad cookie set by another application on the same site must not lock
/// a visitor out — and strict about what a pair is: a token name, `=`, and cookie-octets
/// optionally in double quotes. Values are not percent-decoded; ours are base64url.
public enum CookieParser {
    /// Name to value; when a name repeats the first one wins (browsers send the most specific
    /// path first, so the first is the one set for us).
    public static func parse(_ header: String) -> [String: String] {
        var cookies: [String: String] = [:]
        forEachPair(in: header) { name, value in
            let key = String(decoding: name, as: UTF8.self)
            if cookies[key] == nil {
                cookies[key] = String(decoding: value, as: UTF8.self)
            }
            return true
        }
        return cookies
    }

    /// The value of the first well-formed pair called `name`, as `parse(header)[name]` would give,
    /// without building the dictionary: the request path asks for one or two cookies per request.
    public static func value(named name: String, in header: String) -> String? {
        var found: String?
        var name = name
        name.withUTF8 { wanted in
            forEachPair(in: header, onlyNamed: wanted) { _, value in
                found = String(decoding: value, as: UTF8.self)
                return false
            }
        }
        return found
    }

    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// Calls `body` with the name and value of each well-formed pair in order until it returns
    /// false. Works on the UTF-8 bytes: every byte that matters here is ASCII, and a Character
    /// walk costs several times more on a path that runs for every request.
    /// With `onlyNamed`, pairs with another name are skipped before their value is checked (a
    /// pair's validity does not depend on the others, so the result is the same).
    static func forEachPair(in header: String, onlyNamed wanted: UnsafeBufferPointer<UInt8>? = nil, _ body: (Bytes, Bytes) -> Bool) {
        var header = header
        header.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
                if let (name, value) = parsePair(bytes[start..<end], onlyNamed: wanted), !body(name, value) { return }
                start = end + 1
            }
        }
    }

    static func parsePair(_ pair: Bytes, onlyNamed wanted: UnsafeBufferPointer<UInt8>? = nil) -> (name: Bytes, value: Bytes)? {
        let pair = trimmingWhitespace(pair)
        guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        let name = trimmingWhitespace(pair[pair.startIndex..<equals])
        if let wanted, !name.elementsEqual(wanted) { return nil }
        var value = trimmingWhitespace(pair[(equals + 1)...])
        guard !name.isEmpty, name.allSatisfy(ASCII.isTokenCharacter) else { return nil }
        if value.first == UInt8(ascii: "\"") {
            guard value.count >= 2, value.last == UInt8(ascii: "\"") else { return nil }
            value = value.dropFirst().dropLast()
        }
        guard value.allSatisfy(isCookieOctet) else { return nil }
        return (name, value)
    }

    static func trimmingWhitespace(_ bytes: Bytes) -> Bytes {
        var bytes = bytes
        while let first = bytes.first, ASCII.isWhitespace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, ASCII.isWhitespace(last) { bytes = bytes.dropLast() }
        return bytes
    }

    /// RFC 6265 `cookie-octet`: visible ASCII except `"`, `,`, `;` and `\`.
    static func isCookieOctet(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x23...0x2B, 0x2D...0x3A, 0x3C...0x5B, 0x5D...0x7E: true
        default: false
        }
    }
}
