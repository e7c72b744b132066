import Crypto
import FoundationEssentials
import Storage
import Web

/// The two signed cookies of a two-factor sign-in (nothing kept in a worker's memory):
///
/// - the half-signed-in state after the right password: user id, a digest of the security stamp,
///   RememberMe and ReturnUrl, for `tokens.lifetime`. It signs nobody in: `/Auth` and `[auth]`
///   pages look only at sessions.
/// - "remember this browser": user id and the stamp digest, for `twofactor.remember_lifetime`.
///
/// Both die when the stamp changes (password changed or reset, phone changed, two-factor turned
/// off). The stamp itself never goes into a cookie (it keys the `totp` codes): only a labelled
/// SHA-256 of it.
struct TwoFactorCookies {
    struct Pending: Equatable {
        var userId: String
        var rememberMe: Bool
        var returnUrl: String?
    }

    private static let pendingPurpose = "two-factor-pending"
    private static let rememberPurpose = "two-factor-remember"

    let services: Services
    private var codec: SignedCookieCodec { services.cookieCodec }
    private var secure: Bool { services.settings.cookies.secure }
    var pendingName: String { services.settings.cookies.name("Countersign.TwoFactor") }
    var rememberName: String { services.settings.cookies.name("Countersign.TwoFactorRemember") }

    static func stampDigest(_ user: UserRecord) -> String {
        String(Hex.encode(Digest.sha256(Array("countersign two-factor cookie\u{0}\(user.id)\u{0}\(user.securityStamp)".utf8))).prefix(32))
    }

    // MARK: Half-signed-in

    func pendingCookie(for user: UserRecord, rememberMe: Bool, returnUrl: String?) throws -> String {
        let lifetime = services.phoneSettings.codeLifetime
        let payload = [user.id, Self.stampDigest(user), rememberMe ? "1" : "0", returnUrl ?? ""].joined(separator: "\n")
        let value = codec.seal(Array(payload.utf8), purpose: Self.pendingPurpose, lifetime: lifetime)
        return try SetCookie(name: pendingName, value: value, maxAge: Int(lifetime), secure: secure).headerValue
    }

    /// The half-signed-in state and its user as stored now, or nil (no cookie, expired, forged,
    /// or the stamp changed since the password was given).
    func pending(_ request: Request) throws -> (Pending, UserRecord)? {
        guard let value = request.cookie(pendingName),
              let payload = codec.open(value, purpose: Self.pendingPurpose) else { return nil }
        let parts = String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let user = try services.storage.users.user(id: parts[0]),
              ConstantTime.equals(Array(Self.stampDigest(user).utf8), Array(parts[1].utf8)),
              user.twoFactorEnabled else { return nil }
        let returnUrl = parts[3].isEmpty || !ReturnURL.isLocal(parts[3]) ? nil : parts[3]
        return (Pending(userId: user.id, rememberMe: parts[2] == "1", returnUrl: returnUrl), user)
    }

    func clearPending() throws -> String {
        try SetCookie.deletion(name: pendingName, secure: secure).headerValue
    }

    // MARK: Remember this browser

    /// nil when `twofactor.remember_lifetime` is 0s (never remember).
    func rememberCookie(for user: UserRecord) throws -> String? {
        let lifetime = services.settings.twoFactor.rememberLifetime
        guard lifetime > 0 else { return nil }
        let payload = user.id + "\n" + Self.stampDigest(user)
        let value = codec.seal(Array(payload.utf8), purpose: Self.rememberPurpose, lifetime: lifetime)
        return try SetCookie(name: rememberName, value: value, maxAge: Int(lifetime), secure: secure).headerValue
    }

    /// Whether this browser was remembered for `user` with the user's current stamp.
    func isRemembered(_ request: Request, user: UserRecord) -> Bool {
        guard services.settings.twoFactor.rememberLifetime > 0,
              let value = request.cookie(rememberName),
              let payload = codec.open(value, purpose: Self.rememberPurpose) else { return false }
        let expected = user.id + "\n" + Self.stampDigest(user)
        return ConstantTime.equals(payload, Array(expected.utf8))
    }
}
