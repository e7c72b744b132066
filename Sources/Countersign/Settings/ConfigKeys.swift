/// Every key the config file may contain (CONTRACT.md §2). Anything else is an "unknown key"
/// error, so a typo never silently falls back to a default.
enum ConfigKeys {
    static let all: Set<String> = [
        "server.listen", "server.allow_remote", "server.listen_mode", "server.listen_owner", "server.listen_group",
        "server.workers", "server.max_requests", "server.shutdown_timeout", "server.base_url", "server.mount",
        "server.max_body", "server.after_login", "server.app_name", "server.trusted_proxies",
        "storage.provider", "storage.path", "storage.url",
        "cookies.secret", "cookies.previous_secrets", "cookies.secure",
        "session.lifetime", "session.idle_timeout",
        "passwords.algorithm", "passwords.argon2_memory", "passwords.argon2_iterations", "passwords.argon2_parallelism",
        "passwords.pbkdf2_iterations", "passwords.min_length",
        "lockout.max_failures", "lockout.duration",
        "email.require_confirmed", "email.confirm_lifetime", "email.max_per_hour", "email.lookups_per_ip_per_hour",
        "email.provider", "email.from", "email.path", "email.url", "email.username", "email.password",
        "email.allow_plaintext", "email.command",
        "phone.default_region", "phone.allowed_regions",
        "tokens.provider", "tokens.digits", "tokens.lifetime", "tokens.max_attempts", "tokens.resend_cooldown",
        "tokens.max_sends_per_hour", "tokens.max_sends_per_ip_per_hour",
        "sms.provider", "sms.path", "sms.template", "sms.webotp", "sms.daily_limit", "sms.command",
        "twilio.account_sid", "twilio.auth_token", "twilio.from", "twilio.messaging_service_sid",
        "twilio.verify_service_sid", "twilio.api_base", "twilio.verify_api_base",
        "vonage.api_key", "vonage.api_secret", "vonage.from", "vonage.api_base",
        "templates.dir",
    ]
}
