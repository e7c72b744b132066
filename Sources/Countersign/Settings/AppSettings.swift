import Config
import Phone

/// Everything the config file says, read and validated once at start-up.
struct AppSettings {
    var server: ServerSettings
    var cookies: CookieSettings
    var session: SessionSettings
    var passwords: PasswordSettings
    var lockout: LockoutSettings
    var email: EmailPolicySettings
    var phone: PhoneSettings
    var twoFactor: TwoFactorSettings
    var passwordReset: PasswordResetSettings
    var templatesDirectory: String

    /// Reads every key; problems are collected in `config`, not thrown.
    init(config: Config, shippedTemplates: String) {
        server = ServerSettings(config: config)
        cookies = CookieSettings(config: config)
        session = SessionSettings(config: config)
        passwords = PasswordSettings(config: config)
        lockout = LockoutSettings(config: config)
        email = EmailPolicySettings(config: config)
        phone = PhoneSettings(config: config)
        twoFactor = TwoFactorSettings(config: config)
        passwordReset = PasswordResetSettings(config: config)
        templatesDirectory = config.path("templates.dir", default: shippedTemplates)
    }
}

/// `[phone]`: Keys `phone.default_region` (ISO region for numbers typed without +),
/// `phone.allowed_regions` (comma list, or `*` for every region; default: the default region alone).
struct PhoneSettings {
    var parser: PhoneNumberParser

    init(config: Config) {
        let region = config.string("phone.default_region", default: "US")
        // Every region one can text is a region an SMS pumper can bill: only the home region
        // unless the operator lists more, or says `*`.
        var allowed = config.has("phone.allowed_regions") ? config.list("phone.allowed_regions") : [region]
        if allowed.contains(where: { $0.trimmingSpaces == "*" }) {
            if allowed.count > 1 { config.fail("phone.allowed_regions", "`*` (every region) cannot be combined with region codes") }
            allowed = []
        } else if allowed.isEmpty {
            config.fail("phone.allowed_regions", "list at least one region, or `*` for every region")
        }
        do {
            parser = try PhoneNumberParser(defaultRegion: region, allowedRegions: allowed)
        } catch {
            config.fail(error.key, "unknown region code \"\(error.code)\"; use ISO 3166 codes such as US, GB, DE")
            parser = try! PhoneNumberParser(defaultRegion: "US", allowedRegions: [])
        }
    }
}
