/// The `SecurityEvent.kind`s the phone verification writes. Every event carries the time, the
/// user, the client address and the number concerned in its event form (`EventNumber`: region and
/// last two digits); none ever carries a code.
public enum PhoneVerificationEventKind: String, Sendable, CaseIterable {
    /// A code went out (detail: the provider and how many sends this verification has had).
    case codeSent = "code-sent"
    /// The provider refused or failed (detail: provider, kind and code of the failure).
    case sendFailed = "send-failed"
    /// A wrong code (detail: attempt n of max).
    case wrongCode = "wrong-code"
    /// The last allowed wrong code: the pending verification was deleted.
    case codeBurned = "code-burned"
    /// The right code: the number is confirmed and the security stamp changed.
    case verified = "verified"
    /// A send refused by the cooldown or a limit (detail: which).
    case limitHit = "limit-hit"
    /// A send to another number than the one pending (detail: the previous number).
    case numberChanged = "number-changed"
    /// The conversion guard tripped in `sms.fraud_action = monitor` mode: the code was sent anyway
    /// (detail: the region and its share of verified codes).
    case conversionLow = "conversion-low"
    /// `send-test-sms` sent a message (detail: the provider).
    case testMessageSent = "test-message-sent"
}
