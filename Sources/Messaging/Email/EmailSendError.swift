/// An email that was not handed over. The reason is the provider's own (libcurl's text and the
/// server's reply code, a command's exit status, a file error); it never holds the message body or
/// credentials, so it can be logged as is.
public struct EmailSendError: Error, Sendable, CustomStringConvertible {
    public let provider: String
    public let reason: String

    public init(provider: String, reason: String) {
        self.provider = provider
        self.reason = reason
    }

    public var description: String { "email via \(provider) failed: \(reason)" }
}

/// A message that cannot be written as RFC 5322 without changing its meaning. Refused rather than
/// repaired: a line break in a header value is how header injection works.
public enum EmailFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CR or LF (or NUL) in the value of this header field.
    case lineBreakInHeader(field: String)
    /// This header field does not hold an address such as `a@example.com` or `Name <a@example.com>`.
    case invalidAddress(field: String)

    public var description: String {
        switch self {
        case .lineBreakInHeader(let field): "line break in the \(field) header refused"
        case .invalidAddress(let field): "the \(field) header is not a valid email address"
        }
    }
}
