/// Who the client is, for per-address limits and logs.
///
/// `X-Forwarded-For` is believed only as far as `server.trusted_proxies` vouch for it: when the
/// peer (`REMOTE_ADDR`) is a trusted proxy, the list is walked from the right (the entry that
/// proxy added) past every trusted proxy, and the first address not trusted is the client.
/// Anything to its left was written by the client and could be anything.
public enum ClientAddress {
    /// The client address in canonical form (`inet_ntop`), so one client has one spelling in the
    /// limit tables. `remoteAddress` is returned as given when it is not an address at all (a unix
    /// socket peer, an empty `REMOTE_ADDR`).
    public static func resolve(remoteAddress: String, forwardedFor: String?, trustedProxies: [CIDR]) -> String {
        guard let remote = IPAddress(remoteAddress) else { return remoteAddress }
        func trusted(_ address: IPAddress) -> Bool {
            trustedProxies.contains { $0.contains(address) }
        }
        guard trusted(remote), let forwardedFor else { return remote.description }
        var client = remote
        for entry in forwardedFor.split(separator: ",", omittingEmptySubsequences: false).reversed() {
            // A malformed entry means the chain can no longer be read; the last address we could
            // vouch for stands in for the client (stricter, never spoofable).
            guard let address = IPAddress(String(ASCII.trimmingWhitespace(entry))) else { break }
            client = address
            if !trusted(address) { break }
        }
        return client.description
    }
}
