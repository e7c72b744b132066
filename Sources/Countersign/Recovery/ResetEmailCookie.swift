import FoundationEssentials
import Web

/// Carries the address typed on `/ForgotPassword` to the code form that follows it (signed, for
/// `tokens.lifetime`), so the address never travels in a URL (and web-server logs).
struct ResetEmailCookie {
    private static let purpose = "reset-email"
    let services: Services
    private var name: String { services.settings.cookies.name("Countersign.ResetEmail") }

    func cookie(_ email: String) throws -> String {
        let lifetime = services.phoneSettings.codeLifetime
        let value = services.cookieCodec.seal(Array(email.utf8), purpose: Self.purpose, lifetime: lifetime)
        return try SetCookie(name: name, value: value, maxAge: Int(lifetime), secure: services.settings.cookies.secure).headerValue
    }

    func email(_ request: Request) -> String? {
        guard let value = request.cookie(name), let bytes = services.cookieCodec.open(value, purpose: Self.purpose) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    func clear() throws -> String {
        try SetCookie.deletion(name: name, secure: services.settings.cookies.secure).headerValue
    }
}
