/// A text message that was not accepted.
///
/// `reason` is safe to show the user; `detail` is for the log (the provider's own words and code).
/// Neither ever contains the message body — it may hold a one-time code — nor credentials.
public struct SmsSendError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// The number cannot get text messages (invalid, landline, barred, opted out): the user
        /// should give another number.
        case recipient
        /// Our side is wrong (credentials, sender, account, trial limits): the operator must act.
        case configuration
        /// The provider is down, slow or throttling: the same message may work later.
        case unavailable
        /// Refused for another reason.
        case rejected

        /// What an HTTP status alone says, for error codes a provider's table does not know:
        /// throttling and server errors may pass, 401 is our credentials, anything else a refusal.
        public static func forHTTPStatus(_ status: Int) -> Kind {
            if status == 429 || status >= 500 { return .unavailable }
            if status == 401 { return .configuration }
            return .rejected
        }

        public var description: String {
            switch self {
            case .recipient: "recipient refused"
            case .configuration: "configuration"
            case .unavailable: "unavailable"
            case .rejected: "rejected"
            }
        }
    }

    public let provider: String
    public let kind: Kind
    /// What the user may be told.
    public let reason: String
    /// The provider's error code (Twilio `code`, Vonage `status`, an HTTP status, an exit status).
    public let providerCode: String?
    /// For the log.
    public let detail: String

    public init(provider: String, kind: Kind, providerCode: String? = nil, detail: String, reason: String? = nil) {
        self.provider = provider
        self.kind = kind
        self.providerCode = providerCode
        self.detail = detail
        self.reason = reason ?? SmsSendError.defaultReason(for: kind)
    }

    /// Worth trying again later; only a provider outage or throttling is.
    public var retryable: Bool { kind == .unavailable }

    public var description: String {
        let code = providerCode.map { " \($0)" } ?? ""
        return "SMS via \(provider) failed (\(kind)\(code)): \(detail)"
    }

    static func defaultReason(for kind: Kind) -> String {
        kind == .recipient
            ? "This number cannot receive text messages."
            : "The text message could not be sent. Please try again later."
    }

    /// A request that got no HTTP answer (connect failure, timeout): always worth another try.
    static func transport(_ error: HTTPClientError, provider: String) -> SmsSendError {
        SmsSendError(provider: provider, kind: .unavailable, detail: error.isTimeout ? "timed out: \(error.message)" : error.message)
    }
}
