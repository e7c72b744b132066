/// One email to one person: what the account pages send (confirmation links).
public struct EmailMessage: Sendable, Equatable {
    /// The recipient's address, `someone@example.com`.
    public var to: String
    public var subject: String
    /// The plain-text body; every provider sends it.
    public var text: String
    /// The HTML alternative, when there is one (sent as `multipart/alternative`).
    public var html: String?

    public init(to: String, subject: String, text: String, html: String? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
    }
}
