import FoundationEssentials
import Storage
import Web

/// `lockout.max_failures_per_ip_per_hour`: failed password checks per client (an IPv6 client by
/// its /64) per rolling hour, for sign-in and every form that asks for the current password. The
/// per-account lockout stops guessing one account's password; this stops one client trying a few
/// passwords against many accounts (password spraying) and a stolen session being used as an
/// oracle for the password.
///
/// `check` before the password is looked at (beyond the limit: 429, no hash computed), `record`
/// after a wrong one. The two are separate reads and writes, so parallel requests of one client
/// may overshoot by the number in flight — at most one per worker, which a per-hour limit of
/// failures can afford, and which keeps a right password from ever counting.
struct PasswordFailureLimit {
    let services: Services

    static func key(_ clientAddress: String) -> String {
        "password-fail:ip:" + ClientNetwork.limitKey(for: clientAddress)
    }

    /// Throws the 429 when the client has had its failures for this hour.
    func check(clientAddress: String, now: Date) throws {
        if let retryAt = try services.storage.rateLimits.check(
            key: Self.key(clientAddress), limit: services.settings.lockout.maxFailuresPerIPPerHour, window: 3600, now: now
        ) {
            throw HTTPError.tooManyRequests(retryAfter: retryAt.timeIntervalSince(now), what: "Too many failed password attempts from your network.")
        }
    }

    /// Counts one wrong password from the client.
    func record(clientAddress: String, now: Date) throws {
        try services.storage.rateLimits.record(key: Self.key(clientAddress), at: now)
    }
}
