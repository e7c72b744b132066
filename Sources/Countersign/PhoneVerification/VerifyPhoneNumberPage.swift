import FoundationEssentials
import Phone
import Storage
import Web

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
        // including this one. Start a fresh session here so the user stays signed in —
        // until the end of the original sign-in, not a new lifetime.
        try AccountChange.restartSession(signIn, context: context)
        let before = signIn.user
        if before.phoneNumberConfirmed, let old = before.phoneNumber, old != context.user?.phoneNumber {
            try services.storage.events.append(SecurityEvent(time: context.now, kind: "phone-changed", userId: before.id,
                                                             ipAddress: context.clientAddress))
            SecurityNotice.phoneNumberChanged.send(to: before, context: context)
        }
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
        values.merge(FormErrors.values([:], order: [], summary: error)) { $1 }
        return try context.services.pages.page("verify-phone-number", title: title, values, status: status, context: context)
    }
}
