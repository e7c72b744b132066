import Config
import Timekeeping

/// `sms.provider = file`: appends each message as one JSON line to `sms.path`
/// (`{"to": "+12015550123", "body": "...", "time": "2026-11-26T12:00:00Z"}`, CONTRACT §5) — what
/// the integration tests read codes from.
public final class FileSmsSender: SmsSender {
    public let name = "file"
    private let outbox: JSONLinesFile

    /// Reads `sms.path` (required; relative to the config file's folder).
    public init(config: Config, clock: any WallClock = SystemClock()) {
        outbox = JSONLinesFile(config: config, pathKey: "sms.path", requiredBy: "sms.provider = file", clock: clock)
    }

    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        try message.checkRecipient(provider: name)
        do {
            try outbox.append([("to", message.to), ("body", message.body)])
        } catch {
            throw SmsSendError(provider: name, kind: .unavailable, detail: error.description)
        }
        return SmsReceipt(provider: name, messageId: nil)
    }
}
