import FoundationEssentials
import Messaging
import Transport
import Web

/// The request pipeline, in the order CONTRACT.md §3 fixes:
/// route and method (404, 405 with Allow) → sign-in of `[auth]` routes (303 to Login) → body
/// (413, 415, 400) → antiforgery and Origin on every POST (400) → the handler.
/// Errors that carry a status choose their own answer; anything else is logged and becomes a
/// plain 500 that shows nothing internal. A request can never take the worker down with it.
final class Application: Responder {
    let services: Services
    private let router: Router<Route>
    private var requestsSinceMaintenance = 0
    /// The path of the matched route, for `/Metrics`; nil for a 404.
    private var matchedPath: String?

    init(services: Services) {
        self.services = services
        router = Routes.table(mount: services.settings.server.mount)
    }

    func respond(to request: Request) -> Response {
        requestsSinceMaintenance += 1
        if requestsSinceMaintenance >= Maintenance.interval {
            requestsSinceMaintenance = 0
            Maintenance(services: services).run()
        }
        // One context for the whole request, error pages included: the sign-in is looked up once.
        let context = RequestContext(request: request, services: services, form: Form())
        var response: Response
        do {
            try services.bringSchemaUpToDate()
            response = try handle(request, context: context)
        } catch let error as HTTPError {
            response = errorPage(error, context: context)
        } catch where StorageOutage.isOutage(error) {
            services.log.error("\(request.method) \(request.path): \(error)")
            response = StorageOutage.response()
        } catch {
            services.log.error("\(request.method) \(request.path): \(error)")
            response = Self.internalError()
        }
        if context.storageUnavailable {
            services.log.error("\(request.method) \(request.path): storage unavailable while reading the sign-in")
            response = StorageOutage.response()
        }
        // Every answer, whatever its type or status (/Auth, JSON, redirects, errors), so no
        // browser ever guesses a type for one of ours.
        response.setHeader("X-Content-Type-Options", "nosniff")
        services.metrics.countRequest(path: matchedPath, mount: router.mount, status: response.status)
        return response
    }

    private func handle(_ request: Request, context: RequestContext) throws -> Response {
        matchedPath = nil
        if request.isAuthorizerRole {
            matchedPath = router.mount + "/Authorizer"
            return try Authorizer.handle(context)
        }
        let route: Route
        switch router.match(method: request.method, path: request.path) {
        case .found(let found):
            route = found
            matchedPath = request.path
        case .notFound: throw HTTPError.notFound("There is no page at this address.")
        case .methodNotAllowed(let allow):
            matchedPath = request.path
            throw HTTPError.methodNotAllowed(allow: allow, message: "This page does not accept \(request.method) requests.")
        }

        if route.isAuthCheck {
            return try route.handle(context)
        }

        let isPost = request.method == "POST"
        // The sign-in check reads only cookies, so it comes before the body is looked at.
        if case .signedIn(let returnTo) = route.access, context.signIn == nil {
            let target = returnTo.map { services.settings.server.mount + $0 } ?? request.path
            let query = isPost || request.queryString.isEmpty ? "" : "?" + request.queryString
            return .redirect(to: services.settings.server.mount + "/Login?ReturnUrl=" + FormEncoding.percentEncode(target + query))
        }

        if isPost {
            if request.bodyExceedsLimit {
                throw HTTPError.contentTooLarge("The form was larger than this site accepts.")
            }
            context.form = try request.form()
        } else {
            do { context.form = try request.query() } catch { throw error.httpError }
        }
        do {
            try context.form.rejectRepeats(of: context.form.fields.map(\.name), except: route.repeatableFields)
        } catch {
            throw error.httpError
        }

        if isPost {
            let token = context.form.value("__RequestVerificationToken")
            guard Antiforgery.originAllowed(request, baseURL: services.settings.server.baseURL),
                  services.antiforgery.validate(request, formToken: token, sessionBinding: context.signIn?.sessionIdHash ?? "") else {
                throw HTTPError(400, message: "This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }

        var response = try route.handle(context)
        finish(&response, context: context)
        return response
    }

    /// Adds the cookies the handler asked for, the flash bookkeeping and the security headers.
    private func finish(_ response: inout Response, context: RequestContext) {
        for cookie in context.setCookies { response.headers.append((name: "Set-Cookie", value: cookie)) }
        if !context.outgoingFlash.isEmpty {
            response.headers.append((name: "Set-Cookie", value: services.flash.cookie(context.outgoingFlash)))
        } else if !context.incomingFlash.isEmpty || context.request.cookie(services.flash.cookieName) != nil {
            // Shown once: a page that displayed the messages (or ignored a bad cookie) clears it.
            if response.status < 300 || response.status >= 400 {
                response.headers.append((name: "Set-Cookie", value: services.flash.clearingCookie()))
            }
        }
        if response.header("Content-Type")?.hasPrefix("text/html") == true {
            SecurityHeaders.apply(to: &response)
        }
        // Every answer is personal or carries a form token: no cache may keep it.
        if response.header("Cache-Control") == nil {
            response.headers.append((name: "Cache-Control", value: "no-store"))
        }
    }

    private func errorPage(_ error: HTTPError, context: RequestContext) -> Response {
        let values: [String: TemplateValue] = [
            "status": .string(String(error.status)),
            "reason": .string(Response.reasonPhrase(for: error.status)),
            "message": .string(error.message),
        ]
        var response: Response
        do {
            response = try services.pages.page("error", title: Response.reasonPhrase(for: error.status), values, status: error.status, context: context)
            finish(&response, context: context)
        } catch let renderError {
            services.log.error("rendering the \(error.status) page failed: \(renderError)")
            response = .text("\(error.status) \(Response.reasonPhrase(for: error.status))\n\(error.message)\n", status: error.status)
        }
        for header in error.headers { response.headers.append((name: header.name, value: header.value)) }
        return response
    }

    /// The 500 page: fixed text, no template (the failure may be in the templates), nothing
    /// internal.
    static func internalError() -> Response {
        fixedPage(status: 500, title: "Error", heading: "Something went wrong",
                  text: "The page could not be shown. Please try again in a moment.")
    }

    /// A page of fixed text with the security headers, for answers that must not depend on the
    /// templates or the storage (500, the 503 of a storage outage).
    static func fixedPage(status: Int, title: String, heading: String, text: String) -> Response {
        var response = Response.html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body><h1>\(heading)</h1><p>\(text)</p></body></html>", status: status)
        SecurityHeaders.apply(to: &response)
        return response
    }
}
