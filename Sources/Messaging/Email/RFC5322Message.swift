public import FoundationEssentials

/// An `EmailMessage` written out as an Internet message (RFC 5322 with MIME), ready for SMTP or
/// `sendmail`: CRLF line ends; From, To, Subject, Date, Message-ID, MIME-Version; the text body
/// alone, or text and HTML as `multipart/alternative`; both in UTF-8, quoted-printable.
///
/// Header injection is impossible by construction: a CR, LF or NUL in any header value is
/// refused (`EmailFormatError`), never stripped; addresses must parse as `MailAddress`; non-ASCII
/// subjects and names become RFC 2047 encoded words.
public struct RFC5322Message: Sendable {
    public let from: MailAddress
    public let message: EmailMessage
    public let date: Date
    /// Random hex that makes the Message-ID and the MIME boundary unique.
    public let uniqueToken: String

    public init(from: MailAddress, message: EmailMessage, date: Date, uniqueToken: String = RFC5322Message.randomToken()) {
        self.from = from
        self.message = message
        self.date = date
        self.uniqueToken = uniqueToken
    }

    /// The recipient as an address, checked the same way as the rendered `To:` header.
    public func recipient() throws(EmailFormatError) -> MailAddress {
        if MailAddress.hasLineBreak(message.to) { throw .lineBreakInHeader(field: "To") }
        guard let to = MailAddress(parsing: message.to) else { throw .invalidAddress(field: "To") }
        return to
    }

    /// The whole message, CRLF line ends, ending with CRLF.
    public func rendered() throws(EmailFormatError) -> String {
        let to = try recipient()
        if MailAddress.hasLineBreak(message.subject) { throw .lineBreakInHeader(field: "Subject") }

        var lines = [
            "From: \(from.headerValue)",
            "To: \(to.headerValue)",
            "Subject: \(RFC5322Message.subjectValue(message.subject))",
            "Date: \(UTCTimestamp.rfc5322(date))",
            "Message-ID: <\(uniqueToken)@\(from.domain)>",
            "MIME-Version: 1.0",
        ]
        let textPart = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "", QuotedPrintable.encode(message.text)]
        if let html = message.html {
            // `=_` never occurs in quoted-printable output, so the boundary cannot occur in a part.
            let boundary = "=_countersign_\(uniqueToken)"
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--\(boundary)")
            lines += textPart
            lines.append("--\(boundary)")
            lines += ["Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "", QuotedPrintable.encode(html)]
            lines.append("--\(boundary)--")
        } else {
            lines += textPart
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Printable ASCII goes as is; anything else — non-ASCII, control characters, something that
    /// looks like an encoded word, or a line too long for SMTP — as folded encoded words.
    static func subjectValue(_ subject: String) -> String {
        let bytes = Array(subject.utf8)
        let plain = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && bytes.count <= 900 && !subject.contains("=?")
        return plain ? subject : EncodedWord.encode(subject).joined(separator: "\r\n ")
    }

    /// 16 random bytes in hex. Uniqueness only (not a secret); the system generator is `getrandom`.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
