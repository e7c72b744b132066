import FoundationEssentials
import Phone
import Storage
import Web

/// GET/POST `/ForgotPassword`: `Email` and `Method` (`email`, the default, or `sms`). The answer
/// is the same 303 whether or not the address has an account, and whatever was sent; nothing is
/// sent for an unknown, unconfirmed or (for `sms`) phone-less account. With two-factor on, one
/// channel is never enough, so `sms` also mails the link and the link asks for a code.
enum ForgotPasswordPage {
    static let title = "Forgot your password?"

    static func get(_ context: RequestContext) throws -> Response {
        try render(email: context.field("Email") ?? "", method: "email", errors: [:], status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        let services = context.services
        let email = context.field("Email")?.trimmingSpaces ?? ""
        let method = context.field("Method")?.lowercased() == "sms" && services.settings.passwordReset.bySms ? "sms" : "email"
        if let problem = EmailAddress.problem(with: email) {
            return try render(email: email, method: method, errors: ["Email": problem], status: 422, context: context)
        }
        try LookupLimit.consume(context)
        if let user = try services.storage.users.user(normalizedEmail: EmailAddress.normalize(email)), user.emailConfirmed {
            if method == "sms" {
                sendCode(to: user, context: context)
                if user.twoFactorEnabled { try PasswordResetMailer(services: services).send(to: user, context: context) }
            } else {
                try PasswordResetMailer(services: services).send(to: user, context: context)
            }
        }
        if method == "sms" {
            context.addCookie(try ResetEmailCookie(services: services).cookie(email))
            return .redirect(to: context.path("/ForgotPasswordConfirmation") + "?Method=sms")
        }
        return context.redirect("/ForgotPasswordConfirmation")
    }

    /// A reset code to the verified number; refusals (limits, provider) are logged, not shown.
    private static func sendCode(to user: UserRecord, context: RequestContext) {
        guard user.phoneNumberConfirmed, let stored = user.phoneNumber,
              let number = try? context.services.settings.phone.parser.parse(stored) else { return }
        do {
            try context.services.phoneVerifier.send(to: number, user: user, clientAddress: context.clientAddress, purpose: .passwordReset)
        } catch {
            context.services.log.info("password-reset code for user \(user.id) not sent: \(error)")
        }
    }

    static func render(email: String, method: String, errors: [String: String], status: Int, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = [
            "email": .string(email),
            "bySms": .bool(context.services.settings.passwordReset.bySms),
            "methodSms": .bool(method == "sms"),
        ]
        values.merge(FormErrors.values(errors, order: ["Email"])) { $1 }
        return try context.services.pages.page("forgot-password", title: title, values, status: status, context: context)
    }
}
