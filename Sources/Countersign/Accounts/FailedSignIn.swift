import FoundationEssentials
import Storage

/// The one place a failed password (or recovery-code) check is recorded, whichever form it came
/// from (sign-in, every form that asks for the current password, recovery codes): the lockout
/// count (`lockout.max_failures`, `lockout.duration`) and, when this failure locks the account,
/// a `locked-out` event, and the client's failures for the hour
/// (`lockout.max_failures_per_ip_per_hour`, `PasswordFailureLimit`) when the client is known.
enum FailedSignIn {
    static func record(_ user: UserRecord?, services: Services, now: Date, clientAddress: String?) throws {
        if let clientAddress {
            try PasswordFailureLimit(services: services).record(clientAddress: clientAddress, now: now)
        }
        guard let user else { return }
        try countLockout(of: user, services: services, now: now, clientAddress: clientAddress)
    }

    /// The account's part alone (sign-in, whose per-client count its page keeps): one failure
    /// toward the lockout, with the event when it locks.
    static func countLockout(of user: UserRecord, services: Services, now: Date, clientAddress: String?) throws {
        guard user.lockoutEnabled else { return }
        let locked = try services.storage.users.recordFailedSignIn(
            userId: user.id, maxFailures: services.settings.lockout.maxFailures,
            lockoutUntil: now.addingTimeInterval(services.settings.lockout.duration)
        )
        if locked {
            try services.storage.events.append(SecurityEvent(time: now, kind: "locked-out", userId: user.id, ipAddress: clientAddress,
                                                             detail: "\(services.settings.lockout.maxFailures) failed password checks"))
        }
    }

    /// Whether the account is locked out at `now`.
    static func isLockedOut(_ user: UserRecord, now: Date) -> Bool {
        user.lockoutEnabled && (user.lockoutEnd.map { $0 > now } ?? false)
    }
}
