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
