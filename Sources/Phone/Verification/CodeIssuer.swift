import FoundationEssentials
import Messaging
import Storage

/// Makes one-time codes, gets them to the user, and tells right ones from wrong ones: one type
/// per `tokens.provider` (see `CodeIssuers`).
///
/// An issuer knows nothing of attempts, cooldowns, limits or single use: `PhoneVerifier` applies
/// those to every provider alike, around these two calls.
public protocol CodeIssuer: AnyObject {
    /// The `tokens.provider` name.
    var name: String { get }

    /// True when `check` asks a remote service. `PhoneVerifier` then checks before taking the
    /// database's write lock, which no worker may hold during a network call.
    var checksRemotely: Bool { get }

    /// Makes a code for `user` bound to `phoneNumber` (E.164) and `purpose`, and sends it there.
    ///
    /// - Returns: what to keep to check the code later: its keyed hash, or nil when the code can
    ///   be derived again (`totp`) or the provider keeps it (`twilio-verify`).
    func issue(to phoneNumber: String, for user: UserRecord, purpose: VerificationPurpose, now: Date) throws(SmsSendError) -> [UInt8]?

    /// Whether `code` is the one issued for `pending`, for `user` as stored now (its security
    /// stamp included). Expiry and attempts are the caller's business; local issuers answer
    /// only `.right` or `.wrong`.
    func check(_ code: String, against pending: PendingVerification, for user: UserRecord, now: Date)
        throws(CodeCheckFailure) -> CodeCheck
}

extension CodeIssuer {
    /// A phone-number verification code.
    public func issue(to phoneNumber: String, for user: UserRecord, now: Date) throws(SmsSendError) -> [UInt8]? {
        try issue(to: phoneNumber, for: user, purpose: .phoneNumber, now: now)
    }
}

/// The answer about one entered code.
public enum CodeCheck: Sendable, Equatable {
    case right
    case wrong
    /// The provider has no pending code for the number (Twilio Verify's 404: expired, approved
    /// already or never started).
    case expired
    /// The provider refuses further checks of this code (Twilio Verify's max check attempts).
    case burned
}

/// A code could not be checked at all (the remote service failed); nothing is counted.
public struct CodeCheckFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let provider: String
    /// For the log: the provider's status and words, never the code.
    public let detail: String
    /// What the user may be told.
    public let userMessage: String

    public init(provider: String, detail: String,
                userMessage: String = "The code could not be checked just now. Please try again in a moment.") {
        self.provider = provider
        self.detail = detail
        self.userMessage = userMessage
    }

    public var description: String { "code check via \(provider) failed: \(detail)" }
}
