import Phone
import Web

/// GET `/Manage` [auth]: who you are, whether your email and phone are confirmed, and links.
enum ManagePage {
    static func get(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        var values: [String: TemplateValue] = [
            "firstName": .string(user.firstName),
            "lastName": .string(user.lastName ?? ""),
            "email": .string(user.email),
            "emailConfirmed": .bool(user.emailConfirmed),
            "phoneVerified": .bool(user.phoneNumberConfirmed),
            "twoFactor": .bool(user.twoFactorEnabled),
        ]
        if let phone = user.phoneNumber { values["phoneNumber"] = .string(phone) }
        return try context.services.pages.page("manage", title: "Your account", values, context: context)
    }
}
