public import Config

/// `email.provider = log`: prints each email to stderr instead of sending it — how `make run`
/// shows confirmation links in the terminal. Never for production: links are secrets.
public final class LogEmailSender: EmailSender {
    public let name = "log"
    private let from: MailAddress
    private let output: LogOutput

    /// Reads `email.from` (shown in the header line).
    public convenience init(config: Config) {
        self.init(config: config, output: StandardError.write)
    }

    init(config: Config, output: @escaping LogOutput) {
        from = MailAddress.configuredSender(in: config)
        self.output = output
    }

    public func send(_ message: EmailMessage) throws {
        output("""
            ----- email (log provider, not sent) -----
            From: \(from.headerValue)
            To: \(message.to)
            Subject: \(message.subject)

            \(message.text)
            ----- end of email -----
            """)
    }
}
