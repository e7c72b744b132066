import Crypto
import FoundationEssentials
import Storage
import Web

/// A signed-in visitor: the session row and the user it belongs to.
struct SignIn {
    let session: SessionRecord
    let user: UserRecord
    /// The session's stored id hash, used to bind antiforgery tokens to this sign-in.
    var sessionIdHash: String { session.idHash }
}

/// Server-side sign-in sessions.
///
/// The cookie holds an opaque random id (256 bits); the store keeps only its SHA-256, so a read of
/// the database cannot be replayed as a cookie. A session ends at its absolute lifetime, after
/// `session.idle_timeout` unused, at sign-out, or when the user's security stamp changes
/// (password changed, phone verified) — the stamp is copied into the session at sign-in.
final class SignInSessions {
    private let store: SessionStore
    private let users: UserStore
    private let random: RandomSource
    private let settings: SessionSettings
    private let cookieName: String
    private let secure: Bool
    private let log: Log

    /// `lastSeenAt` is written at most this often, so a busy user costs one write a minute,
    /// not one per page — or more often when the idle timeout itself is short.
    private var touchInterval: TimeInterval { min(60, settings.idleTimeout / 2) }

    init(store: SessionStore, users: UserStore, random: RandomSource, settings: SessionSettings, cookies: CookieSettings, log: Log) {
        self.log = log
        self.store = store
        self.users = users
        self.random = random
        self.settings = settings
        cookieName = cookies.name("Countersign.Session")
        secure = cookies.secure
    }

    /// The valid sign-in this request carries, or nil. Storage failures count as "not signed in"
    /// only after being logged: a broken database must not look like a working one.
    func current(request: Request, now: Date) -> SignIn? {
        guard let id = request.cookie(cookieName), let idHash = Self.hash(id) else { return nil }
        do {
            guard let session = try store.session(idHash: idHash) else { return nil }
            guard session.expiresAt > now, session.lastSeenAt.addingTimeInterval(settings.idleTimeout) > now else {
                try store.delete(idHash: idHash)
                return nil
            }
            guard let user = try users.user(id: session.userId), user.securityStamp == session.securityStamp else {
                try store.delete(idHash: idHash)
                return nil
            }
            if now.timeIntervalSince(session.lastSeenAt) >= touchInterval {
                try store.touch(idHash: idHash, at: now)
            }
            return SignIn(session: session, user: user)
        } catch {
            log.error("reading the session failed: \(error)")
            return nil
        }
    }

    /// Starts a sign-in with a fresh id (never reusing one the visitor brought: no fixation) and
    /// returns it with the Set-Cookie header value. With `persistent` the cookie outlives the
    /// browser session (RememberMe); otherwise it is a session cookie.
    func start(for user: UserRecord, persistent: Bool, now: Date) throws -> (SignIn, cookie: String) {
        let id = Base64URL.encode(random.bytes(32))
        let session = SessionRecord(
            idHash: Self.hash(id)!,
            userId: user.id,
            securityStamp: user.securityStamp,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: now.addingTimeInterval(settings.lifetime),
            persistent: persistent
        )
        try store.insert(session)
        let cookie = try SetCookie(
            name: cookieName, value: id, path: "/", maxAge: persistent ? Int(settings.lifetime) : nil,
            httpOnly: true, secure: secure, sameSite: .lax
        )
        return (SignIn(session: session, user: user), cookie.headerValue)
    }

    /// Ends this sign-in on the server and returns the header that deletes the cookie.
    func end(_ signIn: SignIn?) throws -> String {
        if let signIn { try store.delete(idHash: signIn.sessionIdHash) }
        return try SetCookie.deletion(name: cookieName, secure: secure).headerValue
    }

    /// Ends every sign-in of a user (after a password change or a verified phone number).
    func endAll(userId: String) throws {
        try store.deleteAll(userId: userId, except: nil)
    }

    /// Cookie ids are 43 base64url characters; anything else is not ours and is not looked up.
    private static func hash(_ id: String) -> String? {
        guard id.utf8.count == 43, Base64URL.decode(id) != nil else { return nil }
        return Hex.encode(Digest.sha256(Array(id.utf8)))
    }
}
