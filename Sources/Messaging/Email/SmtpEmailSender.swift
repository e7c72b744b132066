internal import CCurl
public import Config
public import Timekeeping

/// `email.provider = smtp`: submits each email to a mail server over SMTP with libcurl.
///
/// TLS is required: `smtps://` (implicit TLS, port 465) or `smtp://` with STARTTLS (port 587),
/// and a server that does not offer STARTTLS fails the send — unless `email.allow_plaintext = true`,
/// where STARTTLS is still used when offered.
public final class SmtpEmailSender: EmailSender {
    public let name = "smtp"
    private let url: String
    private let credentials: BasicAuth?
    private let allowPlaintext: Bool
    private let from: MailAddress
    private let clock: any WallClock
    private let timeouts: HTTPTimeouts

    /// Reads `email.url` (required, `smtps://host:465` or `smtp://host:587`), `email.username` and
    /// `email.password` (both or neither), `email.allow_plaintext` (default false) and `email.from`.
    public convenience init(config: Config, clock: any WallClock = SystemClock()) {
        self.init(config: config, clock: clock, timeouts: HTTPTimeouts(connect: .seconds(10), total: .seconds(30)))
    }

    init(config: Config, clock: any WallClock, timeouts: HTTPTimeouts) {
        let who = "email.provider = smtp"
        url = config.required("email.url", by: who)
        if !url.isEmpty && !url.hasPrefix("smtp://") && !url.hasPrefix("smtps://") {
            config.fail("email.url", "must start with smtps:// or smtp://, got \"\(url)\"")
        }
        let username = config.optionalString("email.username")
        let password = config.optionalString("email.password")
        switch (username, password) {
        case let (username?, password?):
            credentials = BasicAuth(username: username, password: password)
        case (nil, nil):
            credentials = nil
        case (nil, _?):
            config.fail("email.password", "is set but email.username is not")
            credentials = nil
        case (_?, nil):
            config.fail("email.username", "is set but email.password is not")
            credentials = nil
        }
        allowPlaintext = config.bool("email.allow_plaintext", default: false)
        from = MailAddress.configuredSender(in: config)
        self.clock = clock
        self.timeouts = timeouts
    }

    public func send(_ message: EmailMessage) throws {
        let rfc5322 = RFC5322Message(from: from, message: message, date: clock.now)
        let recipient = try rfc5322.recipient()
        let source = CurlUploadSource(Array(try rfc5322.rendered().utf8))
        // A new handle, so a new session ended with QUIT, per email: confirmation emails are rare,
        // and an idle connection held by every worker would only be dropped by the server.
        let easy: CurlEasy
        do {
            easy = try CurlEasy()
        } catch {
            throw EmailSendError(provider: name, reason: error.message)
        }
        do {
            try transfer(on: easy, to: recipient, source: source)
        } catch {
            let code = (try? easy.responseCode()) ?? 0
            let reply = code > 0 ? " (last server reply \(code))" : ""
            throw EmailSendError(provider: name, reason: error.message + reply)
        }
    }

    private func transfer(on easy: CurlEasy, to recipient: MailAddress, source: CurlUploadSource) throws(CurlError) {
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try easy.set(CURLOPT_FORBID_REUSE, true)
        try easy.setTimeouts(connect: timeouts.connect, total: timeouts.total)
        try easy.set(CURLOPT_USE_SSL, Int((allowPlaintext ? CURLUSESSL_TRY : CURLUSESSL_ALL).rawValue))
        if let credentials {
            try easy.set(CURLOPT_USERNAME, credentials.username)
            try easy.set(CURLOPT_PASSWORD, credentials.password)
        }
        try easy.set(CURLOPT_MAIL_FROM, "<\(from.address)>")
        try easy.set(CURLOPT_MAIL_RCPT, try CurlStringList(["<\(recipient.address)>"]))
        try easy.upload(from: source)
        try easy.perform()
    }
}
