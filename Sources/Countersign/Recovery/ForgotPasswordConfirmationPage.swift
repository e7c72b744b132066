import Web

/// GET `/ForgotPasswordConfirmation`: "check your inbox"; after `Method=sms` the form for the
/// texted code and the new password.
enum ForgotPasswordConfirmationPage {
    static func get(_ context: RequestContext) throws -> Response {
        if context.field("Method")?.lowercased() == "sms" {
            return try ResetPasswordPage.renderCodeForm(email: ResetEmailCookie(services: context.services).email(context.request) ?? "",
                                                        errors: [:], status: 200, page: "forgot-password-confirmation", context: context)
        }
        return try context.services.pages.page("forgot-password-confirmation", title: "Check your inbox", ["byEmail": true], context: context)
    }
}
