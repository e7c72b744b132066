import Web

/// Renders a page template inside the shared layout, with what every page shows: the app name,
/// the navigation for a signed-in or anonymous visitor, flash messages and the antiforgery token.
struct PageRenderer {
    let templates: TemplateEngine

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
