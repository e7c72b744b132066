import Config

/// An address as written in `email.from` or `To:`: `a@example.com` or `Display Name <a@example.com>`
/// (the display name may be quoted and may be non-ASCII).
///
/// Deliberately narrower than RFC 5322's full grammar — no comments, groups or quoted local parts —
/// because anything it accepts is written back into a header and into SMTP commands.
public struct MailAddress: Sendable, Equatable {
    public let displayName: String?
    /// The `local@domain` part, used for the SMTP envelope.
    public let address: String

    public init?(parsing text: String) {
        guard !MailAddress.hasLineBreak(text) else { return nil }
        let trimmed = text.trimmingSpaces
        var name: String?
        var address = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var display = String(trimmed[..<open]).trimmingSpaces
            if display.count >= 2, display.hasPrefix("\""), display.hasSuffix("\"") {
                display = MailAddress.unquoted(display.dropFirst().dropLast())
            }
            name = display.isEmpty ? nil : display
        }
        guard MailAddress.isPlainAddress(address) else { return nil }
        self.displayName = name
        self.address = address
    }

    /// The part after the `@`, for `Message-ID`.
    public var domain: String {
        String(address[address.index(after: address.lastIndex(of: "@")!)...])
    }

    /// The header form: the display name as an atom, a quoted string or RFC 2047 encoded words.
    public var headerValue: String {
        guard let displayName else { return address }
        let bytes = Array(displayName.utf8)
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            if bytes.allSatisfy({ MailAddress.isAtomText($0) || $0 == UInt8(ascii: " ") }) {
                return "\(displayName) <\(address)>"
            }
            let escaped = displayName.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return EncodedWord.encode(displayName).joined(separator: "\r\n ") + " <\(address)>"
    }

    /// `email.from`, default `Countersign <no-reply@localhost>`; a malformed value is a config problem.
    static func configuredSender(in config: Config) -> MailAddress {
        let fallback = MailAddress(parsing: "Countersign <no-reply@localhost>")!
        let text = config.string("email.from", default: "Countersign <no-reply@localhost>")
        guard let address = MailAddress(parsing: text) else {
            config.fail("email.from", "must be an address such as no-reply@example.com or \"Example <no-reply@example.com>\", got \"\(text)\"")
            return fallback
        }
        return address
    }

    static func hasLineBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    private static func isPlainAddress(_ text: String) -> Bool {
        let halves = text.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"<>()[],;:\"\\".unicodeScalars.contains(scalar)
        }
    }

    /// RFC 5322 `atext`: what a display name may contain without quotes.
    private static func isAtomText(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    private static func unquoted(_ text: Substring) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if !escaped && c == "\\" { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
