public import FoundationEssentials
public import Messaging

/// Why a send or a verification did not happen. `userMessage` can be shown as it is. The cases
/// map to answers (CONTRACT.md §3): `limited` 429 with `Retry-After`; `wrongCode`, `expired`
/// and `burned` 422 with the form; `nothingPending` back to ConfirmPhoneNumber with a flash;
/// `sendFailed`, `checkFailed` and `numberRefused` the form with the message; `storage` a
/// plain 500.
public enum PhoneVerificationError: Error, CustomStringConvertible {
    /// A cooldown or send limit; nothing was sent or counted.
    case limited(retryAt: Date, reason: LimitReason)
    /// The SMS (or Twilio Verify) provider refused or failed; nothing was counted, and the code
    /// pending before, if any, still works.
    case sendFailed(SmsSendError)
    /// A remote provider could not check the code; nothing was counted.
    case checkFailed(CodeCheckFailure)
    /// The user has no pending verification (none sent, already verified, or burned).
    case nothingPending
    /// Not the code; `attemptsLeft` more wrong ones are allowed before it is burned.
    case wrongCode(attemptsLeft: Int)
    /// This wrong code was the last one allowed: the pending verification is gone and the user
    /// must ask for a new code from ConfirmPhoneNumber.
    case burned
    /// The code's lifetime is over; a new one can be sent.
    case expired
    /// The pending number is no longer accepted (the configuration tightened since it was sent).
    case numberRefused(PhoneNumberProblem)
    /// Storage failed: a 500.
    case storage(any Error)

    /// ASP.NET Core Identity's own wording for a wrong or expired token.
    public static let invalidTokenMessage = "Either the token has expired or you entered an invalid token."

    public var userMessage: String {
        switch self {
        case .limited(_, let reason): reason.userMessage
        case .sendFailed(let error): error.reason
        case .checkFailed(let failure): failure.userMessage
        case .nothingPending: "There is no verification code waiting. Enter your phone number to get a code."
        case .wrongCode, .expired: Self.invalidTokenMessage
        case .burned: "Too many wrong codes. Enter your phone number again to get a new code."
        case .numberRefused(let problem): problem.message
        case .storage: "Something went wrong on our side. Please try again."
        }
    }

    /// For logs: never a code.
    public var description: String {
        switch self {
        case .limited(let retryAt, let reason): "limited (\(reason.rawValue)) until \(retryAt)"
        case .sendFailed(let error): error.description
        case .checkFailed(let failure): failure.description
        case .nothingPending: "nothing pending"
        case .wrongCode(let left): "wrong code (\(left) attempts left)"
        case .burned: "burned"
        case .expired: "expired"
        case .numberRefused(let problem): "number refused: \(problem)"
        case .storage(let error): "storage: \(error)"
        }
    }
}

/// Which limit refused a send.
public enum LimitReason: String, Sendable, Equatable, CaseIterable {
    /// `tokens.resend_cooldown` for this user.
    case cooldown
    /// `tokens.max_sends_per_hour` for this user.
    case userHourly
    /// `tokens.max_sends_per_hour` for this phone number (across users).
    case numberHourly
    /// `tokens.max_sends_per_ip_per_hour`.
    case ipHourly
    /// `sms.daily_limit` for the whole installation.
    case daily
    /// `sms.max_per_region_per_hour` for the number's region.
    case regionHourly
    /// `sms.max_per_prefix_per_hour` for the number's range (E.164 without the last 4 digits).
    case prefixHourly
    /// The conversion guard (`sms.min_conversion`): too few codes sent to the region are used.
    case lowConversion
    /// The number is on the operator's block list (`countersign number block`).
    case blockedNumber
    /// 100 wrong codes for the user or the number in the last 24 hours.
    case wrongCodes

    /// The message of the SMS guards: the same for each, naming none, so that probing tells an
    /// attacker nothing about which guard stands in the way (CONTRACT.md §6).
    public static let guardMessage = "Sending a code to this number is not possible right now."

    public var userMessage: String {
        switch self {
        case .cooldown: "A code was sent a moment ago. Please wait before asking for another."
        case .userHourly, .numberHourly, .ipHourly: "Too many codes were requested. Please try again later."
        case .daily: "No more text messages can be sent today. Please try again later."
        case .regionHourly, .prefixHourly, .lowConversion, .blockedNumber, .wrongCodes: Self.guardMessage
        }
    }
}
