public import Config
public import Timekeeping

/// Maps `sms.provider` to a provider. Adding a provider is one new file and one line in `all`.
///
/// `sms.provider` is a comma list: with several names, a `FailoverSmsSender` tries them in order.
public enum SmsProviders {
    /// In the order the error message lists them.
    static let all: [(name: String, make: @Sendable (Config, any WallClock) -> any SmsSender)] = [
        ("log", { config, _ in LogSmsSender(config: config) }),
        ("file", { config, clock in FileSmsSender(config: config, clock: clock) }),
        ("twilio", { config, _ in TwilioSmsSender(config: config) }),
        ("vonage", { config, _ in VonageSmsSender(config: config) }),
        ("http", { config, _ in HTTPSmsSender(config: config) }),
        ("command", { config, _ in CommandSmsSender(config: config) }),
    ]

    public static var names: [String] { all.map(\.name) }

    /// Every config key an SMS provider may read, for `Config.finish(knownKeys:)`. (The message
    /// text, limits and Twilio Verify keys belong to the phone layer.)
    public static let configKeys: Set<String> = [
        "sms.provider", "sms.path", "sms.command",
        "twilio.account_sid", "twilio.auth_token", "twilio.from", "twilio.messaging_service_sid", "twilio.api_base",
        "vonage.api_key", "vonage.api_secret", "vonage.from", "vonage.api_base",
        "http_sms.url", "http_sms.method", "http_sms.content_type", "http_sms.body", "http_sms.from",
        "http_sms.headers", "http_sms.accept_status", "http_sms.timeout",
    ]

    /// Builds the provider(s) named by `sms.provider` (default `log`). Problems with their keys are
    /// recorded in `config`; nil when a name is unknown, repeated or missing (also recorded).
    public static func make(config: Config, clock: any WallClock = SystemClock()) -> (any SmsSender)? {
        let chosen = config.list("sms.provider", default: ["log"])
        guard !chosen.isEmpty else {
            config.fail("sms.provider", "must name a provider: \(names.joined(separator: ", "))")
            return nil
        }
        var senders: [any SmsSender] = []
        var seen: Set<String> = []
        for name in chosen {
            guard let entry = all.first(where: { $0.name == name }) else {
                config.fail("sms.provider", "unknown provider \"\(name)\"; known providers: \(names.joined(separator: ", "))")
                return nil
            }
            guard seen.insert(name).inserted else {
                config.fail("sms.provider", "lists \"\(name)\" twice")
                return nil
            }
            senders.append(entry.make(config, clock))
        }
        return senders.count == 1 ? senders[0] : FailoverSmsSender(senders: senders)
    }
}
