import FoundationEssentials

/// A code sent to a user and not yet used: at most one per user, in shared storage, so any
/// worker process can check it.
public struct PendingVerification: Sendable, Equatable {
    public var userId: String
    /// What the code is for; one pending code per user and purpose.
    public var purpose: VerificationPurpose
    /// E.164: the number the code was sent to, and the one that is confirmed when it is right.
    public var phoneNumber: String
    /// The keyed hash of the code (`StoredCodeIssuer`); nil for providers that keep or derive
    /// the code themselves (`totp`, `twilio-verify`). The code itself is never stored.
    public var codeHash: [UInt8]?
    /// The code is refused from this instant on.
    public var expiresAt: Date
    /// Wrong codes entered so far. Kept when a new code is sent (also to another number), so a
    /// resend never buys more guesses; the verification is burned when it reaches
    /// `tokens.max_attempts`.
    public var attempts: Int
    /// Codes sent since this verification started.
    public var sends: Int
    public var lastSentAt: Date
    /// When the first code of this verification was sent.
    public var createdAt: Date

    public init(userId: String, phoneNumber: String, codeHash: [UInt8]?, expiresAt: Date, attempts: Int, sends: Int,
                lastSentAt: Date, createdAt: Date, purpose: VerificationPurpose = .phoneNumber) {
        self.userId = userId
        self.purpose = purpose
        self.phoneNumber = phoneNumber
        self.codeHash = codeHash
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.sends = sends
        self.lastSentAt = lastSentAt
        self.createdAt = createdAt
    }

    public func isExpired(at now: Date) -> Bool {
        now >= expiresAt
    }

    /// How long after its code expired a verification still passes its attempt count on to the
    /// next send. An hour, the window of the hourly send limits: by then those limits have
    /// started afresh too, so forgetting the count gives no more guesses per hour than a burn.
    public static let countMemory: TimeInterval = 3600

    /// From this instant a new send starts a new verification (count 0) instead of continuing
    /// this one, and maintenance may delete the row.
    public var forgottenAt: Date {
        expiresAt.addingTimeInterval(Self.countMemory)
    }
}
