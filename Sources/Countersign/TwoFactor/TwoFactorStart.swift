import FoundationEssentials
import Messaging
import Phone
import Storage
import Web

/// After the right password of a user with two-factor sign-in on: a sign-in code to the
/// verified number, the half-signed-in cookie, and 303 to `/LoginWith2fa`. The visitor is not
/// signed in until the code (or a recovery code) is given.
enum TwoFactorStart {
    static func begin(_ user: UserRecord, rememberMe: Bool, returnUrl: String?, context: RequestContext) throws -> Response {
        let cookies = TwoFactorCookies(services: context.services)
        // A sign-in that was running in this browser ends: the half-signed-in state replaces it.
        if let previous = context.signIn {
            context.addCookie(try context.services.sessions.end(previous))
            context.forgetSignIn()
        }
        context.addCookie(try cookies.pendingCookie(for: user, rememberMe: rememberMe, returnUrl: returnUrl))
        try context.services.storage.events.append(SecurityEvent(time: context.now, kind: "two-factor-required", userId: user.id,
                                                                 ipAddress: context.clientAddress))
        if send(to: user, context: context) != nil {
            // The code page must not claim a text is on its way.
            context.flash(.error, .signInCodeNotSent)
        }
        let query = returnUrl.map { "?ReturnUrl=" + FormEncoding.percentEncode($0) } ?? ""
        return .redirect(to: context.path("/LoginWith2fa") + query)
    }

    /// Sends a sign-in code to the verified number. A refusal (cooldown: a code went out a
    /// moment ago, and still works) does not stop the sign-in; the code page offers a resend and
    /// recovery codes. Returns the refusal for callers that answer it.
    @discardableResult
    static func send(to user: UserRecord, context: RequestContext) -> PhoneVerificationError? {
        guard user.phoneNumberConfirmed, let stored = user.phoneNumber,
              let number = try? context.services.settings.phone.parser.parse(stored) else {
            context.services.log.error("two-factor sign-in of user \(user.id): no verified number to send a code to")
            return .nothingPending
        }
        do {
            try context.services.phoneVerifier.send(to: number, user: user, clientAddress: context.clientAddress, purpose: .signIn)
            return nil
        } catch {
            context.services.log.info("sign-in code for user \(user.id) not sent: \(error)")
            return error
        }
    }
}
