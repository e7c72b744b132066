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
    var storagePath: String
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
        let provider = config.choice("storage.provider", default: "sqlite", among: ["sqlite", "postgres"])
        if provider == "postgres" {
            config.fail("storage.provider", "postgres is not available in this build yet; use sqlite")
        }
        storagePath = config.path("storage.path", default: "countersign.db")
        templatesDirectory = config.path("templates.dir", default: shippedTemplates)
    }
}

/// `[phone]`: Keys `phone.default_region` (ISO region for numbers typed without +),
/// `phone.allowed_regions` (comma list; empty allows all).
struct PhoneSettings {
    var parser: PhoneNumberParser

    init(config: Config) {
        let region = config.string("phone.default_region", default: "US")
        let allowed = config.list("phone.allowed_regions")
        do {
            parser = try PhoneNumberParser(defaultRegion: region, allowedRegions: allowed)
        } catch {
            config.fail(error.key, "unknown region code \"\(error.code)\"; use ISO 3166 codes such as US, GB, DE")
            parser = try! PhoneNumberParser(defaultRegion: "US", allowedRegions: [])
        }
    }
}
