import FoundationEssentials
import Storage
import Web

/// The last step of every sign-in (password alone, password + SMS code, password + recovery
/// code): a fresh session, the `signed-in` event and the redirect to `ReturnUrl` or
/// `server.after_login`.
enum SignInCompletion {
    static func complete(_ user: UserRecord, persistent: Bool, returnUrl: String?, detail: String? = nil,
                         context: RequestContext) throws -> Response {
        let services = context.services
        if let previous = context.signIn { _ = try services.sessions.end(previous) }
        let (signIn, cookie) = try services.sessions.start(for: user, persistent: persistent, now: context.now,
                                                           clientAddress: context.clientAddress)
        context.addCookie(cookie)
        context.replaceSignIn(signIn)
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "signed-in", userId: user.id,
                                                         ipAddress: context.clientAddress, detail: detail))
        let target = returnUrl.flatMap { ReturnURL.isLocal($0) ? $0 : nil } ?? services.settings.server.afterLogin
        return .redirect(to: target)
    }
}
