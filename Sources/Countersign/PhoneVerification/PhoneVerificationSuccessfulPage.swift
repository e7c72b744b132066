import FoundationEssentials
import Phone
import Storage
import Web

/// GET `/PhoneVerificationSuccessful` [auth].
enum PhoneVerificationSuccessfulPage {
    static func get(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        let masked = user.phoneNumber.flatMap { try? context.services.settings.phone.parser.parse($0).masked } ?? ""
        return try context.services.pages.page("phone-verification-successful", title: "Phone number verified", ["maskedNumber": .string(masked)], context: context)
    }
}
