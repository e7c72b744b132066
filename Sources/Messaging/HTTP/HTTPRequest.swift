/// One HTTP request, as the SMS providers build it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// Header lines in order, e.g. `("Accept", "application/json")`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// HTTP Basic credentials; sent only for this request.
    public var basicAuth: BasicAuth?
    public var timeouts: HTTPTimeouts

    public init(
        method: String,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        basicAuth: BasicAuth? = nil,
        timeouts: HTTPTimeouts = .standard
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.basicAuth = basicAuth
        self.timeouts = timeouts
    }

    /// A `POST` of `application/x-www-form-urlencoded` fields, the shape Twilio and Vonage expect.
    public static func form(url: String, fields: [(String, String)], basicAuth: BasicAuth? = nil, timeouts: HTTPTimeouts = .standard) -> HTTPRequest {
        HTTPRequest(
            method: "POST",
            url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(FormEncoding.encode(fields).utf8),
            basicAuth: basicAuth,
            timeouts: timeouts
        )
    }
}

public struct BasicAuth: Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// How long a request may take. A worker serves one request at a time, so a provider that hangs
/// must not hold it for long: a short connect limit catches dead hosts, the total limit slow ones.
public struct HTTPTimeouts: Sendable, Equatable {
    public var connect: Duration
    public var total: Duration

    public init(connect: Duration, total: Duration) {
        self.connect = connect
        self.total = total
    }

    /// 5 s to connect, 10 s in all.
    public static let standard = HTTPTimeouts(connect: .seconds(5), total: .seconds(10))
}
