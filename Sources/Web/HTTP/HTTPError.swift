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

    public static func notFound(_ message: String? = nil) -> HTTPError { HTTPError(404, message: message) }

    /// 405 with the `Allow` header listing `allow`.
    public static func methodNotAllowed(allow: [String], message: String? = nil) -> HTTPError {
        HTTPError(405, message: message, headers: [Header("Allow", allow.joined(separator: ", "))])
    }

    public static func contentTooLarge(_ message: String? = nil) -> HTTPError { HTTPError(413, message: message) }

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
