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
/// The cookie holds an opaque random id (256 bits), sealed with `cookies.secret`
/// (`SignedCookieCodec`, until the session's absolute end); the store keeps only the id's SHA-256,
/// so a read of the database cannot be replayed as a cookie. Because the id is sealed, rotating
/// the secret without keeping the old one in `cookies.previous_secrets` signs everyone out —
/// what an operator needs after the secret leaked. A session ends at its absolute lifetime, after
/// `session.idle_timeout` unused, at sign-out, or when the user's security stamp changes
/// (password changed, phone verified) — the stamp is copied into the session at sign-in.
final class SignInSessions {
    private let store: SessionStore
    private let users: UserStore
    private let random: RandomSource
    private let settings: SessionSettings
    private let cookieName: String
    private let secure: Bool
    private let codec: SignedCookieCodec
    static let purpose = "Countersign.Session"
    private let log: Log

    /// `lastSeenAt` is written at most this often, so a busy user costs one write a minute,
    /// not one per page — or more often when the idle timeout itself is short.
    private var touchInterval: TimeInterval { min(60, settings.idleTimeout / 2) }

    init(store: SessionStore, users: UserStore, random: RandomSource, settings: SessionSettings, cookies: CookieSettings,
         codec: SignedCookieCodec, log: Log) {
        self.codec = codec
        self.log = log
        self.store = store
        self.users = users
        self.random = random
        self.settings = settings
        cookieName = cookies.name("Countersign.Session")
        secure = cookies.secure
    }

    /// The valid sign-in this request carries, or nil. Storage failures count as "not signed in"
    /// only after being logged: a broken database must not look like a working one. A storage
    /// that does not answer at all is thrown (`StorageError.unavailable`): the request gets 503,
    /// not a sign-in page that would look like the visitor was signed out.
    func current(request: Request, now: Date) throws -> SignIn? {
        guard let value = request.cookie(cookieName), let sealed = codec.open(value, purpose: Self.purpose),
              let idHash = Self.hash(String(decoding: sealed, as: UTF8.self)) else { return nil }
        do {
            // One indexed lookup for both: this runs on every signed-in request and every /Auth.
            guard let (session, user) = try store.sessionAndUser(idHash: idHash) else { return nil }
            guard session.expiresAt > now, session.lastSeenAt.addingTimeInterval(settings.idleTimeout) > now,
                  user.securityStamp == session.securityStamp else {
                try store.delete(idHash: idHash)
                return nil
            }
            if now.timeIntervalSince(session.lastSeenAt) >= touchInterval {
                try store.touch(idHash: idHash, at: now)
            }
            return SignIn(session: session, user: user)
        } catch let error as StorageError {
            if case .unavailable = error { throw error }
            log.error("reading the session failed: \(error)")
            return nil
        } catch {
            log.error("reading the session failed: \(error)")
            return nil
        }
    }

    /// Starts a sign-in with a fresh id (never reusing one the visitor brought: no fixation) and
    /// returns it with the Set-Cookie header value. With `persistent` the cookie outlives the
    /// browser session (RememberMe); otherwise it is a session cookie.
    ///
    /// - Parameter expiresAt: the absolute end of a sign-in that is being re-issued (after a
    ///   verified phone number or a password change): the new session ends when the old one
    ///   would have, so re-issuing never extends a sign-in. nil: `session.lifetime` from now.
    func start(for user: UserRecord, persistent: Bool, now: Date, expiresAt: Date? = nil,
               clientAddress: String? = nil) throws -> (SignIn, cookie: String) {
        let id = Base64URL.encode(random.bytes(32))
        let session = SessionRecord(
            idHash: Self.hash(id)!,
            userId: user.id,
            securityStamp: user.securityStamp,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: expiresAt.map { min($0, now.addingTimeInterval(settings.lifetime)) } ?? now.addingTimeInterval(settings.lifetime),
            persistent: persistent,
            clientAddress: clientAddress
        )
        try store.insert(session)
        let lifetime = max(1, Int(session.expiresAt.timeIntervalSince(now).rounded(.up)))
        let cookie = try SetCookie(
            name: cookieName, value: codec.seal(Array(id.utf8), purpose: Self.purpose, expiresAt: session.expiresAt),
            path: "/", maxAge: persistent ? lifetime : nil,
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
