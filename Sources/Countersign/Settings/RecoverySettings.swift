import Config
import FoundationEssentials

/// `[twofactor]`: Keys `twofactor.remember_lifetime` ("remember this browser"; `0s`: never),
/// `twofactor.recovery_codes` (codes per generation).
struct TwoFactorSettings {
    var rememberLifetime: TimeInterval
    var recoveryCodes: Int

    init(config: Config) {
        rememberLifetime = config.duration("twofactor.remember_lifetime", default: "30d", allowZero: true)
        recoveryCodes = config.int("twofactor.recovery_codes", default: 10, range: 1...100)
    }
}

/// The forgotten-password part of `[passwords]`: Keys `passwords.reset_lifetime` (how long a
/// reset link works), `passwords.reset_by_sms` (a code to the verified phone as a way back).
struct PasswordResetSettings {
    var lifetime: TimeInterval
    var bySms: Bool

    init(config: Config) {
        lifetime = config.duration("passwords.reset_lifetime", default: "1h")
        bySms = config.bool("passwords.reset_by_sms", default: true)
    }
}
