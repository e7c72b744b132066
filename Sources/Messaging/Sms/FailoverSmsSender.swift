/// Tries several providers in order (`sms.provider = twilio, vonage`) and moves to the next on any
/// error or timeout, logging each failure on one line (never the message body).
///
/// A timeout does not prove the first provider dropped the message, so a failover can, rarely,
/// deliver it twice; for a one-time code that is harmless.
public final class FailoverSmsSender: SmsSender {
    public let senders: [any SmsSender]
    private let output: LogOutput

    public convenience init(senders: [any SmsSender]) {
        self.init(senders: senders, output: StandardError.write)
    }

    init(senders: [any SmsSender], output: @escaping LogOutput) {
        precondition(!senders.isEmpty, "FailoverSmsSender needs at least one provider")
        self.senders = senders
        self.output = output
    }

    public var name: String { senders.map(\.name).joined(separator: ",") }

    /// When every provider fails, the error thrown is a recipient error if any provider gave one
    /// (it tells the user the most), else the last provider's.
    public func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        var failures: [SmsSendError] = []
        for (index, sender) in senders.enumerated() {
            do {
                return try sender.send(message)
            } catch {
                failures.append(error)
                let next = index + 1 < senders.count ? "trying \(senders[index + 1].name)" : "no provider left"
                output("sms failover: \(error); \(next)")
            }
        }
        throw failures.first { $0.kind == .recipient } ?? failures[failures.count - 1]
    }
}
