import Storage
import Web

/// POST `/DeletePersonalData` [auth]: after the current password, the user and everything tied
/// to it go — sign-ins, pending codes and recovery codes with the row (foreign keys), limits
/// keyed by the user or the address explicitly. Security events stay; they never held the
/// email or the name. The sign-in ends and the owner gets a last notice.
enum DeletePersonalData {
    static func post(_ context: RequestContext) throws -> Response {
        guard let signIn = context.signIn else { throw HTTPError(401, message: "Please sign in.") }
        let services = context.services
        let user = signIn.user
        if let problem = try CurrentPasswordCheck.problem(context.field("CurrentPassword") ?? "", context: context) {
            return try PersonalDataPage.render(error: problem, status: 422, context: context)
        }
        let deleted = try services.storage.transaction { () throws -> Bool in
            for key in ["phone-send:user:\(user.id)", "confirm-email:" + user.normalizedEmail, "reset-email:" + user.normalizedEmail] {
                try services.storage.rateLimits.forget(key: key)
            }
            return try services.storage.users.delete(userId: user.id)
        }
        guard deleted else { throw HTTPError(401, message: "Please sign in.") }
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "account-deleted", userId: user.id,
                                                         ipAddress: context.clientAddress))
        SecurityNotice.accountDeleted.send(to: user, context: context)
        context.addCookie(try services.sessions.end(nil))
        context.addCookie(try SetCookie.deletion(name: TwoFactorCookies(services: services).rememberName,
                                                 secure: services.settings.cookies.secure).headerValue)
        context.forgetSignIn()
        context.flash(.info, .accountDeleted)
        return context.redirect("/Login")
    }
}
