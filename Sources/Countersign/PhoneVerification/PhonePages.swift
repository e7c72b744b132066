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
        case .failure(let problem): return try ConfirmPhoneNumberPage.render(number: input, error: problem.message, status: 422, context: context)
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

/// GET/POST `/VerifyPhoneNumber` [auth]: the code form (with resend), and its check.
enum VerifyPhoneNumberPage {
    static let title = "Enter your code"
    static let wrongCode = "Either the token has expired or you entered an invalid token."

    static func get(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        guard let pending = try context.services.phoneVerifier.pending(userId: user.id) else {
            context.flash(.info, .nothingPending)
            return context.redirect("/ConfirmPhoneNumber")
        }
        return try render(pending: pending, error: nil, status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        guard let signIn = context.signIn else { throw HTTPError(401, message: "Please sign in.") }
        let code = (context.field("Token") ?? "").filter { !$0.isWhitespace }
        let services = context.services
        // An empty field is a slip, not a guess: it does not cost one of the allowed attempts.
        guard !code.isEmpty else {
            let pending = try services.phoneVerifier.pending(userId: signIn.user.id)
            return try render(pending: pending, error: "The Code field is required.", status: 422, context: context)
        }
        do {
            _ = try services.phoneVerifier.verify(code: code, user: signIn.user, clientAddress: context.clientAddress)
        } catch {
            switch error {
            case .wrongCode, .expired:
                let pending = try services.phoneVerifier.pending(userId: signIn.user.id)
                return try render(pending: pending, error: wrongCode, status: 422, context: context)
            case .burned:
                return try render(pending: nil, error: error.userMessage, status: 422, context: context)
            case .nothingPending:
                return try render(pending: nil, error: wrongCode, status: 422, context: context)
            default:
                return try PhoneErrors.answer(error, number: signIn.user.phoneNumber ?? "", context: context)
            }
        }
        // The verification changed the security stamp, which ends every sign-in of this user —
        // including this one. Start a fresh session here so the user stays signed in.
        guard let user = try services.storage.users.user(id: signIn.user.id) else { throw HTTPError(401, message: "Please sign in.") }
        try services.sessions.endAll(userId: user.id)
        let (newSignIn, cookie) = try services.sessions.start(for: user, persistent: signIn.session.persistent, now: context.now)
        context.addCookie(cookie)
        context.replaceSignIn(newSignIn)
        return context.redirect("/PhoneVerificationSuccessful")
    }

    static func render(pending: PendingVerification?, error: String?, status: Int, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = ["digits": .string(String(context.services.phoneSettings.codeLength))]
        if let pending {
            let parsed = try? context.services.settings.phone.parser.parse(pending.phoneNumber)
            values["maskedNumber"] = .string(parsed?.masked ?? pending.phoneNumber)
            if pending.isExpired(at: context.now) {
                values["expired"] = true
            } else {
                let minutes = max(1, Int((pending.expiresAt.timeIntervalSince(context.now) / 60).rounded(.up)))
                values["minutes"] = .string(minutes == 1 ? "1 minute" : "\(minutes) minutes")
            }
            values["pending"] = true
        }
        if let error { values["error"] = .string(error) }
        return try context.services.pages.page("verify-phone-number", title: title, values, status: status, context: context)
    }
}

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

/// GET `/PhoneVerificationSuccessful` [auth].
enum PhoneVerificationSuccessfulPage {
    static func get(_ context: RequestContext) throws -> Response {
        guard let user = context.user else { throw HTTPError(401, message: "Please sign in.") }
        let masked = user.phoneNumber.flatMap { try? context.services.settings.phone.parser.parse($0).masked } ?? ""
        return try context.services.pages.page("phone-verification-successful", title: "Phone number verified", ["maskedNumber": .string(masked)], context: context)
    }
}

/// How verification failures that are not about the code itself are answered.
enum PhoneErrors {
    static func answer(_ error: PhoneVerificationError, number: String, context: RequestContext) throws -> Response {
        switch error {
        case .limited(let retryAt, _):
            throw RetryAfter.error(retryAt: retryAt, now: context.now, what: error.userMessage)
        case .sendFailed(let failure) where failure.kind == .recipient:
            // The provider says this number cannot get texts: a problem with the input, not an outage.
            return try ConfirmPhoneNumberPage.render(number: number, error: error.userMessage, status: 422, context: context)
        case .sendFailed, .checkFailed:
            Log.error("phone verification for user \(context.user?.id ?? "?"): \(error)")
            return try ConfirmPhoneNumberPage.render(number: number, error: error.userMessage, status: 503, context: context)
        case .numberRefused:
            return try ConfirmPhoneNumberPage.render(number: number, error: error.userMessage, status: 422, context: context)
        case .nothingPending:
            context.flash(.info, .nothingPending)
            return context.redirect("/ConfirmPhoneNumber")
        default:
            Log.error("phone verification for user \(context.user?.id ?? "?") failed: \(error)")
            throw HTTPError(500, message: "Something went wrong.")
        }
    }
}
