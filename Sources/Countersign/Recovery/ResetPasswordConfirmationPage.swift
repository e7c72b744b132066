import Web

/// GET `/ResetPasswordConfirmation`.
enum ResetPasswordConfirmationPage {
    static func get(_ context: RequestContext) throws -> Response {
        try context.services.pages.page("reset-password-confirmation", title: "Password reset", context: context)
    }
}
