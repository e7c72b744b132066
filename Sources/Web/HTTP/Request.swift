/// One HTTP request as the transport hands it over, independent of FastCGI or CGI.
public struct Request: Sendable {
    /// Upper-case method, e.g. `GET`.
    public var method: String
    /// The route path as the transport found it (`DOCUMENT_URI`, never `REQUEST_URI`), mount
    /// prefix included, e.g. `/Account/Register`.
    public var path: String
    /// The raw query string without the `?`; empty when there is none.
    public var queryString: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer as the transport saw it (`REMOTE_ADDR`); see `ClientAddress` for proxies.
    public var remoteAddress: String
    /// Set by the transport when the body was larger than `server.max_body` and was not read;
    /// the app answers 413 once the route and sign-in checks have passed (CONTRACT.md §3 order).
    public var bodyExceedsLimit = false
    /// The FastCGI AUTHORIZER role (Apache mod_authnz_fcgi): the question is "may this request
    /// through?", whatever its path. Set by the transport from `FCGI_ROLE`, never from a header.
    public var isAuthorizerRole = false

    public init(
        method: String,
        path: String,
        queryString: String = "",
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        remoteAddress: String = ""
    ) {
        self.method = method
        self.path = path
        self.queryString = queryString
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The first value of a header, or nil when absent.
    public func header(_ name: String) -> String? {
        headers[name]
    }

    /// The media type of the body, lower-cased and without parameters (`charset`, `boundary`);
    /// nil when there is no `Content-Type` or it is blank.
    public var contentType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let mediaType = ASCII.trimmingWhitespace(value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0])
        return mediaType.isEmpty ? nil : ASCII.lowercased(String(mediaType))
    }

    /// The cookies the browser sent, parsed on each call (requests are short-lived and have few
    /// cookies). Several `Cookie` fields are read as one, as HTTP/2 allows splitting them.
    public var cookies: [String: String] {
        CookieParser.parse(headers.values(for: "Cookie").joined(separator: "; "))
    }

    /// One cookie, as `cookies[name]` would give it, without building the dictionary.
    public func cookie(_ name: String) -> String? {
        for field in headers where ASCII.caseInsensitiveEquals(field.name, "Cookie") {
            if let value = CookieParser.value(named: name, in: field.value) { return value }
        }
        return nil
    }

    /// The query string decoded with the same strict rules as a form body.
    public func query() throws(FormError) -> Form {
        try FormDecoder.decode(queryString)
    }

    /// The body as an `application/x-www-form-urlencoded` form: any other content type (JSON
    /// included) is 415, a malformed body is 400.
    public func form() throws(HTTPError) -> Form {
        guard contentType == "application/x-www-form-urlencoded" else {
            throw HTTPError(415, message: "Forms must be sent as application/x-www-form-urlencoded.")
        }
        do {
            return try FormDecoder.decode(body)
        } catch {
            throw error.httpError
        }
    }
}
