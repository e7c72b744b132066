import Config

/// The `http_sms.*` keys, read and checked once (CONTRACT.md §2). Every problem is recorded in
/// the config with the key's line, so `check-config` lists them all; no message quotes the URL or
/// a header value, which may hold credentials.
struct HTTPSmsSettings {
    enum Method: String, Sendable { case post = "POST", get = "GET" }

    static let jsonType = "application/json"
    static let formType = "application/x-www-form-urlencoded"
    static let defaultBody = #"{"to":"{to}","text":"{text}"}"#

    /// Filled into the template by `check-config` to see whether the result is JSON: quotes,
    /// a backslash, a newline, `&` and `=`, non-ASCII and an emoji, as a real message may hold.
    static let sampleText = "Your Countersign code is 123456.\n\n@example.com #123456 \"q\" \\ & = é 😀"
    static let sampleNumber = "+12015550123"

    let url: String
    let method: Method
    /// Sent as `Content-Type` with `POST`; with `GET` there is no body.
    let contentType: String
    let template: HTTPSmsTemplate
    let from: String
    let headers: [(name: String, value: String)]
    let accepted: AcceptedStatuses
    let timeouts: HTTPTimeouts

    var escaping: HTTPSmsTemplate.Escaping {
        method == .post && contentType == HTTPSmsSettings.jsonType ? .jsonString : .percent
    }

    /// Reads `http_sms.url` (required: `https://…`, `http://` only to a loopback host, no
    /// `user:password@`), `http_sms.method` (`POST` or `GET`, default `POST`),
    /// `http_sms.content_type` (`application/json` or `application/x-www-form-urlencoded`, default
    /// JSON; with `GET` the template is the query string and always percent-encoded),
    /// `http_sms.body` (the template, default `{"to":"{to}","text":"{text}"}`; required with `GET`),
    /// `http_sms.from` (default empty), `http_sms.headers` (default none),
    /// `http_sms.accept_status` (default `200-299`) and `http_sms.timeout` (default `10s`).
    init(config: Config) {
        let who = "sms.provider = http"
        let url = config.required("http_sms.url", by: who)
        self.url = url
        if !url.isEmpty {
            if !ApiBaseURL.mayCarryCredentials(url) {
                config.fail("http_sms.url", "must be an https:// URL (http:// only to 127.0.0.1, ::1 or localhost), without user:password@ — credentials go in http_sms.headers")
            } else if url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                config.fail("http_sms.url", "must not contain spaces or control characters; percent-encode them")
            } else if url.contains("#") {
                config.fail("http_sms.url", "must not contain a #fragment")
            } else if HTTPSmsTemplate.Placeholder.allCases.contains(where: { url.contains("{\($0.rawValue)}") }) {
                config.fail("http_sms.url", "placeholders are filled in http_sms.body only (with GET it becomes the query string)")
            }
        }
        method = Method(rawValue: config.choice("http_sms.method", default: "POST", among: ["POST", "GET"])) ?? .post
        contentType = config.choice("http_sms.content_type", default: HTTPSmsSettings.jsonType, among: [HTTPSmsSettings.jsonType, HTTPSmsSettings.formType])
        if method == .get && config.has("http_sms.content_type") && contentType == HTTPSmsSettings.jsonType {
            config.fail("http_sms.content_type", "GET sends no body: the template becomes the query string, percent-encoded; remove this key")
        }
        if method == .get && !config.has("http_sms.body") {
            config.fail("http_sms.body", "missing: with http_sms.method = GET the body template is the query string, e.g. to={to_digits}&text={text}")
        }
        from = config.string("http_sms.from", default: "", allowEmpty: true)
        let parsed = HTTPSmsTemplate.parse(config.string("http_sms.body", default: HTTPSmsSettings.defaultBody))
        template = parsed.template
        let headerList = HTTPSmsHeaders.parse(config.string("http_sms.headers", default: "", allowEmpty: true))
        headers = headerList.headers
        for problem in headerList.problems { config.fail("http_sms.headers", problem) }
        if let statuses = AcceptedStatuses.parse(config.string("http_sms.accept_status", default: "200-299")) {
            accepted = statuses
        } else {
            accepted = .standard
            config.fail("http_sms.accept_status", "must be HTTP statuses from 100 to 599, e.g. 200-299 or 200, 202")
        }
        let total = config.duration("http_sms.timeout", default: "10s")
        let seconds = Duration.seconds(Int(total))
        timeouts = HTTPTimeouts(connect: min(.seconds(5), seconds), total: seconds)
        checkTemplate(unknown: parsed.unknown, config: config)
    }

    private func checkTemplate(unknown: [String], config: Config) {
        let key = "http_sms.body"
        let known = HTTPSmsTemplate.Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
        for name in unknown {
            config.fail(key, "unknown placeholder {\(name)}; the placeholders are \(known)")
        }
        if !template.uses(.text) {
            config.fail(key, "must contain {text}, the message")
        }
        if !template.uses(.to) && !template.uses(.to_digits) {
            config.fail(key, "must contain {to} or {to_digits}, the recipient")
        }
        if template.uses(.from) && from.isEmpty {
            config.fail(key, "uses {from} but http_sms.from is not set")
        } else if !template.uses(.from) && !from.isEmpty {
            config.warn("http_sms.from", "is set but http_sms.body has no {from}, so it is not sent")
        }
        switch escaping {
        case .jsonString:
            let sample = template.render(
                HTTPSmsTemplate.values(for: SmsMessage(to: HTTPSmsSettings.sampleNumber, body: HTTPSmsSettings.sampleText), from: from),
                escaping: .jsonString
            )
            do {
                try JSONSyntax.validate(sample)
            } catch {
                config.fail(key, "is not valid JSON once filled with sample values (\(error)); placeholders go inside quotes, e.g. \"text\":\"{text}\"")
            }
        case .percent:
            if template.literalText.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                config.fail(key, "a form or query template cannot hold spaces or line breaks; write them percent-encoded (%20, %0A)")
            }
        }
    }
}
