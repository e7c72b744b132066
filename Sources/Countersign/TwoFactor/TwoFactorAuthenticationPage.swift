import Storage
import Web

/// GET `/TwoFactorAuthentication` [auth]: whether two-factor sign-in is on, how many recovery
/// codes are left, and the forms to turn it on or off and to make new codes.
enum TwoFactorAuthenticationPage {
    static let title = "Two-factor authentication"

    static func get(_ context: RequestContext) throws -> Response {
        try render(errors: [:], status: 200, context: context)
    }

    /// `errors` keyed `DisableTwoFactor` or `GenerateRecoveryCodes`: the password field of that form.
    static func render(errors: [String: String], status: Int, context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        let services = context.services
        let left = try services.storage.recoveryCodes.count(userId: user.id)
        var values: [String: TemplateValue] = [
            "enabled": .bool(user.twoFactorEnabled),
            "phoneVerified": .bool(user.phoneNumberConfirmed && user.phoneNumber != nil),
            "codesLeft": .string(String(left)),
            "fewCodesLeft": .bool(user.twoFactorEnabled && left <= 3),
            "noCodesLeft": .bool(user.twoFactorEnabled && left == 0),
        ]
        if let phone = user.phoneNumber, let parsed = try? services.settings.phone.parser.parse(phone) {
            values["maskedNumber"] = .string(parsed.masked)
        }
        var fieldErrors: [String: String] = [:]
        if let error = errors["DisableTwoFactor"] { fieldErrors["DisablePassword"] = error }
        if let error = errors["GenerateRecoveryCodes"] { fieldErrors["GeneratePassword"] = error }
        values.merge(FormErrors.values(fieldErrors, order: ["DisablePassword", "GeneratePassword"])) { $1 }
        return try services.pages.page("two-factor-authentication", title: title, values, status: status, context: context)
    }
}
