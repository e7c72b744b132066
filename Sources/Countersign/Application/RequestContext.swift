import Crypto
import FoundationEssentials
import Storage
import Web

/// Everything a handler needs about one request: the request itself, its decoded form, the
/// signed-in user, flash messages in and out, and the cookies the response must set.
final class RequestContext {
    let request: Request
    let services: Services
    /// The client as `server.trusted_proxies` says to believe it. Lazy, like `incomingFlash`:
    /// most requests (every `/Auth`, every page view) never ask, and parsing and formatting the
    /// address was 3% of an `/Auth` request.
    lazy var clientAddress: String = ClientAddress.resolve(
        remoteAddress: request.remoteAddress,
        forwardedFor: request.header("X-Forwarded-For"),
        trustedProxies: services.settings.server.trustedProxies
    )
    /// Fixed for the whole request, so every check in it agrees on "now".
    let now: Date
    /// The POST body's form, or the query string's for other methods; set by the pipeline once
    /// the route and sign-in checks have passed.
    var form: Form
    /// Flash messages that arrived with this request (shown by the page it renders); read when
    /// a page first asks.
    lazy var incomingFlash: [FlashMessage] = services.flash.read(request)
    private(set) var outgoingFlash: [FlashMessage] = []
    private(set) var setCookies: [String] = []
    private var resolvedSignIn: SignIn??
    /// Set when storage did not answer while this request was looking up its sign-in: the
    /// pipeline then answers 503 whatever the handler made of "not signed in".
    private(set) var storageUnavailable = false

    init(request: Request, services: Services, form: Form) {
        self.request = request
        self.services = services
        self.form = form
        now = services.clock.now
    }

    /// The current sign-in, checked against the session store once per request.
    var signIn: SignIn? {
        if let resolved = resolvedSignIn { return resolved }
        let found: SignIn?
        do {
            found = try services.sessions.current(request: request, now: now)
        } catch {
            storageUnavailable = true
            found = nil
        }
        resolvedSignIn = .some(found)
        return found
    }

    var user: UserRecord? { signIn?.user }

    func forgetSignIn() { resolvedSignIn = .some(nil) }

    func replaceSignIn(_ signIn: SignIn) { resolvedSignIn = .some(signIn) }

    func addCookie(_ headerValue: String) { setCookies.append(headerValue) }

    /// Queues a message for the next page (after a redirect).
    func flash(_ kind: FlashMessage.Kind, _ message: FlashText) {
        outgoingFlash.append(FlashMessage(kind, message.rawValue))
    }

    /// A single-valued field; nil when absent. Repeats were refused before the handler ran.
    func field(_ name: String) -> String? { form.value(name) }

    /// The full URL-path of a route under the mount, e.g. `path("/Login")` → `/Account/Login`.
    func path(_ route: String) -> String { services.settings.server.mount + route }

    func redirect(_ route: String) -> Response { .redirect(to: path(route)) }

    /// The hidden antiforgery field's value for forms rendered in this response.
    lazy var antiforgeryToken: String = {
        let prepared = services.antiforgery.prepare(request, sessionBinding: signIn?.sessionIdHash ?? "")
        if let cookie = prepared.setCookie { addCookie(cookie) }
        return prepared.token
    }()
}
