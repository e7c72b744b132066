import FoundationEssentials
import Storage

/// The current password asked again before a sensitive change (ChangePassword, two-factor
/// changes, a new phone number, removing the phone, deleting the account). A missing or wrong
/// password counts as a failed sign-in (CONTRACT.md §2 `lockout.max_failures`, and the client's
/// `lockout.max_failures_per_ip_per_hour`: 429 beyond), so a stolen session cannot be used to
/// guess the password; a locked account is refused, after the same one hash's time.
enum CurrentPasswordCheck {
    static let wrongPassword = "Incorrect password."
    static let missingPassword = "The Current password field is required."

    /// nil when `password` is right; otherwise the message to show beside the field.
    static func problem(_ password: String, context: RequestContext) throws -> String? {
        guard let user = context.user else { return wrongPassword }
        let services = context.services
        try PasswordFailureLimit(services: services).check(clientAddress: context.clientAddress, now: context.now)
        // Read again: the lockout may have started since the session was looked up.
        let current = try services.storage.users.user(id: user.id) ?? user
        let right = !password.isEmpty && services.passwordHasher.verify(password, against: current.passwordHash) != .failed
        if FailedSignIn.isLockedOut(current, now: context.now) {
            try PasswordFailureLimit(services: services).record(clientAddress: context.clientAddress, now: context.now)
            try services.storage.events.append(SecurityEvent(time: context.now, kind: "password-check-failed", userId: user.id,
                                                             ipAddress: context.clientAddress, detail: "locked out"))
            return wrongPassword
        }
        if right { return nil }
        try FailedSignIn.record(current, services: services, now: context.now, clientAddress: context.clientAddress)
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "password-check-failed", userId: user.id, ipAddress: context.clientAddress))
        return password.isEmpty ? missingPassword : wrongPassword
    }
}
