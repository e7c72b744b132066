public import Config
public import Crypto
public import Messaging

/// Maps `tokens.provider` to a `CodeIssuer`. Adding a provider is one new file and one line in
/// `all`.
public enum CodeIssuers {
    /// What a factory may need; each provider takes what it uses.
    public struct Dependencies {
        public var config: Config
        public var settings: PhoneVerificationSettings
        /// The `sms.provider` sender (`SmsProviders.make`), for providers that send their own text.
        public var sms: any SmsSender
        /// `cookies.secret`; the `stored` provider derives its code-hashing key from it.
        public var cookieSecret: [UInt8]
        public var random: any RandomSource

        public init(config: Config, settings: PhoneVerificationSettings, sms: any SmsSender, cookieSecret: [UInt8],
                    random: any RandomSource) {
            self.config = config
            self.settings = settings
            self.sms = sms
            self.cookieSecret = cookieSecret
            self.random = random
        }
    }

    /// In the order the error message lists them.
    static let all: [(name: String, make: @Sendable (Dependencies) -> any CodeIssuer)] = [
        (StoredCodeIssuer.providerName, { dependencies in
            StoredCodeIssuer(settings: dependencies.settings, sms: dependencies.sms,
                             key: StoredCodeIssuer.key(fromCookieSecret: dependencies.cookieSecret),
                             random: dependencies.random)
        }),
        (TotpCodeIssuer.providerName, { dependencies in
            TotpCodeIssuer(settings: dependencies.settings, sms: dependencies.sms)
        }),
        (TwilioVerifyCodeIssuer.providerName, { dependencies in
            TwilioVerifyCodeIssuer(config: dependencies.config)
        }),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The issuer for `settings.provider`. Problems with its keys are recorded in `config`; nil
    /// (also recorded) for a name no provider has.
    public static func make(_ dependencies: Dependencies) -> (any CodeIssuer)? {
        let name = dependencies.settings.provider
        guard let entry = all.first(where: { $0.name == name }) else {
            dependencies.config.fail("tokens.provider", "unknown provider \"\(name)\"; known providers: \(names.joined(separator: ", "))")
            return nil
        }
        return entry.make(dependencies)
    }
}
