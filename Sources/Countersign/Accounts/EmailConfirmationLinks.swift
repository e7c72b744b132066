import Crypto
import FoundationEssentials
import Storage

/// Stateless email-confirmation links: `ConfirmEmail?UserId=…&Token=…`.
///
/// The token is the expiry plus an HMAC over the user id, the normalized address, the security
/// stamp and that expiry. Nothing is stored, so a link dies by itself when it expires, when the
/// address changes, or when the stamp changes; and opening it twice (a mail scanner, then the
/// user) does no harm.
struct EmailConfirmationLinks {
    enum Verdict: Equatable {
        case valid
        case expired
        case invalid
    }

    private let keys: [[UInt8]]
    private let lifetime: TimeInterval
    private let purpose: String

    /// The HMAC key is derived from `cookies.secret` (and each previous secret, for rotation) with
    /// its own label, so a link token can never be confused with a cookie signature.
    /// `purpose` keeps links of different uses apart (own key and own MAC input): the
    /// password-reset links (`reset-password`) are the same construction with their own lifetime.
    init(cookies: CookieSettings, lifetime: TimeInterval, purpose: String = "confirm-email") {
        let label = Array((purpose == "confirm-email" ? "countersign email confirmation" : "countersign " + purpose).utf8)
        self.purpose = purpose
        keys = ([cookies.secret] + cookies.previousSecrets).map { HMAC.sha256(label, key: $0) }
        self.lifetime = lifetime
    }

    func token(for user: UserRecord, now: Date) -> String {
        let expiry = UInt64(now.addingTimeInterval(lifetime).timeIntervalSince1970)
        let expiryBytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: expiry >> (UInt64($0) * 8)) }
        return Base64URL.encode(expiryBytes + mac(user: user, expiry: expiry, key: keys[0]))
    }

    func check(_ token: String, for user: UserRecord, now: Date) -> Verdict {
        guard let bytes = Base64URL.decode(token), bytes.count == 8 + 32 else { return .invalid }
        let expiry = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let presented = Array(bytes[8...])
        guard keys.contains(where: { ConstantTime.equals(mac(user: user, expiry: expiry, key: $0), presented) }) else {
            return .invalid
        }
        return Double(expiry) > now.timeIntervalSince1970 ? .valid : .expired
    }

    private func mac(user: UserRecord, expiry: UInt64, key: [UInt8]) -> [UInt8] {
        let message = [purpose, user.id, user.normalizedEmail, user.securityStamp, String(expiry)].joined(separator: "\u{0}")
        return HMAC.sha256(Array(message.utf8), key: key)
    }
}
