import FoundationEssentials
import Storage

/// The one place a failed password (or recovery-code) check is recorded, whichever form it came
/// from (sign-in, every form that asks for the current password, recovery codes): the lockout
/// count (`lockout.max_failures`, `lockout.duration`) and, when this failure locks the account,
/// a `locked-out` event. Per-client limits on failures (`lockout.max_failures_per_ip_per_hour`)
/// hook in here: every failure passes through, an unknown address's too (`user` nil).
enum FailedSignIn {
    static func record(_ user: UserRecord?, services: Services, now: Date, clientAddress: String?) throws {
        guard let user, user.lockoutEnabled else { return }
        let locked = try services.storage.users.recordFailedSignIn(
            userId: user.id, maxFailures: services.settings.lockout.maxFailures,
            lockoutUntil: now.addingTimeInterval(services.settings.lockout.duration)
        )
        if locked {
            try services.storage.events.append(SecurityEvent(time: now, kind: "locked-out", userId: user.id, ipAddress: clientAddress))
        }
    }

    /// Whether the account is locked out at `now`.
    static func isLockedOut(_ user: UserRecord, now: Date) -> Bool {
        user.lockoutEnabled && (user.lockoutEnd.map { $0 > now } ?? false)
    }
}
