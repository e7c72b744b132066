import FoundationEssentials
import Phone
import Storage
import Web

/// POST `/SendPhoneVerificationCode` [auth]: texts a code to the number and moves on to the
/// code form. A bad or refused number: 422 with the form and why; a limit: 429.
enum SendPhoneVerificationCode {
    static func post(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        let input = context.field("PhoneNumber")?.trimmingSpaces ?? ""
        guard !input.isEmpty else {
            return try ConfirmPhoneNumberPage.render(number: input, error: "The Phone Number field is required.", status: 422, context: context)
        }
        let number: PhoneNumber
        switch Result(catching: { () throws(PhoneNumberProblem) in try context.services.settings.phone.parser.parse(input) }) {
        case .success(let parsed): number = parsed
        case .failure(let problem):
            // A number from a region not served, or of a type that cannot get texts (premium rate),
            // is what SMS pumping tries first: worth an event, without the number.
            var detail: String?
            switch problem {
            case .regionNotAccepted(let region): detail = "region \(region) not allowed"
            case .cannotReceiveTexts(let type): detail = "number type \(type) cannot receive texts"
            default: break
            }
            if let detail {
                try context.services.storage.events.append(SecurityEvent(time: context.now, kind: "number-refused", userId: user.id,
                                                                         ipAddress: context.clientAddress, detail: detail))
            }
            return try ConfirmPhoneNumberPage.render(number: input, error: problem.message, status: 422, context: context)
        }
        // Replacing a verified number needs the password: a stolen session alone must not move
        // the account's second factor to another phone. The verified number stays until the
        // new one is verified.
        if user.phoneNumberConfirmed, let stored = user.phoneNumber, stored != number.e164,
           let problem = try CurrentPasswordCheck.problem(context.field("CurrentPassword") ?? "", context: context) {
            return try ConfirmPhoneNumberPage.render(number: input, error: nil, passwordError: problem, status: 422, context: context)
        }
        do {
            _ = try context.services.phoneVerifier.send(to: number, user: user, clientAddress: context.clientAddress)
        } catch {
            return try PhoneErrors.answer(error, number: input, context: context)
        }
        context.flash(.success, .codeSent)
        return context.redirect("/VerifyPhoneNumber")
    }
}
