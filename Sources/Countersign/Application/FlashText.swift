/// The catalogue of flash messages. The signed cookie carries only the key, so a message can
/// never carry personal data and a forged cookie could not put words on the page anyway.
enum FlashText: String, CaseIterable {
    case confirmationSent = "confirmation-sent"
    case confirmationNotSent = "confirmation-not-sent"
    case passwordChanged = "password-changed"
    case signedOut = "signed-out"
    case signInRequired = "sign-in-required"
    case codeSent = "code-sent"
    case codeResent = "code-resent"
    case nothingPending = "nothing-pending"
    case verificationStartOver = "verification-start-over"
    case twoFactorNeedsPhone = "two-factor-needs-phone"
    case twoFactorDisabled = "two-factor-disabled"
    case signInCodeResent = "sign-in-code-resent"
    case signInAgain = "sign-in-again"
    case signInCodeNotSent = "sign-in-code-not-sent"
    case phoneRemoved = "phone-removed"
    case accountDeleted = "account-deleted"

    var text: String {
        switch self {
        case .confirmationSent: "If that address has an account waiting for confirmation, a new confirmation link is on its way. Check your inbox."
        case .confirmationNotSent: "Your account was created, but the confirmation email could not be sent just now. Use “Resend the confirmation email” on the sign-in page in a few minutes."
        case .passwordChanged: "Your password has been changed. You have been signed out everywhere else."
        case .signedOut: "You have been signed out."
        case .signInRequired: "Please sign in to continue."
        case .codeSent: "A verification code has been sent to your phone number. Please enter it below."
        case .codeResent: "A new verification code has been sent to your phone number."
        case .nothingPending: "There is no verification waiting. Enter your phone number to get a code."
        case .verificationStartOver: "Too many wrong codes. Please request a new code."
        case .twoFactorNeedsPhone: "Two-factor sign-in sends codes to your phone: please verify a phone number first."
        case .twoFactorDisabled: "Two-factor sign-in is now off. Your recovery codes no longer work."
        case .signInCodeResent: "A new sign-in code has been sent to your phone."
        case .signInAgain: "Please sign in again with your email and password."
        case .signInCodeNotSent: "We could not send a new sign-in code just now. If an earlier code has not expired, enter it; otherwise wait a moment and use “Send a new code”, or use a recovery code."
        case .phoneRemoved: "Your phone number has been removed, and two-factor sign-in with it."
        case .accountDeleted: "Your account and the data stored with it have been deleted."
        }
    }

    init?(key: String) { self.init(rawValue: key) }
}
