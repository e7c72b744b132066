import FoundationEssentials
import Storage
import Web

/// GET/POST `/LoginWithRecoveryCode`: one unused recovery code instead of the SMS code. A right
/// code is spent and the owner gets a notice; a wrong one counts as a failed sign-in.
enum LoginWithRecoveryCodePage {
    static let title = "Recovery code verification"
    static let wrongCode = "Invalid recovery code entered."

    static func get(_ context: RequestContext) throws -> Response {
        guard let (pending, _) = try TwoFactorCookies(services: context.services).pending(context.request) else {
            return LoginWith2faPage.startOver(context)
        }
        return try render(pending: pending, error: nil, status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        let services = context.services
        let cookies = TwoFactorCookies(services: services)
        guard let (pending, user) = try cookies.pending(context.request) else { return LoginWith2faPage.startOver(context) }
        let typed = context.field("RecoveryCode") ?? ""
        guard !RecoveryCodes.normalize(typed).isEmpty else {
            return try render(pending: pending, error: "The Recovery Code field is required.", status: 422, context: context)
        }
        guard !FailedSignIn.isLockedOut(user, now: context.now),
              try RecoveryCodes(services: services).redeem(typed, userId: user.id) else {
            if !FailedSignIn.isLockedOut(user, now: context.now) {
                try FailedSignIn.record(user, services: services, now: context.now, clientAddress: context.clientAddress)
            }
            try services.storage.events.append(SecurityEvent(time: context.now, kind: "recovery-code-refused", userId: user.id,
                                                             ipAddress: context.clientAddress))
            return try render(pending: pending, error: wrongCode, status: 422, context: context)
        }
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "recovery-code-used", userId: user.id,
                                                         ipAddress: context.clientAddress))
        SecurityNotice.recoveryCodeUsed.send(to: user, context: context)
        context.addCookie(try cookies.clearPending())
        return try SignInCompletion.complete(user, persistent: pending.rememberMe, returnUrl: LoginPage.returnURL(context) ?? pending.returnUrl,
                                             detail: "two-factor: recovery code", context: context)
    }

    static func render(pending: TwoFactorCookies.Pending, error: String?, status: Int, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = [:]
        if let returnUrl = LoginPage.returnURL(context) ?? pending.returnUrl { values["returnUrl"] = .string(returnUrl) }
        values.merge(FormErrors.values(error.map { ["RecoveryCode": $0] } ?? [:], order: ["RecoveryCode"], summary: error)) { $1 }
        return try context.services.pages.page("login-with-recovery-code", title: title, values, status: status, context: context)
    }
}
