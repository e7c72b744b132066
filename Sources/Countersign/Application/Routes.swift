import Web

/// The route table of CONTRACT.md §3: one line per route.
enum Routes {
    static func table(mount: String) -> Router<Route> {
        var router = Router<Route>(mount: mount)
        func add(_ path: String, _ method: String, _ route: Route) { router.add(path, methods: [method], handler: route) }

        add("/Register", "GET", Route(handle: RegisterPage.get))
        add("/Register", "POST", Route(handle: RegisterPage.post))
        add("/IsEmailAvailable", "GET", Route(handle: IsEmailAvailable.get))
        add("/RegistrationSuccessful", "GET", Route(handle: RegistrationSuccessfulPage.get))
        add("/ConfirmEmail", "GET", Route(handle: ConfirmEmailPage.get))
        add("/ResendConfirmationEmail", "POST", Route(handle: ResendConfirmationEmail.post))
        add("/Login", "GET", Route(handle: LoginPage.get))
        add("/Login", "POST", Route(repeatableFields: ["RememberMe"], handle: LoginPage.post))
        add("/Logout", "POST", Route(handle: Logout.post))
        add("/Manage", "GET", Route(access: .signedIn(returnTo: nil), handle: ManagePage.get))
        add("/ChangePassword", "GET", Route(access: .signedIn(returnTo: nil), handle: ChangePasswordPage.get))
        add("/ChangePassword", "POST", Route(access: .signedIn(returnTo: "/ChangePassword"), handle: ChangePasswordPage.post))
        router.addAnyMethod("/Auth", handler: Route(isAuthCheck: true, handle: AuthCheck.handle))
        PhoneRoutes.add(to: &router)
        TwoFactorRoutes.add(to: &router)
        RecoveryRoutes.add(to: &router)
        PersonalDataRoutes.add(to: &router)
        // Monitoring: no session, no form, no antiforgery, no cookies (as /Auth).
        add("/Health", "GET", Route(isAuthCheck: true, handle: HealthPage.get))
        add("/Metrics", "GET", Route(isAuthCheck: true, handle: MetricsPage.get))
        return router
    }
}
