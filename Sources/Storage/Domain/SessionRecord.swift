import FoundationEssentials

/// A sign-in, kept server-side so it can be ended (logout, password change) before its cookie
/// expires.
public struct SessionRecord: Sendable, Equatable {
    /// Lower-case hex of SHA-256 of the cookie's session id; the raw id is never stored, so a
    /// copy of the database signs nobody in.
    public var idHash: String
    public var userId: String
    /// The user's security stamp at sign-in; a different stamp now means the session has ended.
    public var securityStamp: String
    public var createdAt: Date
    /// Last request seen, for the idle timeout.
    public var lastSeenAt: Date
    /// Absolute end, whatever the activity.
    public var expiresAt: Date
    /// "Remember me": the cookie outlives the browser session.
    public var persistent: Bool
    /// The client address that signed in (for the user's own list of sign-ins); nil for
    /// sessions from before it was kept.
    public var clientAddress: String?

    public init(idHash: String, userId: String, securityStamp: String, createdAt: Date, lastSeenAt: Date,
                expiresAt: Date, persistent: Bool, clientAddress: String? = nil) {
        self.clientAddress = clientAddress
        self.idHash = idHash
        self.userId = userId
        self.securityStamp = securityStamp
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.persistent = persistent
    }
}
