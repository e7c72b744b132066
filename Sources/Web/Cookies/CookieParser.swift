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
        for pair in header.split(separator: ";", omittingEmptySubsequences: true) {
            guard let (name, value) = parsePair(ASCII.trimmingWhitespace(pair)) else { continue }
            if cookies[name] == nil {
                cookies[name] = value
            }
        }
        return cookies
    }

    static func parsePair(_ pair: Substring) -> (String, String)? {
        guard let equals = pair.firstIndex(of: "=") else { return nil }
        let name = ASCII.trimmingWhitespace(pair[pair.startIndex..<equals])
        var value = ASCII.trimmingWhitespace(pair[pair.index(after: equals)...]).utf8[...]
        guard ASCII.isToken(name) else { return nil }
        if value.first == UInt8(ascii: "\"") {
            guard value.count >= 2, value.last == UInt8(ascii: "\"") else { return nil }
            value = value.dropFirst().dropLast()
        }
        guard value.allSatisfy(isCookieOctet) else { return nil }
        return (String(name), String(Substring(value)))
    }

    /// RFC 6265 `cookie-octet`: visible ASCII except `"`, `,`, `;` and `\`.
    static func isCookieOctet(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x23...0x2B, 0x2D...0x3A, 0x3C...0x5B, 0x5D...0x7E: true
        default: false
        }
    }
}
