import Storage
import Web

/// Any method on `/Auth`: the answer nginx's `auth_request` asks for before serving a protected
/// location. It receives the main request's method and `CONTENT_LENGTH` but no body, so the body
/// is never read here. 200 with who is signed in, or 401.
enum AuthCheck {
    static func handle(_ context: RequestContext) throws -> Response {
        guard let user = context.user else {
            return Response(status: 401, headers: [(name: "Cache-Control", value: "no-store")])
        }
        return Response(status: 200, headers: [
            (name: "X-Countersign-User-Id", value: user.id),
            (name: "X-Countersign-Email", value: user.email),
            (name: "X-Countersign-Phone-Verified", value: user.phoneNumberConfirmed ? "true" : "false"),
            (name: "Cache-Control", value: "no-store"),
        ])
    }
}
