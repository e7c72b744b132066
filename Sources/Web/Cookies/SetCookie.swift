public import FoundationEssentials

/// A `Set-Cookie` header value, checked when built so a cookie the browser would silently drop or
/// weaken is a programming error caught in tests, not a mystery in production.
///
/// Name prefixes are enforced as browsers enforce them: `__Host-` needs `Secure`, `Path=/` and no
/// `Domain`; `__Secure-` needs `Secure`.
public struct SetCookie: Sendable, Equatable {
    public enum SameSite: String, Sendable {
        case lax = "Lax"
        case strict = "Strict"
    }

    public let name: String
    public let value: String
    public let path: String?
    public let domain: String?
    /// Seconds; nil for a browser-session cookie.
    public let maxAge: Int?
    public let expires: Date?
    public let httpOnly: Bool
    public let secure: Bool
    public let sameSite: SameSite?

    public init(
        name: String,
        value: String,
        path: String? = "/",
        domain: String? = nil,
        maxAge: Int? = nil,
        expires: Date? = nil,
        httpOnly: Bool = true,
        secure: Bool,
        sameSite: SameSite? = .lax
    ) throws(SetCookieError) {
        guard ASCII.isToken(name) else { throw .invalidName(name) }
        guard value.utf8.allSatisfy(CookieParser.isCookieOctet) else { throw .invalidValue(name) }
        for attribute in [path, domain].compactMap({ $0 }) {
            // Attribute values end at `;` and may not hold control characters.
            guard attribute.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") }) else {
                throw .invalidAttribute(name)
            }
        }
        if let maxAge, maxAge < 0 { throw .invalidAttribute(name) }
        if name.hasPrefix("__Host-") {
            guard secure, path == "/", domain == nil else { throw .hostPrefixRules(name) }
        }
        if name.hasPrefix("__Secure-") {
            guard secure else { throw .securePrefixRules(name) }
        }
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.httpOnly = httpOnly
        self.secure = secure
        self.sameSite = sameSite
    }

    /// A cookie that makes the browser forget `name` at once: empty value, `Max-Age=0` and an
    /// `Expires` in 1970 for clients that ignore `Max-Age`. Path, secure and prefix rules must match
    /// the cookie being removed or the browser keeps it.
    public static func deletion(name: String, path: String? = "/", domain: String? = nil, secure: Bool,
                                sameSite: SameSite? = .lax) throws(SetCookieError) -> SetCookie {
        try SetCookie(name: name, value: "", path: path, domain: domain, maxAge: 0,
                      expires: Date(timeIntervalSince1970: 0), httpOnly: true, secure: secure, sameSite: sameSite)
    }

    /// The header value, e.g. `a=b; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax`.
    public var headerValue: String {
        var parts = ["\(name)=\(value)"]
        if let path { parts.append("Path=\(path)") }
        if let domain { parts.append("Domain=\(domain)") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if let expires { parts.append("Expires=\(HTTPDate.format(expires))") }
        if httpOnly { parts.append("HttpOnly") }
        if secure { parts.append("Secure") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        return parts.joined(separator: "; ")
    }
}

public enum SetCookieError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case invalidValue(String)
    case invalidAttribute(String)
    case hostPrefixRules(String)
    case securePrefixRules(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "cookie name \(name) is not an HTTP token"
        case .invalidValue(let name): "cookie \(name) has a value with characters a cookie cannot carry"
        case .invalidAttribute(let name): "cookie \(name) has a malformed attribute"
        case .hostPrefixRules(let name): "cookie \(name) needs Secure, Path=/ and no Domain (__Host- prefix)"
        case .securePrefixRules(let name): "cookie \(name) needs Secure (__Secure- prefix)"
        }
    }
}
