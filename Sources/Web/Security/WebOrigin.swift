/// The scheme, host and port of a URL (RFC 6454), normalised for comparison: lower-case scheme
/// and host, the default port (80, 443) dropped. Only http and https exist for us.
public struct WebOrigin: Equatable, Sendable {
    public let scheme: String
    /// Lower-case; an IPv6 literal keeps its brackets.
    public let host: String
    /// nil for the scheme's default port.
    public let port: Int?

    /// An `Origin` header: `scheme://host[:port]` and nothing else (`null` is no origin).
    init?(origin: String) {
        guard let parsed = Self.parse(origin), parsed.rest.isEmpty else { return nil }
        self = parsed.origin
    }

    /// A full URL (`server.base_url`, a `Referer`): the path, query and fragment are ignored.
    public init?(url: String) {
        guard let parsed = Self.parse(url) else { return nil }
        let first = parsed.rest.first
        guard first == nil || first == "/" || first == "?" || first == "#" else { return nil }
        self = parsed.origin
    }

    private init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    private static func parse(_ text: String) -> (origin: WebOrigin, rest: Substring)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = ASCII.lowercased(String(text[..<colon]))
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterColon = text[text.index(after: colon)...]
        guard afterColon.hasPrefix("//") else { return nil }
        let afterScheme = afterColon.dropFirst(2)
        let authorityEnd = afterScheme.firstIndex(where: Self.endsAuthority) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
        }
        guard !host.isEmpty, host.utf8.allSatisfy(isHostByte) else { return nil }
        var port: Int?
        if let portText {
            guard (1...5).contains(portText.utf8.count), portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(portText), value <= 65_535 else {
                return nil
            }
            port = value
        }
        let defaultPort = scheme == "https" ? 443 : 80
        if port == defaultPort { port = nil }
        return (WebOrigin(scheme: scheme, host: ASCII.lowercased(String(host)), port: port), rest)
    }

    private static func endsAuthority(_ c: Character) -> Bool {
        c == "/" || c == "?" || c == "#"
    }

    /// Letters, digits, `-`, `.`, and the brackets, colons and hex of an IPv6 literal; no `@`
    /// (user info), no percent-encoding, no spaces.
    private static func isHostByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"):
            true
        default:
            false
        }
    }
}
