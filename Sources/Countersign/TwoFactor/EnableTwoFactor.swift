import Storage
import Web

/// POST `/EnableTwoFactor` [auth]: turns two-factor sign-in on (a verified phone is needed) and
/// shows a fresh set of recovery codes, this once.
enum EnableTwoFactor {
    static func post(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        guard user.phoneNumberConfirmed, user.phoneNumber != nil else {
            context.flash(.info, .twoFactorNeedsPhone)
            return context.redirect("/ConfirmPhoneNumber")
        }
        // Already on: a fresh set of codes needs the password (GenerateRecoveryCodes), so a
        // borrowed session cannot mint codes with this button.
        guard !user.twoFactorEnabled else { return context.redirect("/TwoFactorAuthentication") }
        let services = context.services
        let codes = try services.storage.transaction { () throws -> [String] in
            try services.storage.users.setTwoFactorEnabled(userId: user.id, enabled: true)
            return try RecoveryCodes(services: services).generate(for: user)
        }
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "two-factor-enabled", userId: user.id,
                                                         ipAddress: context.clientAddress))
        return try RecoveryCodesPage.render(codes: codes, justEnabled: true, context: context)
    }
}
