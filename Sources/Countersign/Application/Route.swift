import Web

/// One entry of the route table: who may call it, which form fields it takes, and its handler.
struct Route {
    enum Access {
        /// Anyone.
        case anyone
        /// Signed-in users; others go to Login with `ReturnUrl` = `returnTo` (the page that
        /// holds the form, for POST routes), or this route's own path when nil.
        case signedIn(returnTo: String?)
    }

    let access: Access
    /// nginx `auth_request` calls: any method, the body is never looked at, no antiforgery.
    let isAuthCheck: Bool
    /// Form fields that may legitimately come twice (a checkbox with its hidden `false`).
    let repeatableFields: Set<String>
    let handle: (RequestContext) throws -> Response

    init(access: Access = .anyone, isAuthCheck: Bool = false, repeatableFields: Set<String> = [], handle: @escaping (RequestContext) throws -> Response) {
        self.access = access
        self.isAuthCheck = isAuthCheck
        self.repeatableFields = repeatableFields
        self.handle = handle
    }
}
