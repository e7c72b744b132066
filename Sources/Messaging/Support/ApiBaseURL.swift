public import Config

/// The base URL of a provider's HTTP API (`twilio.api_base`, `vonage.api_base`, and the phone
/// layer's `twilio.verify_api_base`).
///
/// It must be `https://`, because the API credentials travel with every request; plain `http://`
/// is accepted only for a loopback host (a local test double or a relay on the same machine).
public enum ApiBaseURL {
    public static func read(_ key: String, from config: Config, default defaultValue: String) -> String {
        var value = config.string(key, default: defaultValue)
        while value.hasSuffix("/") { value.removeLast() }
        if mayCarryCredentials(value) { return value }
        config.fail(key, "must be an https:// URL (http:// only for 127.0.0.1, ::1 or localhost), got \"\(value)\"")
        return value
    }

    /// `https://` with a host, or `http://` to a loopback host; never with `user:password@`, which
    /// would also make `http://127.0.0.1:80@example.com` look local while libcurl goes elsewhere.
    static func mayCarryCredentials(_ url: String) -> Bool {
        for (scheme, loopbackOnly) in [("https://", false), ("http://", true)] where url.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard !authority.contains("@") else { return false }
            let host = host(of: authority)
            return !host.isEmpty && (!loopbackOnly || isLoopback(host))
        }
        return false
    }

    private static func host(of authority: Substring) -> Substring {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return authority[authority.index(after: authority.startIndex)..<close]
        }
        return authority.prefix { $0 != ":" }
    }

    private static func isLoopback(_ host: Substring) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
