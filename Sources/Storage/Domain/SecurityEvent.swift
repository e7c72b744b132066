import FoundationEssentials

/// Something worth an audit trail: a sign-in, a lockout, a code sent or refused.
public struct SecurityEvent: Sendable, Equatable {
    public var time: Date
    /// A short stable name, e.g. "sign-in-failed" (`AccountEventKind`), "code-sent"
    /// (`PhoneVerificationEventKind`).
    public var kind: String
    public var userId: String?
    public var ipAddress: String?
    public var phoneNumber: String?
    /// Free text; never a password, code or token.
    public var detail: String?

    public init(time: Date, kind: String, userId: String? = nil, ipAddress: String? = nil,
                phoneNumber: String? = nil, detail: String? = nil) {
        self.time = time
        self.kind = kind
        self.userId = userId
        self.ipAddress = ipAddress
        self.phoneNumber = phoneNumber
        self.detail = detail
    }
}
