/// An error that chooses its own HTTP answer: a status, a message safe to show the user, and any
/// headers the status needs (`Allow` for 405, `Retry-After` for 429). The app answers any other
/// error with a bare 500 and logs it, so nothing internal reaches the browser.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String
    public let headers: [Header]

    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `message` defaults to the reason phrase.
    public init(_ status: Int, message: String? = nil, headers: [Header] = []) {
        self.status = status
        self.message = message ?? Response.reasonPhrase(for: status)
        self.headers = headers
    }

    public static func badRequest(_ message: String? = nil) -> HTTPError { HTTPError(400, message: message) }

    public static let notFound = HTTPError(404)

    public static func methodNotAllowed(allow: [String]) -> HTTPError {
        HTTPError(405, headers: [Header("Allow", allow.joined(separator: ", "))])
    }

    public static let contentTooLarge = HTTPError(413)

    /// `seconds` is rounded up so the client never retries too early.
    public static func tooManyRequests(retryAfter seconds: Double, message: String? = nil) -> HTTPError {
        let whole = max(1, Int(seconds.rounded(.up)))
        return HTTPError(429, message: message, headers: [Header("Retry-After", String(whole))])
    }

    /// A plain-text answer carrying the message and headers.
    public var response: Response {
        var response = Response.text(message + "\n", status: status)
        for header in headers {
            response.addHeader(header.name, header.value)
        }
        return response
    }

    public var description: String { "HTTP \(status): \(message)" }
}

/// Domain errors that map to a client error (e.g. `FormError` to 400) without the domain knowing
/// about responses.
public protocol HTTPErrorConvertible: Error {
    var httpError: HTTPError { get }
}

extension HTTPError: HTTPErrorConvertible {
    public var httpError: HTTPError { self }
}
