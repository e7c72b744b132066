import Storage
import Web

/// POST `/Logout`: ends the sign-in on the server, not just in the browser.
enum Logout {
    static func post(_ context: RequestContext) throws -> Response {
        if let signIn = context.signIn {
            try context.services.storage.events.append(SecurityEvent(time: context.now, kind: .signedOut, userId: signIn.user.id, ipAddress: context.clientAddress))
        }
        context.addCookie(try context.services.sessions.end(context.signIn))
        context.forgetSignIn()
        context.flash(.info, .signedOut)
        return context.redirect("/Login")
    }
}
