/// The outcome of looking a request up in a `Router`.
public enum RouteMatch<Handler> {
    case found(Handler)
    /// No route has this path (404).
    case notFound
    /// The path exists but not for this method (405); `allow` is the `Allow` header's list.
    case methodNotAllowed(allow: [String])
}

extension RouteMatch: Sendable where Handler: Sendable {}

/// Exact-path routing under a mount prefix, matched ASCII case-insensitively (prefix included) as
/// IIS and ASP.NET users expect: `/account/register` is `/Account/Register`. Paths carry no
/// parameters; a trailing slash is a different path (404).
///
/// HEAD is answered wherever GET is (the transport drops the body).
public struct Router<Handler> {
    fileprivate struct Route {
        var methods: [(method: String, handler: Handler)] = []
        var anyMethod: Handler?
    }

    /// The prefix without a trailing slash; empty for none.
    public let mount: String
    private var routes: [String: Route] = [:]

    /// `mount` is `server.mount`, e.g. `/Account`; `""` or `/` mean no prefix.
    public init(mount: String = "") {
        var mount = mount
        while mount.hasSuffix("/") { mount.removeLast() }
        self.mount = mount
    }

    /// Registers `handler` for `path` (relative to the mount, e.g. `/Register`) and each of
    /// `methods` (upper-case). Registering a method twice for one path is a programming error.
    public mutating func add(_ path: String, methods: [String], handler: Handler) {
        let key = ASCII.lowercased(path)
        var route = routes[key] ?? Route()
        for method in methods {
            precondition(route.anyMethod == nil && !route.methods.contains { $0.method == method },
                         "route \(method) \(path) registered twice")
            route.methods.append((method: method, handler: handler))
        }
        routes[key] = route
    }

    /// Registers `handler` for `path` whatever the method (for `/Auth`, which nginx's
    /// `auth_request` calls with the main request's method).
    public mutating func addAnyMethod(_ path: String, handler: Handler) {
        let key = ASCII.lowercased(path)
        precondition(routes[key] == nil, "route \(path) registered twice")
        routes[key] = Route(anyMethod: handler)
    }

    /// Looks up the full request path (mount included).
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        guard ASCII.hasCaseInsensitivePrefix(path, mount) else { return .notFound }
        let relative = String(Substring(path.utf8.dropFirst(mount.utf8.count)))
        guard let route = routes[ASCII.lowercased(relative)] else { return .notFound }
        if let any = route.anyMethod { return .found(any) }
        if let entry = route.methods.first(where: { $0.method == method }) {
            return .found(entry.handler)
        }
        if method == "HEAD", let get = route.methods.first(where: { $0.method == "GET" }) {
            return .found(get.handler)
        }
        return .methodNotAllowed(allow: allowed(route))
    }

    private func allowed(_ route: Route) -> [String] {
        var allow: [String] = []
        for (method, _) in route.methods {
            allow.append(method)
            if method == "GET" && !route.methods.contains(where: { $0.method == "HEAD" }) {
                allow.append("HEAD")
            }
        }
        return allow
    }
}

extension Router: Sendable where Handler: Sendable {}

extension Router.Route: Sendable where Handler: Sendable {}
