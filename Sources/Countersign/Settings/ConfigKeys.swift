import Messaging
import Phone

/// Every key the config file may contain (CONTRACT.md §2). Anything else is an "unknown key"
/// error, so a typo never silently falls back to a default. Each provider layer lists the keys
/// it reads; the app lists its own.
enum ConfigKeys {
    static let application: Set<String> = [
        "server.listen", "server.allow_remote", "server.listen_mode", "server.listen_owner", "server.listen_group",
        "server.workers", "server.max_requests", "server.shutdown_timeout", "server.base_url", "server.mount",
        "server.max_body", "server.after_login", "server.app_name", "server.trusted_proxies",
        "server.status_allow",
        "cookies.secret", "cookies.previous_secrets", "cookies.secure",
        "session.lifetime", "session.idle_timeout",
        "passwords.algorithm", "passwords.argon2_memory", "passwords.argon2_iterations", "passwords.argon2_parallelism",
        "passwords.pbkdf2_iterations", "passwords.min_length",
        "lockout.max_failures", "lockout.duration", "lockout.max_failures_per_ip_per_hour",
        "email.require_confirmed", "email.confirm_lifetime", "email.max_per_hour", "email.lookups_per_ip_per_hour", "email.unconfirmed_lifetime",
        "phone.default_region", "phone.allowed_regions",
        "templates.dir",
        "twofactor.remember_lifetime", "twofactor.recovery_codes", "passwords.reset_lifetime", "passwords.reset_by_sms",
    ]

    static let all: Set<String> = application
        .union(EmailProviders.configKeys)
        .union(SmsProviders.configKeys)
        .union(PhoneVerificationSettings.configKeys)
        .union(StorageProviders.configKeys)
}
