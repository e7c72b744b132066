import Web

/// The FastCGI AUTHORIZER role, Apache's cousin of nginx `auth_request` (mod_authnz_fcgi): the
/// same answer as `/Auth` for whatever path was asked, plus `Variable-*` headers, which Apache
/// turns into environment variables of the protected request (`COUNTERSIGN_USER_ID`,
/// `COUNTERSIGN_EMAIL`, `COUNTERSIGN_PHONE_VERIFIED`, and `REMOTE_USER` = the user id).
enum Authorizer {
    static func handle(_ context: RequestContext) throws -> Response {
        var response = try AuthCheck.handle(context)
        guard response.status == 200, let user = context.user else { return response }
        response.headers += [
            (name: "Variable-REMOTE_USER", value: user.id),
            (name: "Variable-COUNTERSIGN_USER_ID", value: user.id),
            (name: "Variable-COUNTERSIGN_EMAIL", value: user.email),
            (name: "Variable-COUNTERSIGN_PHONE_VERIFIED", value: user.phoneNumberConfirmed ? "true" : "false"),
        ]
        return response
    }
}
