import FoundationEssentials
import Phone
import Storage
import Web

/// How verification failures that are not about the code itself are answered.
enum PhoneErrors {
    static func answer(_ error: PhoneVerificationError, number: String, context: RequestContext) throws -> Response {
        switch error {
        case .limited(let retryAt, _):
            throw HTTPError.tooManyRequests(retryAfter: retryAt.timeIntervalSince(context.now), what: error.userMessage)
        case .sendFailed(let failure) where failure.kind == .recipient:
            // The provider says this number cannot get texts: a problem with the input, not an outage.
            return try ConfirmPhoneNumberPage.render(number: number, error: error.userMessage, status: 422, context: context)
        case .sendFailed, .checkFailed:
            context.services.log.error("phone verification for user \(context.user?.id ?? "?"): \(error)")
            return try ConfirmPhoneNumberPage.render(number: number, error: error.userMessage, status: 503, context: context)
        case .numberRefused:
            return try ConfirmPhoneNumberPage.render(number: number, error: error.userMessage, status: 422, context: context)
        case .nothingPending:
            context.flash(.info, .nothingPending)
            return context.redirect("/ConfirmPhoneNumber")
        default:
            context.services.log.error("phone verification for user \(context.user?.id ?? "?") failed: \(error)")
            throw HTTPError(500, message: "Something went wrong.")
        }
    }
}
