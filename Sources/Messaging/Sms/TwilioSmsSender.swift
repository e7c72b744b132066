public import Config
import FoundationEssentials

/// `sms.provider = twilio`: Twilio Programmable Messaging, `POST {api_base}/2010-04-01/Accounts/
/// {AccountSid}/Messages.json` with HTTP Basic auth (Account SID, Auth Token) and the form fields
/// `To`, `From` or `MessagingServiceSid`, and `Body`. Twilio answers 201 with the Message resource
/// (`sid`, `status`), or 4xx/5xx with `{"code", "message", "more_info", "status"}`.
public final class TwilioSmsSender: SmsSender {
    public let name = "twilio"
    private let url: String
    private let credentials: BasicAuth
    private let sender: (field: String, value: String)
    private let timeouts: HTTPTimeouts
    private let client = HTTPClient()

    /// Reads `twilio.account_sid` and `twilio.auth_token` (required), exactly one of `twilio.from`
    /// (a Twilio number in E.164, a short code or an alphanumeric sender ID) and
    /// `twilio.messaging_service_sid`, and `twilio.api_base` (default `https://api.twilio.com`).
    public convenience init(config: Config) {
        self.init(config: config, timeouts: .standard)
    }

    init(config: Config, timeouts: HTTPTimeouts) {
        let who = "sms.provider = twilio"
        let accountSid = config.required("twilio.account_sid", by: who)
        if !accountSid.isEmpty && !TwilioSmsSender.isSid(accountSid, prefix: "AC") {
            config.fail("twilio.account_sid", "must be the Account SID: AC followed by 32 hexadecimal digits")
        }
        credentials = BasicAuth(username: accountSid, password: config.required("twilio.auth_token", by: who))
        switch (config.optionalString("twilio.from"), config.optionalString("twilio.messaging_service_sid")) {
        case let (from?, nil):
            sender = ("From", from)
        case let (nil, service?):
            if !TwilioSmsSender.isSid(service, prefix: "MG") {
                config.fail("twilio.messaging_service_sid", "must be a Messaging Service SID: MG followed by 32 hexadecimal digits")
            }
            sender = ("MessagingServiceSid", service)
        case (_?, _?):
            config.fail("twilio.messaging_service_sid", "set either twilio.from or twilio.messaging_service_sid, not both")
            sender = ("From", "")
        case (nil, nil):
            if !config.has("twilio.from") && !config.has("twilio.messaging_service_sid") {
                config.fail("twilio.from", "missing: \(who) needs twilio.from or twilio.messaging_service_sid")
            }
            sender = ("From", "")
        }
        let base = ApiBaseURL.read("twilio.api_base", from: config, default: "https://api.twilio.com")
        url = "\(base)/2010-04-01/Accounts/\(accountSid)/Messages.json"
        self.timeouts = timeouts
    }

    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        try message.checkRecipient(provider: name)
        let request = HTTPRequest.form(
            url: url,
            fields: [("To", message.to), (sender.field, sender.value), ("Body", message.body)],
            basicAuth: credentials,
            timeouts: timeouts
        )
        let response: HTTPResponse
        do {
            response = try client.send(request)
        } catch {
            throw SmsSendError.transport(error, provider: name)
        }
        guard response.isSuccess else { throw TwilioSmsSender.error(for: response) }
        // Accepted: even an unreadable body must not turn into a failure (and a failover resend).
        let created = try? JSONDecoder().decode(CreatedMessage.self, from: Data(response.body))
        return SmsReceipt(provider: name, messageId: created?.sid)
    }

    private struct CreatedMessage: Decodable {
        let sid: String?
        let status: String?
    }

    private struct ErrorBody: Decodable {
        let code: Int?
        let message: String?
    }

    /// Maps a 4xx/5xx answer to an error, by Twilio's error code first, then by HTTP status.
    static func error(for response: HTTPResponse) -> SmsSendError {
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        let detail = "HTTP \(response.status): \(body?.message ?? "no error message")"
        let code = body?.code
        let kind: SmsSendError.Kind
        switch code {
        case 21211, 21612, 21614, 21635, 21610, 21408:
            // invalid 'To', unroutable, not a mobile number, landline, opted out (STOP), region not enabled
            kind = .recipient
        case 20003, 20403, 20404, 21212, 21606, 21608, 21659:
            // authentication, account suspended, account not found, invalid or unusable 'From', trial limits
            kind = .configuration
        case 20429:
            kind = .unavailable
        default:
            kind = .forHTTPStatus(response.status)
        }
        return SmsSendError(provider: "twilio", kind: kind, providerCode: code.map(String.init) ?? "HTTP \(response.status)", detail: detail)
    }

    static func isSid(_ text: String, prefix: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count == 34 && text.utf8.dropFirst(2).allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        }
    }
}
