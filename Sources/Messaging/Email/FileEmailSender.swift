import Config
import Timekeeping

/// `email.provider = file`: appends each email as one JSON line to `email.path`
/// (`{"to", "subject", "text", "html", "time"}`, CONTRACT §5) — for tests and for sites that hand
/// mail to another system by file.
public final class FileEmailSender: EmailSender {
    public let name = "file"
    private let outbox: JSONLinesFile

    /// Reads `email.path` (required; relative to the config file's folder) and checks `email.from`.
    public init(config: Config, clock: any WallClock = SystemClock()) {
        outbox = JSONLinesFile(config: config, pathKey: "email.path", requiredBy: "email.provider = file", clock: clock)
        _ = MailAddress.configuredSender(in: config)  // validated now so a later switch to smtp holds no surprise
    }

    public func send(_ message: EmailMessage) throws {
        do {
            try outbox.append([
                ("to", message.to),
                ("subject", message.subject),
                ("text", message.text),
                ("html", message.html),
            ])
        } catch {
            throw EmailSendError(provider: name, reason: error.description)
        }
    }
}
