import Web

/// The phone-verification routes (CONTRACT.md §3). POST routes send a visitor who is not signed in
/// back to the page that holds their form.
enum PhoneRoutes {
    static func add(to router: inout Router<Route>) {
        func add(_ path: String, _ method: String, returnTo: String?, _ handle: @escaping (RequestContext) throws -> Response) {
            router.add(path, methods: [method], handler: Route(access: .signedIn(returnTo: returnTo), handle: handle))
        }
        add("/ConfirmPhoneNumber", "GET", returnTo: nil, ConfirmPhoneNumberPage.get)
        add("/SendPhoneVerificationCode", "POST", returnTo: "/ConfirmPhoneNumber", SendPhoneVerificationCode.post)
        add("/VerifyPhoneNumber", "GET", returnTo: nil, VerifyPhoneNumberPage.get)
        add("/VerifyPhoneNumber", "POST", returnTo: "/VerifyPhoneNumber", VerifyPhoneNumberPage.post)
        add("/ResendPhoneVerificationCode", "POST", returnTo: "/VerifyPhoneNumber", ResendPhoneVerificationCode.post)
        add("/PhoneVerificationSuccessful", "GET", returnTo: nil, PhoneVerificationSuccessfulPage.get)
        add("/RemovePhoneNumber", "POST", returnTo: "/ConfirmPhoneNumber", RemovePhoneNumber.post)
    }
}
