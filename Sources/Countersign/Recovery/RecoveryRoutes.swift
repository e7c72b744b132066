import Web

/// The forgotten-password routes (CONTRACT.md §3, §7): for visitors who are not signed in.
enum RecoveryRoutes {
    static func add(to router: inout Router<Route>) {
        func add(_ path: String, _ method: String, _ handle: @escaping (RequestContext) throws -> Response) {
            router.add(path, methods: [method], handler: Route(handle: handle))
        }
        add("/ForgotPassword", "GET", ForgotPasswordPage.get)
        add("/ForgotPassword", "POST", ForgotPasswordPage.post)
        add("/ForgotPasswordConfirmation", "GET", ForgotPasswordConfirmationPage.get)
        add("/ResetPassword", "GET", ResetPasswordPage.get)
        add("/ResetPassword", "POST", ResetPasswordPage.post)
        add("/ResetPasswordConfirmation", "GET", ResetPasswordConfirmationPage.get)
    }
}
