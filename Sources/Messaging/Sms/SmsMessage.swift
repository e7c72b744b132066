/// One text message to one phone number.
public struct SmsMessage: Sendable, Equatable {
    /// E.164: `+` and 6 to 15 digits, e.g. `+12015550123`.
    public var to: String
    public var body: String

    public init(to: String, body: String) {
        self.to = to
        self.body = body
    }

    /// Whether `to` is in E.164 form. Every provider checks it before sending: the number goes
    /// into URLs, forms and a program's argument list, where anything else could be misread
    /// (a `-` starting an option, say).
    public var hasE164Recipient: Bool {
        let digits = to.utf8.dropFirst()
        return to.utf8.first == UInt8(ascii: "+") && (6...15).contains(digits.count)
            && digits.first != UInt8(ascii: "0") && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    func checkRecipient(provider: String) throws(SmsSendError) {
        guard hasE164Recipient else {
            throw SmsSendError(provider: provider, kind: .recipient, detail: "recipient is not an E.164 number")
        }
    }
}
