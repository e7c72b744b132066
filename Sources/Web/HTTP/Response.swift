/// One HTTP answer. The transport writes the status line and headers; handlers only fill this in.
public struct Response: Sendable {
    public typealias Field = (name: String, value: String)

    public var status: Int
    /// In the order they will be sent; a name may repeat (`Set-Cookie`).
    public var headers: [Field]
    public var body: [UInt8]

    public init(status: Int = 200, headers: [Field] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func html(_ body: String, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(body.utf8))
    }

    public static func text(_ body: String, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(body.utf8))
    }

    /// `body` is JSON text already (see `JSONText`).
    public static func json(_ body: String, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(body.utf8))
    }

    /// 303 See Other: after a POST the browser follows with a GET, so a reload never re-posts.
    public static func redirect(to location: String) -> Response {
        Response(status: 303, headers: [("Location", location)])
    }

    public static func empty(status: Int) -> Response {
        Response(status: status)
    }

    /// The first value of a header, or nil.
    public func header(_ name: String) -> String? {
        headers.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
    }

    public func headerValues(_ name: String) -> [String] {
        headers.filter { ASCII.caseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    /// Replaces every header of that name by one.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { ASCII.caseInsensitiveEquals($0.name, name) }
        headers.append((name: name, value: value))
    }

    /// Adds a header, keeping others of the same name (for `Set-Cookie`).
    public mutating func addHeader(_ name: String, _ value: String) {
        headers.append((name: name, value: value))
    }

    /// The reason phrase for a status line (`Status: 422 Unprocessable Content`), RFC 9110 wording.
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default:
            switch status / 100 {
            case 1: "Informational"
            case 2: "Success"
            case 3: "Redirection"
            case 4: "Client Error"
            default: "Server Error"
            }
        }
    }
}
