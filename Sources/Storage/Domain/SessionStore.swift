import FoundationEssentials

/// Server-side sign-ins. The store keeps and returns records; whether one is still valid
/// (expiry, idle time, security stamp) is decided by the caller with its clock.
public protocol SessionStore: AnyObject {
    /// Throws `StorageError.userNotFound` when `userId` is no user, `StorageError.duplicateSession`
    /// when the id hash is taken.
    func insert(_ session: SessionRecord) throws

    func session(idHash: String) throws -> SessionRecord?

    /// The session and its user in one indexed lookup (the hot path of every signed-in request
    /// and of `/Auth`); nil when either is missing.
    func sessionAndUser(idHash: String) throws -> (session: SessionRecord, user: UserRecord)?

    /// Every stored session of the user, oldest first (ended ones may still be among them until
    /// maintenance removes them; the caller checks validity).
    func sessions(userId: String) throws -> [SessionRecord]

    /// Sets `lastSeenAt`. Touching a session that was deleted meanwhile does nothing.
    func touch(idHash: String, at: Date) throws

    /// Ends one session; deleting an unknown one does nothing.
    func delete(idHash: String) throws

    /// Ends every session of the user, except the one given (the current one, after a password
    /// change).
    func deleteAll(userId: String, except idHash: String?) throws

    /// Removes sessions past `expiresAt` (at or before `now`) or idle for `idleTimeout` or more.
    func deleteExpired(now: Date, idleTimeout: TimeInterval) throws
}
