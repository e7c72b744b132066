import FoundationEssentials
import Phone
import Storage
import Web

/// GET/POST `/LoginWith2fa`: the SMS code of a two-factor sign-in. Only with the half-signed-in
/// cookie of the password step; without it (or once it expired) back to `/Login`.
enum LoginWith2faPage {
    static let title = "Two-factor authentication"
    static let wrongCode = "Invalid authenticator code."

    static func get(_ context: RequestContext) throws -> Response {
        guard let (pending, user) = try TwoFactorCookies(services: context.services).pending(context.request) else {
            return startOver(context)
        }
        return try render(user: user, pending: pending, error: nil, rememberMachine: false, status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        let services = context.services
        let cookies = TwoFactorCookies(services: services)
        guard let (pending, user) = try cookies.pending(context.request) else { return startOver(context) }
        let rememberMachine = context.form.values("RememberMachine").contains { ["true", "on"].contains($0.lowercased()) }
        let code = (context.field("TwoFactorCode") ?? "").filter { !$0.isWhitespace }
        guard !code.isEmpty else {
            // A slip, not a guess: it costs no attempt.
            return try render(user: user, pending: pending, error: "The Code field is required.", rememberMachine: rememberMachine,
                              status: 422, context: context)
        }
        if FailedSignIn.isLockedOut(user, now: context.now) {
            return try render(user: user, pending: pending, error: LoginPage.failureMessage, rememberMachine: rememberMachine,
                              status: 422, context: context)
        }
        do {
            try services.phoneVerifier.verify(code: code, user: user, clientAddress: context.clientAddress, purpose: .signIn)
        } catch {
            switch error {
            case .wrongCode, .expired, .nothingPending:
                return try render(user: user, pending: pending, error: wrongCode, rememberMachine: rememberMachine, status: 422, context: context)
            case .burned:
                return try render(user: user, pending: pending, error: "Too many wrong codes. Use “Send a new code”, or a recovery code.",
                                  rememberMachine: rememberMachine, status: 422, context: context)
            case .checkFailed:
                context.services.log.error("sign-in code check for user \(user.id): \(error)")
                return try render(user: user, pending: pending, error: error.userMessage, rememberMachine: rememberMachine, status: 503, context: context)
            default:
                context.services.log.error("sign-in code check for user \(user.id) failed: \(error)")
                throw HTTPError(500, message: "Something went wrong.")
            }
        }
        context.addCookie(try cookies.clearPending())
        if rememberMachine, let remember = try cookies.rememberCookie(for: user) { context.addCookie(remember) }
        let returnUrl = LoginPage.returnURL(context) ?? pending.returnUrl
        return try SignInCompletion.complete(user, persistent: pending.rememberMe, returnUrl: returnUrl, detail: "two-factor: sms code",
                                             context: context)
    }

    /// No (valid) half-signed-in state: the password step again.
    static func startOver(_ context: RequestContext) -> Response {
        context.flash(.info, .signInAgain)
        return context.redirect("/Login")
    }

    static func render(user: UserRecord, pending: TwoFactorCookies.Pending, error: String?, rememberMachine: Bool, status: Int,
                       context: RequestContext) throws -> Response {
        let services = context.services
        var values: [String: TemplateValue] = [
            "digits": .string(String(services.phoneSettings.codeLength)),
            "rememberMachine": .bool(rememberMachine),
            "canRemember": .bool(services.settings.twoFactor.rememberLifetime > 0),
            "rememberDays": .string(describe(services.settings.twoFactor.rememberLifetime)),
        ]
        if let phone = user.phoneNumber, let parsed = try? services.settings.phone.parser.parse(phone) {
            values["maskedNumber"] = .string(parsed.masked)
        }
        if let returnUrl = LoginPage.returnURL(context) ?? pending.returnUrl { values["returnUrl"] = .string(returnUrl) }
        values.merge(FormErrors.values(error.map { ["TwoFactorCode": $0] } ?? [:], order: ["TwoFactorCode"], summary: error)) { $1 }
        return try services.pages.page("login-with-2fa", title: title, values, status: status, context: context)
    }

    /// "30 days", "12 hours".
    static func describe(_ seconds: TimeInterval) -> String {
        let days = Int((seconds / 86_400).rounded(.down))
        if days >= 1 { return days == 1 ? "1 day" : "\(days) days" }
        let hours = max(1, Int((seconds / 3600).rounded(.up)))
        return hours == 1 ? "1 hour" : "\(hours) hours"
    }
}
