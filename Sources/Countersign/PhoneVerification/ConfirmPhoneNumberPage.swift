import FoundationEssentials
import Phone
import Storage
import Web

/// GET `/ConfirmPhoneNumber` [auth]: the number to verify, pre-filled with the stored one.
enum ConfirmPhoneNumberPage {
    static let title = "Verify Phone Number"

    static func get(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        return try render(number: user.phoneNumber ?? "", error: nil, status: 200, context: context)
    }

    static func render(number: String, error: String?, passwordError: String? = nil, removeError: String? = nil, status: Int,
                       context: RequestContext) throws -> Response {
        let user = context.user
        var values: [String: TemplateValue] = [
            "phoneNumber": .string(number),
            "digits": .string(String(context.services.phoneSettings.codeLength)),
            "verified": .bool(user?.phoneNumberConfirmed == true && user?.phoneNumber == number),
            "hasVerifiedNumber": .bool(user?.phoneNumberConfirmed == true && user?.phoneNumber != nil),
            "hasNumber": .bool(user?.phoneNumber != nil),
            "twoFactor": .bool(user?.twoFactorEnabled == true),
        ]
        if let stored = user?.phoneNumber, let parsed = try? context.services.settings.phone.parser.parse(stored) {
            values["maskedNumber"] = .string(parsed.masked)
        }
        var errors: [String: String] = [:]
        if let error { errors["PhoneNumber"] = error }
        if let passwordError { errors["CurrentPassword"] = passwordError }
        if let removeError { errors["RemovePassword"] = removeError }
        values.merge(FormErrors.values(errors, order: ["PhoneNumber", "CurrentPassword", "RemovePassword"], summary: error)) { $1 }
        if let error { values["error"] = .string(error) }
        return try context.services.pages.page("confirm-phone-number", title: title, values, status: status, context: context)
    }
}
