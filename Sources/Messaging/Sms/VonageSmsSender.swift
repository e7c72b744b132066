public import Config
import FoundationEssentials

/// `sms.provider = vonage`: the Vonage (Nexmo) SMS API, `POST {api_base}/sms/json` with the form
/// fields `api_key`, `api_secret`, `from`, `to` (E.164 without the `+`), `text`, and
/// `type=unicode` when the text is not GSM-7. Vonage answers 200 with one entry per message part,
/// each with a `status`: `"0"` is accepted, anything else an error with `error-text`.
public final class VonageSmsSender: SmsSender {
    public let name = "vonage"
    private let url: String
    private let apiKey: String
    private let apiSecret: String
    private let from: String
    private let timeouts: HTTPTimeouts
    private let client = HTTPClient()

    /// Reads `vonage.api_key`, `vonage.api_secret` and `vonage.from` (required) and
    /// `vonage.api_base` (default `https://rest.nexmo.com`).
    public convenience init(config: Config) {
        self.init(config: config, timeouts: .standard)
    }

    init(config: Config, timeouts: HTTPTimeouts) {
        let who = "sms.provider = vonage"
        apiKey = config.required("vonage.api_key", by: who)
        apiSecret = config.required("vonage.api_secret", by: who)
        from = config.required("vonage.from", by: who)
        url = ApiBaseURL.read("vonage.api_base", from: config, default: "https://rest.nexmo.com") + "/sms/json"
        self.timeouts = timeouts
    }

    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        try message.checkRecipient(provider: name)
        var fields = [
            ("api_key", apiKey), ("api_secret", apiSecret), ("from", from),
            ("to", String(message.to.dropFirst())), ("text", message.body),
        ]
        if SmsSegments.count(for: message.body).encoding == .ucs2 {
            fields.append(("type", "unicode"))
        }
        let response: HTTPResponse
        do {
            response = try client.send(.form(url: url, fields: fields, timeouts: timeouts))
        } catch {
            throw SmsSendError.transport(error, provider: name)
        }
        return try VonageSmsSender.receipt(for: response)
    }

    private struct Answer: Decodable {
        let messages: [Part]
    }

    private struct Part: Decodable {
        let status: String?
        let messageId: String?
        let errorText: String?

        enum CodingKeys: String, CodingKey {
            case status
            case messageId = "message-id"
            case errorText = "error-text"
        }
    }

    static func receipt(for response: HTTPResponse) throws(SmsSendError) -> SmsReceipt {
        guard response.status == 200 else {
            throw SmsSendError(provider: "vonage", kind: .forHTTPStatus(response.status), providerCode: "HTTP \(response.status)", detail: "HTTP \(response.status)")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)), let first = answer.messages.first else {
            // 200 without a readable answer: the message may well have gone; do not fail over.
            return SmsReceipt(provider: "vonage", messageId: nil)
        }
        if let failed = answer.messages.first(where: { $0.status != "0" }) {
            let status = failed.status ?? "?"
            throw SmsSendError(provider: "vonage", kind: kind(forStatus: status), providerCode: status, detail: failed.errorText ?? "status \(status)")
        }
        return SmsReceipt(provider: "vonage", messageId: first.messageId)
    }

    /// Vonage SMS API status codes (developer.vonage.com, "SMS API error codes").
    static func kind(forStatus status: String) -> SmsSendError.Kind {
        switch status {
        case "1", "5", "10":
            return .unavailable  // throttled, internal error, too many binds
        case "6", "7", "33":
            return .recipient  // unroutable number, number barred, number de-activated
        case "2", "3", "4", "8", "9", "11", "14", "15", "29", "32":
            // missing/invalid parameters, bad credentials, account barred, no credit, HTTP not
            // enabled, bad signature, bad sender, non-whitelisted destination (trial), secret refused
            return .configuration
        default:
            return .rejected
        }
    }
}
