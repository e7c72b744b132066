import Crypto
import FoundationEssentials
import Storage

/// Checks an address and password, with ASP.NET Core Identity's lockout rules: a locked account
/// is refused before its password is looked at; `lockout.max_failures` wrong passwords lock it
/// for `lockout.duration`; a right one resets the count. A hash in an older format or with lower
/// cost than configured is replaced by a fresh one at this moment, the only time the password is
/// known.
struct PasswordSignIn {
    enum Outcome {
        case succeeded(UserRecord)
        /// Wrong address, wrong password or locked: the caller shows one same message for all.
        case failed
        /// The right password on an address not yet confirmed (when confirmation is required).
        case emailNotConfirmed(UserRecord)
    }

    let services: Services

    func attempt(email: String, password: String, now: Date) throws -> Outcome {
        let users = services.storage.users
        guard let user = try users.user(normalizedEmail: EmailAddress.normalize(email)) else {
            // Spend the same time as a real check, so timing does not tell which addresses exist.
            _ = services.passwordHasher.verify(password, against: services.dummyPasswordHash)
            return .failed
        }
        if user.lockoutEnabled, let end = user.lockoutEnd, end > now {
            return .failed
        }
        switch services.passwordHasher.verify(password, against: user.passwordHash) {
        case .failed:
            if user.lockoutEnabled {
                let locked = try users.recordFailedSignIn(
                    userId: user.id, maxFailures: services.settings.lockout.maxFailures,
                    lockoutUntil: now.addingTimeInterval(services.settings.lockout.duration)
                )
                if locked {
                    try services.storage.events.append(SecurityEvent(time: now, kind: .lockedOut, userId: user.id, ipAddress: nil))
                }
            }
            return .failed
        case .succeededRehashNeeded:
            try users.updatePasswordHash(userId: user.id, hash: try services.passwordHasher.hash(password))
        case .succeeded:
            break
        }
        if user.accessFailedCount > 0 || user.lockoutEnd != nil {
            try users.resetFailedSignIns(userId: user.id)
        }
        if services.settings.email.requireConfirmed && !user.emailConfirmed {
            return .emailNotConfirmed(user)
        }
        return .succeeded(user)
    }
}
