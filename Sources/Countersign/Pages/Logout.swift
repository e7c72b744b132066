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
        var response = context.redirect("/Login")
        // The browser drops every cookie of this origin too (a copy of the session cookie, stale
        // antiforgery or two-factor cookies). A browser that clears after storing this answer's
        // own cookies loses the "signed out" flash; the sign-out itself is what matters.
        response.headers.append((name: "Clear-Site-Data", value: "\"cookies\""))
        return response
    }
}
