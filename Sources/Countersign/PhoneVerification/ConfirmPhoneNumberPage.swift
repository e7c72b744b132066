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

    static func render(number: String, error: String?, status: Int, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = [
            "phoneNumber": .string(number),
            "digits": .string(String(context.services.phoneSettings.codeLength)),
            "verified": .bool(context.user?.phoneNumberConfirmed == true && context.user?.phoneNumber == number),
        ]
        if let error { values["error"] = .string(error) }
        return try context.services.pages.page("confirm-phone-number", title: title, values, status: status, context: context)
    }
}
