/// A request that got no HTTP answer: DNS, connect, TLS, timeout or an oversized response.
/// The message is libcurl's own (`curl_easy_strerror`), which never contains the URL, the
/// credentials or the body, so it is safe to log.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The connect or total timeout ran out.
    public let isTimeout: Bool

    public init(message: String, isTimeout: Bool) {
        self.message = message
        self.isTimeout = isTimeout
    }

    init(_ error: CurlError) {
        self.init(message: error.message, isTimeout: error.isTimeout)
    }

    public var description: String { message }
}
