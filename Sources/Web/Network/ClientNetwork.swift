/// The key a per-client limit counts under: an IPv4 client by its address, an IPv6 client by its
/// /64 network. One IPv6 subscriber (a home, a phone, a rented server) is routinely given a whole
/// /64, so counting single IPv6 addresses would give one client 2^64 allowances.
public enum ClientNetwork {
    /// `203.0.113.9` → `203.0.113.9`; `2001:db8:1:2:aaaa::1` → `2001:db8:1:2::/64`;
    /// `::ffff:10.0.0.1` → `10.0.0.1`. Text that is not an address (a unix-socket peer) is
    /// returned as it is.
    public static func limitKey(for clientAddress: String) -> String {
        guard let address = IPAddress(clientAddress) else { return clientAddress }
        guard !address.isIPv4 else { return address.description }
        return "\(IPAddress(bytes: CIDR.masked(address.bytes, 64)))/64"
    }
}
