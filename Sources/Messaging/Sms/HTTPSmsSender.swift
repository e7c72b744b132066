public import Config

/// `sms.provider = http`: any SMS gateway with an HTTP API, described in the config instead of
/// in code — the URL, the method, a body template and the headers that carry the credentials
/// (`HTTPSmsSettings` reads them). The README has tested recipes for well-known gateways.
///
/// One request per message, never repeated here: a status outside `http_sms.accept_status` or no
/// answer in time is an error, and a failover list moves on to its next provider. Gateways answer
/// in their own shapes, so only the status decides; a refusal (4xx) carries the start of the
/// gateway's answer, masked (`GatewayReplyExcerpt`), for the operator's log. TLS is verified and
/// redirects are not followed (`HTTPClient`).
public final class HTTPSmsSender: SmsSender {
    public let name = "http"
    private let settings: HTTPSmsSettings
    private let timeouts: HTTPTimeouts
    /// Header values (and their words), masked out of anything logged.
    private let secrets: [String]
    private let client = HTTPClient()

    /// Reads the `http_sms.*` keys; see `HTTPSmsSettings.init(config:)`.
    public convenience init(config: Config) {
        self.init(config: config, timeouts: nil)
    }

    /// `timeouts` replaces `http_sms.timeout`, for tests that need less than a second.
    init(config: Config, timeouts: HTTPTimeouts?) {
        settings = HTTPSmsSettings(config: config)
        self.timeouts = timeouts ?? settings.timeouts
        secrets = GatewayReplyExcerpt.secrets(fromHeaderValues: settings.headers.map(\.value))
    }

    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        try message.checkRecipient(provider: name)
        let response: HTTPResponse
        do {
            response = try client.send(request(for: message))
        } catch {
            throw SmsSendError.transport(error, provider: name)
        }
        guard settings.accepted.contains(response.status) else {
            throw error(for: response)
        }
        return SmsReceipt(provider: name, messageId: nil)
    }

    func request(for message: SmsMessage) -> HTTPRequest {
        let filled = settings.template.render(HTTPSmsTemplate.values(for: message, from: settings.from), escaping: settings.escaping)
        switch settings.method {
        case .get:
            let separator = settings.url.contains("?") ? "&" : "?"
            return HTTPRequest(method: "GET", url: settings.url + separator + filled, headers: settings.headers, timeouts: timeouts)
        case .post:
            return HTTPRequest(
                method: "POST",
                url: settings.url,
                headers: [("Content-Type", settings.contentType)] + settings.headers,
                body: Array(filled.utf8),
                timeouts: timeouts
            )
        }
    }

    func error(for response: HTTPResponse) -> SmsSendError {
        let status = response.status
        let code = "HTTP \(status)"
        switch status {
        case 300..<400:
            return SmsSendError(provider: name, kind: .configuration, providerCode: code, detail: "\(code): redirects are not followed; set http_sms.url to the final address")
        case 400..<500:
            let excerpt = GatewayReplyExcerpt.make(response.body, secrets: secrets)
            return SmsSendError(provider: name, kind: .forHTTPStatus(status), providerCode: code, detail: "\(code): \(excerpt.isEmpty ? "empty answer" : excerpt)")
        default:
            return SmsSendError(provider: name, kind: .forHTTPStatus(status), providerCode: code, detail: "\(code) is not in http_sms.accept_status")
        }
    }
}
