import Crypto
import FoundationEssentials
import Storage

/// Checks an address and password, with ASP.NET Core Identity's lockout rules: a locked account
/// is refused whatever the password (which is still hashed, so a locked account answers exactly as
/// slowly as any other and its lockout cannot be seen in the timing); `lockout.max_failures` wrong
/// passwords lock it for `lockout.duration`; a right one resets the count. The per-client limit
/// (`PasswordFailureLimit`) is the caller's, as it must answer 429 before anything is looked up. A hash in an older format or with lower
/// cost than configured is replaced by a fresh one at this moment, the only time the password is
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
        if Self.isLockedOut(user, now: now) {
            return .failed(userId: user.id, reason: "locked out")
        }
        switch verification {
        case .failed:
            try Self.countFailure(of: user, services: services, now: now, clientAddress: clientAddress)
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

    static func isLockedOut(_ user: UserRecord, now: Date) -> Bool {
        guard user.lockoutEnabled, let end = user.lockoutEnd else { return false }
        return end > now
    }

    /// One failed sign-in toward the account's lockout, with the event when it locks.
    static func countFailure(of user: UserRecord, services: Services, now: Date, clientAddress: String?) throws {
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

    /// The current password on a form that asks for it (ChangePassword, and every form that
    /// guards a change with it): the same rules as a sign-in — 429 beyond the client's failures
    /// for the hour, always one hash's time, refused while locked out, and a wrong one counts
    /// toward the account's lockout and the client's limit, with a `password-check-failed` event.
    /// Returns whether the password is right.
    static func checkCurrentPassword(_ password: String, of user: UserRecord, form: String, context: RequestContext) throws -> Bool {
        let services = context.services
        let limit = PasswordFailureLimit(services: services)
        try limit.check(clientAddress: context.clientAddress, now: context.now)
        var wrong = false
        if case .failed = services.passwordHasher.verify(password, against: user.passwordHash) { wrong = true }
        let locked = isLockedOut(user, now: context.now)
        if !wrong && !locked { return true }
        try limit.record(clientAddress: context.clientAddress, now: context.now)
        if !locked {
            try countFailure(of: user, services: services, now: context.now, clientAddress: context.clientAddress)
        }
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "password-check-failed", userId: user.id,
                                                         ipAddress: context.clientAddress, detail: locked ? "\(form), locked out" : form))
        return false
    }
}
