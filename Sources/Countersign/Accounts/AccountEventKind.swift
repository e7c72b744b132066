import FoundationEssentials
import Storage

/// The `SecurityEvent.kind`s the account pages write (the phone verification has its own,
/// `PhoneVerificationEventKind`). None carries a password, token or code.
enum AccountEventKind: String, Sendable, CaseIterable {
    /// The registration form created the user (with the phone number given).
    case registered = "registered"
    /// A confirmation email went out.
    case confirmationEmailSent = "confirmation-email-sent"
    /// The confirmation link was opened and the address confirmed.
    case emailConfirmed = "email-confirmed"
    /// A sign-in with the right password.
    case signedIn = "signed-in"
    /// A sign-in refused (unknown address or wrong password; the event does not say which).
    case signInFailed = "sign-in-failed"
    /// Too many wrong passwords: the account is locked for a while.
    case lockedOut = "locked-out"
    /// The session was ended by Logout.
    case signedOut = "signed-out"
    /// The password was changed on the Manage pages.
    case passwordChanged = "password-changed"
}

extension SecurityEvent {
    init(time: Date, kind: AccountEventKind, userId: String?, ipAddress: String?, phoneNumber: String? = nil) {
        self.init(time: time, kind: kind.rawValue, userId: userId, ipAddress: ipAddress, phoneNumber: phoneNumber)
    }
}
