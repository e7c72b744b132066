import Config

/// The base URL of a provider's HTTP API (`twilio.api_base`, `vonage.api_base`, and the phone
/// layer's `twilio.verify_api_base`).
///
/// It must be `https://`, because the API credentials travel with every request; plain `http://`
/// is accepted only for a loopback host (a local test double or a relay on the same machine).
public enum ApiBaseURL {
    public static func read(_ key: String, from config: Config, default defaultValue: String) -> String {
        var value = config.string(key, default: defaultValue)
        while value.hasSuffix("/") { value.removeLast() }
        if value.hasPrefix("https://") && value.count > "https://".count { return value }
        if value.hasPrefix("http://") && isLoopback(host(of: value.dropFirst("http://".count))) { return value }
        config.fail(key, "must be an https:// URL (http:// only for 127.0.0.1, ::1 or localhost), got \"\(value)\"")
        return value
    }

    private static func host(of rest: Substring) -> Substring {
        let authority = rest.prefix { $0 != "/" }
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
