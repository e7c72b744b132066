public import Config

/// `sms.provider = log`: prints each message to stderr instead of sending it — how `make run`
/// shows codes in the terminal. Never for production: the codes are secrets.
public final class LogSmsSender: SmsSender {
    public let name = "log"
    private let output: LogOutput

    /// Reads no key.
    public convenience init(config: Config) {
        self.init(output: StandardError.write)
    }

    init(output: @escaping LogOutput) {
        self.output = output
    }

    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        try message.checkRecipient(provider: name)
        // Continuation lines are indented so a multi-line message (the WebOTP line) reads as one block.
        let lines = message.body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n    ")
        output("SMS to \(message.to): \(body)")
        return SmsReceipt(provider: name, messageId: nil)
    }
}
