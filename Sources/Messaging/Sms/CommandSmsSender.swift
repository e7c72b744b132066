public import Config

/// `sms.provider = command`: runs a program for each message, with the E.164 number as its last
/// argument and the text on stdin — a bridge to a GSM modem, an in-house gateway or a test script.
/// A non-zero exit status, or no exit within the time limit, is an error.
public final class CommandSmsSender: SmsSender {
    public let name = "command"
    private let command: ExternalCommand
    private let timeout: Duration

    /// Reads `sms.command` (required: the program's path and any fixed arguments, split on spaces,
    /// no shell).
    public convenience init(config: Config) {
        self.init(config: config, timeout: .seconds(10))
    }

    init(config: Config, timeout: Duration) {
        command = ExternalCommand.read("sms.command", from: config, by: "sms.provider = command")
        self.timeout = timeout
    }

    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        try message.checkRecipient(provider: name)
        do {
            try command.process(extraArguments: [message.to]).run(input: Array(message.body.utf8), timeout: timeout)
        } catch {
            switch error {
            case .exited(let status):
                throw SmsSendError(provider: name, kind: .rejected, providerCode: "exit \(status)", detail: "\(command.executable) \(error)")
            default:
                throw SmsSendError(provider: name, kind: .unavailable, detail: "\(command.executable) \(error)")
            }
        }
        return SmsReceipt(provider: name, messageId: nil)
    }
}
