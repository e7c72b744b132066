import Web

/// The two-factor routes (CONTRACT.md §3, §7). The sign-in steps are for visitors who gave the
/// right password (their own cookie decides); the settings are `[auth]`.
enum TwoFactorRoutes {
    static func add(to router: inout Router<Route>) {
        func add(_ path: String, _ method: String, _ route: Route) { router.add(path, methods: [method], handler: route) }
        func auth(_ returnTo: String?) -> Route.Access { .signedIn(returnTo: returnTo) }
        add("/TwoFactorAuthentication", "GET", Route(access: auth(nil), handle: TwoFactorAuthenticationPage.get))
        add("/EnableTwoFactor", "POST", Route(access: auth("/TwoFactorAuthentication"), handle: EnableTwoFactor.post))
        add("/DisableTwoFactor", "POST", Route(access: auth("/TwoFactorAuthentication"), handle: DisableTwoFactor.post))
        add("/GenerateRecoveryCodes", "POST", Route(access: auth("/TwoFactorAuthentication"), handle: GenerateRecoveryCodes.post))
        add("/LoginWith2fa", "GET", Route(handle: LoginWith2faPage.get))
        add("/LoginWith2fa", "POST", Route(repeatableFields: ["RememberMachine"], handle: LoginWith2faPage.post))
        add("/ResendTwoFactorCode", "POST", Route(handle: ResendTwoFactorCode.post))
        add("/LoginWithRecoveryCode", "GET", Route(handle: LoginWithRecoveryCodePage.get))
        add("/LoginWithRecoveryCode", "POST", Route(handle: LoginWithRecoveryCodePage.post))
    }
}
