import Config
import Crypto
import FoundationEssentials

/// `[cookies]`: the secrets that sign flash, antiforgery and session cookies and email links.
///
/// Keys: `cookies.secret` (required, at least 32 bytes), `cookies.previous_secrets` (comma list,
/// still accepted after a rotation), `cookies.secure` (`Secure` flag and `__Host-` names).
struct CookieSettings {
    var secret: [UInt8]
    var previousSecrets: [[UInt8]]
    var secure: Bool

    init(config: Config) {
        secret = Array(config.string("cookies.secret", default: nil).utf8)
        if !secret.isEmpty && secret.count < 32 {
            config.fail("cookies.secret", "must be at least 32 bytes (it has \(secret.count)); `openssl rand -base64 48` makes a good one")
        }
        previousSecrets = config.list("cookies.previous_secrets").map { Array($0.utf8) }
        if previousSecrets.contains(where: { $0.count < 32 }) {
            config.fail("cookies.previous_secrets", "every secret must be at least 32 bytes")
        }
        secure = config.bool("cookies.secure", default: true)
    }

    /// The name a cookie gets: `__Host-` prefixed when secure, so browsers pin it to this host.
    func name(_ base: String) -> String { secure ? "__Host-" + base : base }
}

/// `[session]`: how long a sign-in lives. Keys: `session.lifetime` (absolute), `session.idle_timeout`.
struct SessionSettings {
    var lifetime: TimeInterval
    var idleTimeout: TimeInterval

    init(config: Config) {
        lifetime = config.duration("session.lifetime", default: "14d")
        idleTimeout = config.duration("session.idle_timeout", default: "2h")
    }
}

/// `[lockout]`: Keys `lockout.max_failures`, `lockout.duration`, `lockout.max_failures_per_ip_per_hour`.
struct LockoutSettings {
    var maxFailures: Int
    var duration: TimeInterval
    var maxFailuresPerIPPerHour: Int

    init(config: Config) {
        maxFailures = config.int("lockout.max_failures", default: 5, range: 1...1000)
        duration = config.duration("lockout.duration", default: "5m")
        maxFailuresPerIPPerHour = config.int("lockout.max_failures_per_ip_per_hour", default: 100, range: 1...1_000_000)
    }
}

/// `[passwords]`: hashing cost and the length rule.
///
/// Keys: `passwords.algorithm`, `passwords.argon2_memory` (KiB), `passwords.argon2_iterations`,
/// `passwords.argon2_parallelism`, `passwords.pbkdf2_iterations`, `passwords.min_length`.
struct PasswordSettings {
    var hashing: PasswordHashSettings
    var minLength: Int

    init(config: Config) {
        let algorithm = config.choice("passwords.algorithm", default: "argon2id", among: ["argon2id", "pbkdf2-sha512"])
        hashing = PasswordHashSettings(
            algorithm: algorithm == "argon2id" ? .argon2id : .pbkdf2SHA512,
            argon2MemoryKiB: config.int("passwords.argon2_memory", default: 19456, range: 8...4_194_304),
            argon2Iterations: config.int("passwords.argon2_iterations", default: 2, range: 1...100),
            argon2Parallelism: config.int("passwords.argon2_parallelism", default: 1, range: 1...64),
            pbkdf2Iterations: config.int("passwords.pbkdf2_iterations", default: 210_000, range: 1000...100_000_000)
        )
        minLength = config.int("passwords.min_length", default: 8, range: 1...64)
    }
}

/// The account side of `[email]` (the provider's own keys are read by the provider).
///
/// Keys: `email.require_confirmed`, `email.confirm_lifetime`, `email.max_per_hour`,
/// `email.lookups_per_ip_per_hour`, `email.unconfirmed_lifetime` (default `7d`: an account whose
/// address is not confirmed by then is deleted, so nobody can squat an address forever; only
/// while `email.require_confirmed`, as otherwise unconfirmed accounts are in use).
struct EmailPolicySettings {
    var requireConfirmed: Bool
    var confirmLifetime: TimeInterval
    var maxPerHour: Int
    var lookupsPerIPPerHour: Int
    var unconfirmedLifetime: TimeInterval

    init(config: Config) {
        requireConfirmed = config.bool("email.require_confirmed", default: true)
        confirmLifetime = config.duration("email.confirm_lifetime", default: "24h")
        maxPerHour = config.int("email.max_per_hour", default: 5, range: 1...10_000)
        lookupsPerIPPerHour = config.int("email.lookups_per_ip_per_hour", default: 60, range: 1...1_000_000)
        unconfirmedLifetime = config.duration("email.unconfirmed_lifetime", default: "7d")
    }
}
