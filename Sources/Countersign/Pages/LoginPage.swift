import Storage
import Web

/// GET/POST `/Login`: sign in with address and password.
enum LoginPage {
    static let title = "Log in"
    static let failureMessage = "Invalid login attempt."

    static func get(_ context: RequestContext) throws -> Response {
        try render(email: "", rememberMe: false, error: nil, unconfirmed: false, status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        let email = context.field("Email")?.trimmingSpaces ?? ""
        let password = context.field("Password") ?? ""
        // A checkbox arrives as "true" plus its hidden "false"; any "true" means checked.
        let rememberMe = context.form.values("RememberMe").contains { $0.lowercased() == "true" || $0.lowercased() == "on" }
        if email.isEmpty || password.isEmpty {
            return try render(email: email, rememberMe: rememberMe, error: failureMessage, unconfirmed: false, status: 422, context: context)
        }
        let failures = PasswordFailureLimit(services: context.services)
        try failures.check(clientAddress: context.clientAddress, now: context.now)
        switch try PasswordSignIn(services: context.services).attempt(email: email, password: password, now: context.now,
                                                                      clientAddress: context.clientAddress) {
        case .failed(let userId, let reason):
            try failures.record(clientAddress: context.clientAddress, now: context.now)
            try context.services.storage.events.append(SecurityEvent(time: context.now, kind: "sign-in-failed", userId: userId, ipAddress: context.clientAddress, phoneNumber: nil, detail: reason))
            return try render(email: email, rememberMe: rememberMe, error: failureMessage, unconfirmed: false, status: 422, context: context)
        case .emailNotConfirmed:
            return try render(email: email, rememberMe: rememberMe, error: "You must confirm your email before you can log in.", unconfirmed: true, status: 422, context: context)
        case .succeeded(let user):
            if user.twoFactorEnabled && !TwoFactorCookies(services: context.services).isRemembered(context.request, user: user) {
                return try TwoFactorStart.begin(user, rememberMe: rememberMe, returnUrl: returnURL(context), context: context)
            }
            return try SignInCompletion.complete(user, persistent: rememberMe, returnUrl: returnURL(context),
                                                 detail: user.twoFactorEnabled ? "remembered browser" : nil, context: context)
        }
    }

    static func returnURL(_ context: RequestContext) -> String? {
        guard let value = context.field("ReturnUrl"), ReturnURL.isLocal(value) else { return nil }
        return value
    }

    private static func render(email: String, rememberMe: Bool, error: String?, unconfirmed: Bool, status: Int, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = [
            "email": .string(email),
            "rememberMe": .bool(rememberMe),
            "unconfirmed": .bool(unconfirmed),
        ]
        if let error { values["error"] = .string(error) }
        values.merge(FormErrors.values([:], order: [], summary: error)) { $1 }
        if let returnUrl = returnURL(context) { values["returnUrl"] = .string(returnUrl) }
        return try context.services.pages.page("login", title: title, values, status: status, context: context)
    }
}
