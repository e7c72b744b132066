import FoundationEssentials
import Phone
import Storage
import Web

/// POST `/ResendPhoneVerificationCode` [auth]: a new code to the pending number.
enum ResendPhoneVerificationCode {
    static func post(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        do {
            _ = try context.services.phoneVerifier.resend(user: user, clientAddress: context.clientAddress)
        } catch .nothingPending {
            context.flash(.info, .nothingPending)
            return context.redirect("/ConfirmPhoneNumber")
        } catch {
            return try PhoneErrors.answer(error, number: user.phoneNumber ?? "", context: context)
        }
        context.flash(.success, .codeResent)
        return context.redirect("/VerifyPhoneNumber")
    }
}
