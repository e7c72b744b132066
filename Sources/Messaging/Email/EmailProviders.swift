public import Config
public import Timekeeping

/// Maps `email.provider` to a provider. Adding a provider is one new file and one line in `all`.
public enum EmailProviders {
    /// In the order the error message lists them.
    static let all: [(name: String, make: @Sendable (Config, any WallClock) -> any EmailSender)] = [
        ("log", { config, _ in LogEmailSender(config: config) }),
        ("file", { config, clock in FileEmailSender(config: config, clock: clock) }),
        ("smtp", { config, clock in SmtpEmailSender(config: config, clock: clock) }),
        ("command", { config, clock in CommandEmailSender(config: config, clock: clock) }),
    ]

    public static var names: [String] { all.map(\.name) }

    /// Every config key an email provider may read, for `Config.finish(knownKeys:)`.
    public static let configKeys: Set<String> = [
        "email.provider", "email.from", "email.path", "email.url", "email.username", "email.password",
        "email.allow_plaintext", "email.command",
    ]

    /// Builds the provider named by `email.provider` (default `log`). Problems with its keys are
    /// recorded in `config`; nil when the name itself is unknown (also recorded, with the known names).
    public static func make(config: Config, clock: any WallClock = SystemClock()) -> (any EmailSender)? {
        let name = config.string("email.provider", default: "log")
        guard let entry = all.first(where: { $0.name == name }) else {
            config.fail("email.provider", "unknown provider \"\(name)\"; known providers: \(names.joined(separator: ", "))")
            return nil
        }
        return entry.make(config, clock)
    }
}
