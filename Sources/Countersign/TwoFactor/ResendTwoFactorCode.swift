import FoundationEssentials
import Messaging
import Phone
import Storage
import Web

/// POST `/ResendTwoFactorCode`: a new sign-in code to the verified number, under the cooldown
/// and limits of every code (429 beyond them).
enum ResendTwoFactorCode {
    static func post(_ context: RequestContext) throws -> Response {
        guard let (pending, user) = try TwoFactorCookies(services: context.services).pending(context.request) else {
            return LoginWith2faPage.startOver(context)
        }
        switch TwoFactorStart.send(to: user, context: context) {
        case nil:
            context.flash(.success, .signInCodeResent)
            // The new code lives tokens.lifetime: so does the half-signed-in state from now.
            context.addCookie(try TwoFactorCookies(services: context.services).pendingCookie(
                for: user, rememberMe: pending.rememberMe, returnUrl: pending.returnUrl))
        case .limited(let retryAt, _)?:
            throw HTTPError.tooManyRequests(retryAfter: retryAt.timeIntervalSince(context.now), what: "A code was sent a moment ago, or too many were requested.")
        case let error?:
            return try LoginWith2faPage.render(user: user, pending: pending, error: error.userMessage, rememberMachine: false,
                                               status: 503, context: context)
        }
        let query = pending.returnUrl.map { "?ReturnUrl=" + FormEncoding.percentEncode($0) } ?? ""
        return .redirect(to: context.path("/LoginWith2fa") + query)
    }
}
