internal import CCurl

/// A blocking HTTP/1.1 client over libcurl, for the few API calls the SMS providers make.
///
/// One client owns one libcurl handle and is used by one thread at a time (a worker serves one
/// request at a time); reusing the handle keeps the TLS connection to the provider alive between
/// messages. Only `http` and `https` are allowed, redirects are never followed (an API that
/// redirects is misconfigured, and following would resend credentials), and the response body is
/// capped.
///
/// The libcurl handle is made at the first request, so building a provider (as `check-config`
/// does) never touches libcurl.
public final class HTTPClient {
    private var handle: CurlEasy?
    private let maxResponseBytes: Int

    public init(maxResponseBytes: Int = 1 << 20) {
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        let sink = CurlResponseSink(limit: maxResponseBytes)
        do throws(CurlError) {
            let easy = try reusableHandle()
            try configure(easy, for: request, sink: sink)
            try easy.perform()
            return HTTPResponse(status: try easy.responseCode(), body: sink.bytes)
        } catch {
            if sink.overflowed {
                throw HTTPClientError(message: "response larger than \(maxResponseBytes) bytes", isTimeout: false)
            }
            throw HTTPClientError(error)
        }
    }

    private func reusableHandle() throws(CurlError) -> CurlEasy {
        if let handle { return handle }
        let easy = try CurlEasy()
        handle = easy
        return easy
    }

    private func configure(_ easy: CurlEasy, for request: HTTPRequest, sink: CurlResponseSink) throws(CurlError) {
        easy.reset()
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, false)
        // libcurl's defaults, stated so that no later change of options can drop them silently.
        try easy.set(CURLOPT_SSL_VERIFYPEER, true)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        try easy.setTimeouts(connect: request.timeouts.connect, total: request.timeouts.total)
        try easy.set(CURLOPT_USERAGENT, "Countersign")

        switch request.method {
        case "GET" where request.body.isEmpty:
            try easy.set(CURLOPT_HTTPGET, true)
        case "HEAD":
            try easy.set(CURLOPT_NOBODY, true)
        case "POST":
            try easy.setRequestBody(request.body)
        default:
            try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
            if !request.body.isEmpty { try easy.setRequestBody(request.body) }
        }

        // An empty `Expect:` stops libcurl from waiting for `100 Continue` on larger bodies.
        let lines = request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]
        try easy.set(CURLOPT_HTTPHEADER, try CurlStringList(lines))

        if let auth = request.basicAuth {
            try easy.set(CURLOPT_HTTPAUTH, CurlAuth.basic)
            try easy.set(CURLOPT_USERNAME, auth.username)
            try easy.set(CURLOPT_PASSWORD, auth.password)
        }
        try easy.collectResponse(into: sink)
    }
}

/// `CURLAUTH_BASIC` is a macro with a cast that Swift does not import.
enum CurlAuth {
    static let basic = 1  // ((unsigned long)1) << 0
}
