/// Sends a text message, or throws why not. Providers are built once per worker from the config
/// file (`SmsProviders.make`) and used by one request at a time.
public protocol SmsSender: AnyObject {
    /// The `sms.provider` name (a comma list for failover), for logs and receipts.
    var name: String { get }
    func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt
}

/// Proof that a provider accepted a message (not that it was delivered).
public struct SmsReceipt: Sendable, Equatable {
    /// The provider that took it (with failover, the one that succeeded).
    public let provider: String
    /// The provider's id for the message (Twilio `sid`, Vonage `message-id`), when it gives one.
    public let messageId: String?

    public init(provider: String, messageId: String?) {
        self.provider = provider
        self.messageId = messageId
    }
}
