import Storage
import Web

/// After a change that gave the user a new security stamp (which ends every sign-in bound to the
/// old one): ends the others and gives this browser a fresh session, so the user who made the
/// change stays signed in — until the original sign-in would have ended, never longer.
enum AccountChange {
    static func restartSession(_ signIn: SignIn, context: RequestContext) throws {
        let services = context.services
        guard let updated = try services.storage.users.user(id: signIn.user.id) else { throw HTTPError(401, message: "Please sign in.") }
        try services.sessions.endAll(userId: updated.id)
        let (newSignIn, cookie) = try services.sessions.start(for: updated, persistent: signIn.session.persistent, now: context.now,
                                                              expiresAt: signIn.session.expiresAt,
                                                              clientAddress: context.clientAddress)
        context.addCookie(cookie)
        context.replaceSignIn(newSignIn)
    }
}
