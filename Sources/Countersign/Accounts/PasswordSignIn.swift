import Crypto
import FoundationEssentials
import Storage

/// Checks an address and password, with ASP.NET Core Identity's lockout rules: a locked account
/// is refused whatever the password (which is still hashed, so a locked account answers exactly as
/// slowly as any other and its lockout cannot be seen in the timing); `lockout.max_failures` wrong
/// passwords lock it for `lockout.duration`; a right one resets the count. The per-client limit
/// (`PasswordFailureLimit`) is the caller's, as it must answer 429 before anything is looked
/// up. A hash in an older format or with lower cost than configured is replaced by a fresh one at this moment, the only time the password is
/// known.
struct PasswordSignIn {
    enum Outcome {
        case succeeded(UserRecord)
        /// Wrong address, wrong password or locked: the caller shows one same message for all. The
        /// user (when the address is known) and which it was are for the security event only.
        case failed(userId: String?, reason: String)
        /// The right password on an address not yet confirmed (when confirmation is required).
        case emailNotConfirmed(UserRecord)
    }

    let services: Services

    func attempt(email: String, password: String, now: Date, clientAddress: String? = nil) throws -> Outcome {
        let users = services.storage.users
        guard let user = try users.user(normalizedEmail: EmailAddress.normalize(email)) else {
            // Spend the same time as a real check, so timing does not tell which addresses exist.
            _ = services.passwordHasher.verify(password, against: services.dummyPasswordHash)
            return .failed(userId: nil, reason: "unknown address")
        }
        let verification = services.passwordHasher.verify(password, against: user.passwordHash)
        if FailedSignIn.isLockedOut(user, now: now) {
            return .failed(userId: user.id, reason: "locked out")
        }
        switch verification {
        case .failed:
            try FailedSignIn.countLockout(of: user, services: services, now: now, clientAddress: clientAddress)
            return .failed(userId: user.id, reason: "wrong password")
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
