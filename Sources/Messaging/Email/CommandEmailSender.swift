public import Config
public import Timekeeping

/// `email.provider = command`: pipes each email to a program such as `/usr/sbin/sendmail -t -i`,
/// the way PHP's `mail()` does. The message goes to its stdin with LF line ends (the convention
/// for local submission); a non-zero exit status, or no exit within the time limit, is an error.
public final class CommandEmailSender: EmailSender {
    public let name = "command"
    private let command: ExternalCommand
    private let from: MailAddress
    private let clock: any WallClock
    private let timeout: Duration

    /// Reads `email.command` (required: the program's path and its arguments, split on spaces, no
    /// shell; the recipients are in the headers, so sendmail needs `-t`) and `email.from`.
    public convenience init(config: Config, clock: any WallClock = SystemClock()) {
        self.init(config: config, clock: clock, timeout: .seconds(10))
    }

    init(config: Config, clock: any WallClock, timeout: Duration) {
        command = ExternalCommand.read("email.command", from: config, by: "email.provider = command")
        from = MailAddress.configuredSender(in: config)
        self.clock = clock
        self.timeout = timeout
    }

    public func send(_ message: EmailMessage) throws {
        let text = try RFC5322Message(from: from, message: message, date: clock.now).rendered()
        let lf = text.utf8.split(separator: 0x0D, omittingEmptySubsequences: false).joined()
        do {
            try command.process().run(input: Array(lf), timeout: timeout)
        } catch {
            throw EmailSendError(provider: name, reason: "\(command.executable) \(error)")
        }
    }
}
