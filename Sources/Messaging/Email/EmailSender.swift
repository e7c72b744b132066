/// Delivers an email, or throws. Providers are built once per worker from the config file
/// (`EmailProviders.make`) and used by one request at a time.
public protocol EmailSender: AnyObject {
    /// The `email.provider` name, for log lines.
    var name: String { get }
    func send(_ message: EmailMessage) throws
}
