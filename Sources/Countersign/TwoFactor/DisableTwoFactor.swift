import Crypto
import Storage
import Web

/// POST `/DisableTwoFactor` [auth]: after the current password, two-factor sign-in off, the
/// recovery codes deleted and remembered browsers void (a new security stamp, which also ends
/// the user's other sign-ins; this browser gets a fresh session), and a notice.
enum DisableTwoFactor {
    static func post(_ context: RequestContext) throws -> Response {
        guard let signIn = context.signIn else { throw HTTPError(401, message: "Please sign in.") }
        let services = context.services
        if let problem = try CurrentPasswordCheck.problem(context.field("CurrentPassword") ?? "", context: context) {
            return try TwoFactorAuthenticationPage.render(errors: ["DisableTwoFactor": problem], status: 422, context: context)
        }
        let user = signIn.user
        let stamp = SecurityStamp.generate(random: services.random)
        try services.storage.transaction {
            try services.storage.users.setTwoFactorEnabled(userId: user.id, enabled: false)
            try services.storage.recoveryCodes.deleteAll(userId: user.id)
            try services.storage.users.updateSecurityStamp(userId: user.id, newSecurityStamp: stamp)
        }
        try AccountChange.restartSession(signIn, context: context)
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "two-factor-disabled", userId: user.id,
                                                         ipAddress: context.clientAddress))
        SecurityNotice.twoFactorDisabled.send(to: user, context: context)
        context.flash(.success, .twoFactorDisabled)
        return context.redirect("/TwoFactorAuthentication")
    }
}
