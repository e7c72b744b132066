import Crypto
import FoundationEssentials

/// The `__RequestVerificationToken` field every rendered form carries and every POST must return.
///
/// Each visitor gets a random 16-byte id in a signed cookie (`__Host-Countersign.Antiforgery`, or
/// `Countersign.Antiforgery` when `cookies.secure = false`; HttpOnly, SameSite=Strict, Path=/, a
/// browser-session cookie whose sealed value lives `visitorLifetime`). The form token is
/// `base64url(HMAC-SHA256(cookies.secret, "antiforgery|" + hex(visitorId) + "|" + sessionBinding))`:
/// another site can make a browser send the cookie but cannot read it or compute the token, and
/// binding the token to the sign-in (e.g. a hash of the session id) makes a form from before
/// sign-in or from another sign-in useless. Tokens made with `cookies.previous_secrets` still pass.
public struct Antiforgery {
    public static let fieldName = "__RequestVerificationToken"
    static let purpose = "antiforgery"
    static let visitorIDLength = 16

    let codec: SignedCookieCodec
    let random: any RandomSource
    public let secure: Bool
    public let visitorLifetime: TimeInterval

    /// `secure` is `cookies.secure`; the secrets are the codec's (`cookies.secret`,
    /// `cookies.previous_secrets`).
    public init(codec: SignedCookieCodec, random: any RandomSource, secure: Bool,
                visitorLifetime: TimeInterval = 30 * 86_400) {
        self.codec = codec
        self.random = random
        self.secure = secure
        self.visitorLifetime = visitorLifetime
    }

    public var cookieName: String {
        secure ? "__Host-Countersign.Antiforgery" : "Countersign.Antiforgery"
    }

    /// The token for a form on this response, and the `Set-Cookie` value to send when the visitor
    /// has no valid id yet (or it is past half its life, so an open form never outlives it).
    public func prepare(_ request: Request, sessionBinding: String? = nil) -> (token: String, setCookie: String?) {
        var setCookie: String?
        var visitorID: [UInt8]
        if let opened = visitor(request) {
            visitorID = opened.id
            if opened.expiresAt.timeIntervalSince(codec.clock.now) < visitorLifetime / 2 {
                setCookie = cookie(for: visitorID)
            }
        } else {
            visitorID = random.bytes(Self.visitorIDLength)
            setCookie = cookie(for: visitorID)
        }
        let mac = Self.token(visitorID: visitorID, sessionBinding: sessionBinding, secret: codec.current.secret)
        return (Base64URL.encode(mac), setCookie)
    }

    /// True when `formToken` was issued to this visitor for this `sessionBinding`, under the
    /// current or a previous secret. Compared in constant time.
    public func validate(_ request: Request, formToken: String?, sessionBinding: String? = nil) -> Bool {
        guard let formToken, let presented = Base64URL.decode(formToken), presented.count == 32,
              let visitorID = visitor(request)?.id else {
            return false
        }
        var valid = false
        for key in codec.keys {
            let expected = Self.token(visitorID: visitorID, sessionBinding: sessionBinding, secret: key.secret)
            valid = ConstantTime.equals(expected, presented) || valid
        }
        return valid
    }

    /// Reads the field from a decoded form (given twice counts as missing) and validates it.
    public func validate(_ request: Request, form: Form, sessionBinding: String? = nil) -> Bool {
        let values = form.values(Self.fieldName)
        return values.count == 1 && validate(request, formToken: values[0], sessionBinding: sessionBinding)
    }

    /// Defence in depth next to the token: a POST's `Origin` header (or, when absent, its
    /// `Referer`) must name the scheme, host and port of `server.base_url`. A request with
    /// neither is allowed — old browsers and privacy tools send neither, and the token still
    /// decides. `Origin: null` (sandboxed or privacy-sensitive contexts) is refused.
    public static func originAllowed(_ request: Request, baseURL: String) -> Bool {
        guard let expected = WebOrigin(url: baseURL) else { return false }
        if let origin = request.header("Origin") {
            return WebOrigin(origin: origin) == expected
        }
        if let referer = request.header("Referer") {
            return WebOrigin(url: referer) == expected
        }
        return true
    }

    private func visitor(_ request: Request) -> (id: [UInt8], expiresAt: Date)? {
        guard let value = request.cookie(cookieName),
              let opened = codec.openWithExpiry(value, purpose: Self.purpose),
              opened.payload.count == Self.visitorIDLength else {
            return nil
        }
        return (opened.payload, opened.expiresAt)
    }

    private func cookie(for visitorID: [UInt8]) -> String {
        let sealed = codec.seal(visitorID, purpose: Self.purpose, lifetime: visitorLifetime)
        return SetCookie.ours(name: cookieName, value: sealed, secure: secure, sameSite: .strict).headerValue
    }

    static func token(visitorID: [UInt8], sessionBinding: String?, secret: [UInt8]) -> [UInt8] {
        let message = "antiforgery|\(Hex.encode(visitorID))|\(sessionBinding ?? "")"
        return HMAC.sha256(Array(message.utf8), key: secret)
    }
}
