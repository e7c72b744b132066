public import Config
public import FoundationEssentials
import Messaging

/// How phone numbers are verified: which code provider, what codes look like and how long they
/// live, the limits on sending them, and the text message that carries them.
public struct PhoneVerificationSettings: Sendable, Equatable {
    /// `tokens.provider`: `stored`, `totp` or `twilio-verify` (see `CodeIssuers`).
    public var provider: String
    /// `tokens.digits`, 6 to 10. The `stored` provider makes codes this long; `totp` always
    /// makes 6 digits (ASP.NET Core Identity's codes); `twilio-verify` codes are as long as the
    /// Verify service says, and this key is only used to estimate the message length.
    public var digits: Int
    /// `tokens.lifetime`.
    public var lifetime: TimeInterval
    /// `tokens.max_attempts`: wrong codes before the pending verification is burned.
    public var maxAttempts: Int
    /// `tokens.resend_cooldown`: minimum time between two sends to one user; 0 for none.
    public var resendCooldown: TimeInterval
    /// `tokens.max_sends_per_hour`: per user, and separately per phone number.
    public var maxSendsPerHour: Int
    /// `tokens.max_sends_per_ip_per_hour`.
    public var maxSendsPerIPPerHour: Int
    /// `sms.template`; see `SmsText`.
    public var template: String
    /// `sms.webotp`: append the WebOTP line.
    public var webOtp: Bool
    /// `sms.daily_limit`: every SMS from this installation (codes and test messages) in any
    /// rolling 24 hours.
    public var dailyLimit: Int
    /// `sms.max_per_region_per_hour`: SMS to one destination region in any rolling hour; 0: none.
    public var maxPerRegionPerHour: Int
    /// `sms.max_per_prefix_per_hour`: SMS to one range of numbers (E.164 without its last 4
    /// digits) in any rolling hour; 0: none.
    public var maxPerPrefixPerHour: Int
    /// `sms.min_conversion`: the share of codes sent to a region that must be verified; 0: off.
    public var minConversion: Double
    /// `sms.conversion_window`: how far back the conversion guard looks (at most 24 h).
    public var conversionWindow: TimeInterval
    /// `sms.conversion_min_sample`: codes sent to a region in the window before the guard judges.
    public var conversionMinSample: Int
    /// `sms.fraud_action`: what the conversion guard does when it trips.
    public var fraudAction: FraudAction
    /// At most this many wrong codes per user and per number in any rolling 24 hours; then no
    /// code is sent to them until the window lets some go (CONTRACT.md §6).
    public var maxWrongCodesPerDay: Int
    /// `server.app_name`, the `{app}` of the message.
    public var appName: String
    /// The host name of `server.base_url` without port: `{host}` and the WebOTP line.
    public var webOtpHost: String

    public static let defaultProvider = "stored"
    /// CONTRACT.md §6: the guessing bound over days.
    public static let defaultMaxWrongCodesPerDay = 100

    /// `sms.fraud_action`.
    public enum FraudAction: String, Sendable, Equatable, CaseIterable {
        /// Refuse sends while the conversion guard is tripped.
        case block
        /// Send anyway; only record the event (to tune the guard before turning it on).
        case monitor
    }

    /// Every key read here, for `Config.finish(knownKeys:)` (the Twilio Verify keys are read by
    /// `TwilioVerifyCodeIssuer`, and listed here too).
    public static let configKeys: Set<String> = [
        "tokens.provider", "tokens.digits", "tokens.lifetime", "tokens.max_attempts", "tokens.resend_cooldown",
        "tokens.max_sends_per_hour", "tokens.max_sends_per_ip_per_hour",
        "sms.template", "sms.webotp", "sms.daily_limit",
        "sms.max_per_region_per_hour", "sms.max_per_prefix_per_hour", "sms.min_conversion", "sms.conversion_window",
        "sms.conversion_min_sample", "sms.fraud_action",
        "twilio.verify_service_sid", "twilio.verify_api_base",
    ]

    /// Reads `tokens.provider` (default `stored`; an unknown name is a config error listing the
    /// known ones), `tokens.digits` (6…10, default 6), `tokens.lifetime` (default `10m`),
    /// `tokens.max_attempts` (default 5), `tokens.resend_cooldown` (default `60s`, `0s` allowed),
    /// `tokens.max_sends_per_hour` (default 5), `tokens.max_sends_per_ip_per_hour` (default 20),
    /// `sms.template` (default `Your {app} code is {code}. Valid for {minutes} min.`; unknown
    /// placeholders and a missing `{code}` are config errors), `sms.webotp` (default true),
    /// `sms.daily_limit` (default 1000), `sms.max_per_region_per_hour` (default 100, 0: none),
    /// `sms.max_per_prefix_per_hour` (default 10, 0: none), `sms.min_conversion` (0…1, default
    /// 0.2, 0: off), `sms.conversion_window` (default `1h`, at most `24h`),
    /// `sms.conversion_min_sample` (default 20), `sms.fraud_action` (`block` default, or
    /// `monitor`) and `server.app_name` (default `Countersign`).
    ///
    /// - Parameter webOtpHost: the host name of `server.base_url`, which the caller parses (and
    ///   reports when missing) with the rest of `[server]`.
    public init(config: Config, webOtpHost: String) {
        provider = config.choice("tokens.provider", default: Self.defaultProvider, among: CodeIssuers.names)
        digits = config.int("tokens.digits", default: 6, range: 6...10)
        lifetime = config.duration("tokens.lifetime", default: "10m")
        maxAttempts = config.int("tokens.max_attempts", default: 5, range: 1...100)
        resendCooldown = config.duration("tokens.resend_cooldown", default: "60s", allowZero: true)
        maxSendsPerHour = config.int("tokens.max_sends_per_hour", default: 5, range: 1...10_000)
        maxSendsPerIPPerHour = config.int("tokens.max_sends_per_ip_per_hour", default: 20, range: 1...1_000_000)
        template = config.string("sms.template", default: SmsText.defaultTemplate)
        for problem in SmsText.problems(in: template) {
            config.fail("sms.template", problem)
        }
        webOtp = config.bool("sms.webotp", default: true)
        dailyLimit = config.int("sms.daily_limit", default: 1000, range: 1...100_000_000)
        maxPerRegionPerHour = config.int("sms.max_per_region_per_hour", default: 100, range: 0...100_000_000)
        maxPerPrefixPerHour = config.int("sms.max_per_prefix_per_hour", default: 10, range: 0...100_000_000)
        let conversionText = config.string("sms.min_conversion", default: "0.2")
        if let share = Double(conversionText), share >= 0, share <= 1 {
            minConversion = share
        } else {
            config.fail("sms.min_conversion", "must be a share from 0 to 1, such as 0.2 (0 turns the guard off)")
            minConversion = 0.2
        }
        conversionWindow = config.duration("sms.conversion_window", default: "1h")
        if conversionWindow > 86_400 {
            // Counted events are kept 24 hours; a longer window would silently see only a day.
            config.fail("sms.conversion_window", "must be at most 24h")
        }
        conversionMinSample = config.int("sms.conversion_min_sample", default: 20, range: 1...100_000_000)
        fraudAction = FraudAction(rawValue: config.choice("sms.fraud_action", default: FraudAction.block.rawValue,
                                                          among: FraudAction.allCases.map(\.rawValue))) ?? .block
        maxWrongCodesPerDay = Self.defaultMaxWrongCodesPerDay
        // `[server]` owns this key and reports an empty value; reading it leniently here keeps
        // that problem from being listed twice.
        let app = config.string("server.app_name", default: "Countersign", allowEmpty: true)
        appName = app.isEmpty ? "Countersign" : app
        self.webOtpHost = webOtpHost

        if provider == TotpCodeIssuer.providerName {
            if config.has("tokens.digits") && digits != TotpCodeIssuer.digits {
                config.warn("tokens.digits", "ignored by tokens.provider = totp, whose codes have \(TotpCodeIssuer.digits) digits as ASP.NET Core Identity's do")
            }
            if config.has("tokens.lifetime") && lifetime > TotpCodeIssuer.guaranteedLifetime {
                config.warn("tokens.lifetime", "tokens.provider = totp codes work for 6 to 9 minutes; they are treated as valid for 6m")
            }
        }
    }

    /// Settings given directly (tests, tools).
    public init(provider: String = defaultProvider, digits: Int = 6, lifetime: TimeInterval = 600, maxAttempts: Int = 5,
                resendCooldown: TimeInterval = 60, maxSendsPerHour: Int = 5, maxSendsPerIPPerHour: Int = 20,
                template: String = SmsText.defaultTemplate, webOtp: Bool = true, dailyLimit: Int = 1000,
                maxPerRegionPerHour: Int = 100, maxPerPrefixPerHour: Int = 10, minConversion: Double = 0.2,
                conversionWindow: TimeInterval = 3600, conversionMinSample: Int = 20, fraudAction: FraudAction = .block,
                maxWrongCodesPerDay: Int = defaultMaxWrongCodesPerDay,
                appName: String = "Countersign", webOtpHost: String) {
        self.provider = provider
        self.digits = digits
        self.lifetime = lifetime
        self.maxAttempts = maxAttempts
        self.resendCooldown = resendCooldown
        self.maxSendsPerHour = maxSendsPerHour
        self.maxSendsPerIPPerHour = maxSendsPerIPPerHour
        self.template = template
        self.webOtp = webOtp
        self.dailyLimit = dailyLimit
        self.maxPerRegionPerHour = maxPerRegionPerHour
        self.maxPerPrefixPerHour = maxPerPrefixPerHour
        self.minConversion = minConversion
        self.conversionWindow = conversionWindow
        self.conversionMinSample = conversionMinSample
        self.fraudAction = fraudAction
        self.maxWrongCodesPerDay = maxWrongCodesPerDay
        self.appName = appName
        self.webOtpHost = webOtpHost
    }

    /// How many digits the codes have: 6 for `totp`, else `digits`.
    public var codeLength: Int {
        provider == TotpCodeIssuer.providerName ? TotpCodeIssuer.digits : digits
    }

    /// How long a sent code stays valid here: `lifetime`, but at most the 6 minutes a TOTP code
    /// is sure to work for with `totp`.
    public var codeLifetime: TimeInterval {
        provider == TotpCodeIssuer.providerName ? min(lifetime, TotpCodeIssuer.guaranteedLifetime) : lifetime
    }

    /// The text message for `code`.
    public func message(code: String) -> String {
        SmsText.render(template: template, app: appName, code: code, lifetime: codeLifetime, host: webOtpHost, webOtp: webOtp)
    }

    /// For `check-config`: warns (on `sms.template`) when the message, with a code of the
    /// longest kind and the WebOTP line, needs more than one SMS segment, because then every
    /// code costs two or more messages. Skipped for `twilio-verify`, whose message Twilio writes.
    public func warnAboutMessageLength(config: Config) {
        guard provider != TwilioVerifyCodeIssuer.providerName else { return }
        let sample = message(code: String(repeating: "9", count: codeLength))
        let (encoding, segments) = SmsSegments.count(for: sample)
        guard segments > 1 else { return }
        let why = encoding == .gsm7
            ? "over 160 GSM-7 characters"
            : "a character outside the GSM-7 alphabet makes it UCS-2, 70 characters per SMS"
        config.warn("sms.template", "the message takes \(segments) SMS segments (\(why)), so every code costs \(segments) messages")
    }
}
