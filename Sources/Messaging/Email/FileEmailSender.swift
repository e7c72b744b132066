import Config
import Timekeeping

/// `email.provider = file`: appends each email as one JSON line to `email.path`
/// (`{"to", "subject", "text", "html", "time"}`, CONTRACT §5) — for tests and for sites that hand
/// mail to another system by file.
public final class FileEmailSender: EmailSender {
    public let name = "file"
    private let outbox: JSONLinesFile
    private let clock: any WallClock

    /// Reads `email.path` (required; relative to the config file's folder) and checks `email.from`.
    public init(config: Config, clock: any WallClock = SystemClock()) {
        let path = config.required("email.path", by: "email.provider = file")
        outbox = JSONLinesFile(path: path.isEmpty ? path : config.resolvePath(path))
        _ = MailAddress.configuredSender(in: config)  // validated now so a later switch to smtp holds no surprise
        self.clock = clock
    }

    public func send(_ message: EmailMessage) throws {
        do {
            try outbox.append([
                ("to", message.to),
                ("subject", message.subject),
                ("text", message.text),
                ("html", message.html),
                ("time", UTCTimestamp.iso8601(clock.now)),
            ])
        } catch {
            throw EmailSendError(provider: name, reason: error.description)
        }
    }
}
