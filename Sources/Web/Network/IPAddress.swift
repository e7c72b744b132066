internal import Glibc

/// An IPv4 or IPv6 address as bytes, parsed and printed by the C library (`inet_pton`,
/// `inet_ntop`) so every spelling the system accepts is understood and each address has one
/// canonical text. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack socket
/// reports for IPv4 peers) is the IPv4 address.
struct IPAddress: Equatable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    var isIPv4: Bool { bytes.count == 4 }

    init?(_ text: String) {
        // inet_pton stops at a NUL; refuse one rather than read a prefix as the address.
        guard !text.utf8.contains(0), text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        bytes = raw.starts(with: mappedPrefix) ? Array(raw[12...]) : raw
    }

    init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16)
        self.bytes = bytes
    }

    /// The canonical text (`inet_ntop`): `10.0.0.1`, `2001:db8::1`.
    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(out.count)) != nil
            }
        }
        precondition(ok, "inet_ntop failed on a parsed address")
        let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }
}
