import Storage
import Web

/// POST `/GenerateRecoveryCodes` [auth]: a new set of recovery codes (the old set stops working),
/// after the current password. With two-factor off there is nothing to recover: back to the page.
enum GenerateRecoveryCodes {
    static func post(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        guard user.twoFactorEnabled else { return context.redirect("/TwoFactorAuthentication") }
        if let problem = try CurrentPasswordCheck.problem(context.field("CurrentPassword") ?? "", context: context) {
            return try TwoFactorAuthenticationPage.render(errors: ["GenerateRecoveryCodes": problem], status: 422, context: context)
        }
        let codes = try RecoveryCodes(services: context.services).generate(for: user)
        try context.services.storage.events.append(SecurityEvent(time: context.now, kind: "recovery-codes-generated", userId: user.id,
                                                                 ipAddress: context.clientAddress))
        return try RecoveryCodesPage.render(codes: codes, justEnabled: false, context: context)
    }
}
