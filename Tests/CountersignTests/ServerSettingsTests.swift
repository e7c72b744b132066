@testable import Countersign
import Config
import Testing

/// `server.base_url` is parsed by the same rules as the Origin check of every POST; the WebOTP
/// line of every SMS uses its host name.
@Suite struct ServerSettingsTests {
    func settings(baseURL: String) -> (ServerSettings, [String]) {
        let config = Config(text: "[server]\nbase_url = \(baseURL)\n", file: "FILE", environment: [:])
        return (ServerSettings(config: config), config.problems.map(\.message))
    }

    @Test(arguments: [
        ("https://example.com", "example.com"),
        ("https://Shop.Example.COM:8443/", "shop.example.com"),
        ("http://127.0.0.1:8080", "127.0.0.1"),
        ("https://[::1]:8443", "::1"),
    ])
    func theWebOTPHostIsTheLowerCaseHostWithoutPort(_ baseURL: String, _ host: String) {
        let (server, problems) = settings(baseURL: baseURL)
        #expect(problems.isEmpty)
        #expect(server.baseHost == host)
    }

    @Test(arguments: ["example.com", "ftp://example.com", "https://user@example.com", "https://", "https://exa mple.com", "https://example.com:99999"])
    func aBaseURLTheOriginCheckCannotReadIsRefused(_ baseURL: String) {
        let (server, problems) = settings(baseURL: baseURL)
        #expect(problems.contains { $0.hasPrefix("server.base_url: must be an absolute http:// or https:// URL") })
        #expect(server.baseHost.isEmpty)
    }
}

/// The known keys are exactly CONTRACT.md §2's: composed from each layer's own list, none lost.
@Suite struct ConfigKeysTests {
    @Test func theKnownKeysAreTheContractsKeys() {
        let contract: Set<String> = [
            "server.listen", "server.allow_remote", "server.listen_mode", "server.listen_owner", "server.listen_group",
            "server.workers", "server.max_requests", "server.shutdown_timeout", "server.base_url", "server.mount",
            "server.max_body", "server.after_login", "server.app_name", "server.trusted_proxies", "server.status_allow",
            "storage.provider", "storage.path", "storage.url", "cookies.secret", "cookies.previous_secrets", "cookies.secure",
            "session.lifetime", "session.idle_timeout", "passwords.algorithm", "passwords.argon2_memory",
            "passwords.argon2_iterations", "passwords.argon2_parallelism", "passwords.pbkdf2_iterations",
            "passwords.min_length", "lockout.max_failures", "lockout.duration", "email.require_confirmed",
            "email.confirm_lifetime", "email.max_per_hour", "email.lookups_per_ip_per_hour", "email.provider",
            "email.from", "email.path", "email.url", "email.username", "email.password", "email.allow_plaintext",
            "email.command", "phone.default_region", "phone.allowed_regions", "tokens.provider", "tokens.digits",
            "tokens.lifetime", "tokens.max_attempts", "tokens.resend_cooldown", "tokens.max_sends_per_hour",
            "tokens.max_sends_per_ip_per_hour", "sms.provider", "sms.path", "sms.template", "sms.webotp",
            "sms.daily_limit", "sms.command", "twilio.account_sid", "twilio.auth_token", "twilio.from",
            "twilio.messaging_service_sid", "twilio.verify_service_sid", "twilio.api_base", "twilio.verify_api_base",
            "vonage.api_key", "vonage.api_secret", "vonage.from", "vonage.api_base", "templates.dir",
            "http_sms.url", "http_sms.method", "http_sms.content_type", "http_sms.body", "http_sms.from",
            "http_sms.headers", "http_sms.accept_status", "http_sms.timeout",
            "storage.mode", "lockout.max_failures_per_ip_per_hour", "sms.max_per_region_per_hour", "sms.max_per_prefix_per_hour",
            "sms.min_conversion", "sms.conversion_window", "sms.conversion_min_sample", "sms.fraud_action",
            // Not in CONTRACT.md §2 yet (issue 8 adds it; README documents it).
            "email.unconfirmed_lifetime",
            "twofactor.remember_lifetime", "twofactor.recovery_codes", "passwords.reset_lifetime", "passwords.reset_by_sms",
        ]
        #expect(ConfigKeys.all == contract)
    }
}
