import Web

/// Renders a page template inside the shared layout, with what every page shows: the app name,
/// the navigation for a signed-in or anonymous visitor, flash messages and the antiforgery token.
struct PageRenderer {
    let templates: TemplateEngine

    /// Every template the app renders. A `templates.dir` missing one is refused at start-up
    /// (and by `check-config`), not discovered as a 500 on the first visit of that page.
    static let requiredHTML = [
        "layout", "error", "register", "registration-successful", "confirm-email", "login", "manage",
        "change-password", "confirm-phone-number", "verify-phone-number", "phone-verification-successful",
        "email-confirm", "error-summary", "two-factor-authentication", "recovery-codes", "login-with-2fa",
        "login-with-recovery-code", "forgot-password", "forgot-password-confirmation", "reset-password",
        "reset-password-confirmation", "personal-data", "email-notice", "email-reset-password",
    ]
    static let requiredText = ["email-confirm", "email-notice", "email-reset-password"]

    /// Loads the templates folder and checks that nothing the app needs is missing.
    static func loadTemplates(directory: String) throws(TemplateError) -> TemplateEngine {
        let engine = try TemplateEngine(directory: directory)
        let missing = requiredHTML.filter { !engine.names.contains($0) }.map { $0 + ".html" }
            + requiredText.filter { !engine.textNames.contains($0) }.map { $0 + ".txt" }
        if !missing.isEmpty {
            throw TemplateError(file: directory, line: nil, message: "templates missing: \(missing.joined(separator: ", "))")
        }
        return engine
    }

    func page(_ name: String, title: String, _ values: [String: TemplateValue] = [:], status: Int = 200, context: RequestContext) throws -> Response {
        var common = commonValues(context: context)
        common["title"] = .string(title)
        let content = try templates.render(name, common.merging(values) { _, page in page })
        common["content"] = .html(content)
        return .html(try templates.render("layout", common), status: status)
    }

    private func commonValues(context: RequestContext) -> [String: TemplateValue] {
        let settings = context.services.settings.server
        var values: [String: TemplateValue] = [
            "appName": .string(settings.appName),
            "mount": .string(settings.mount),
            "antiforgery": .string(context.antiforgeryToken),
            "flash": .list(context.incomingFlash.compactMap { message in
                guard let text = FlashText(key: message.key) else { return nil }
                return ["kind": .string(message.kind.rawValue), "text": .string(text.text)]
            }),
        ]
        if let user = context.user {
            values["signedIn"] = .bool(true)
            values["user"] = [
                "email": .string(user.email),
                "firstName": .string(user.firstName),
            ]
        }
        return values
    }
}
