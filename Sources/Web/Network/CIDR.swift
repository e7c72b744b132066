/// An address range from `server.trusted_proxies`: `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
/// A single address is a range of one.
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    let network: IPAddress
    public let prefixLength: Int

    /// Refuses, with a message for `check-config`, anything that is not an address, a prefix
    /// length out of range, or a range with host bits set (`10.0.0.1/8` is probably a typo for
    /// `10.0.0.0/8` or `10.0.0.1/32`, and guessing would trust the wrong machines).
    public init(_ text: String) throws(CIDRError) {
        let trimmed = String(ASCII.trimmingWhitespace(text[...]))
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else {
            throw CIDRError(text: text, message: "\"\(parts[0])\" is not an IPv4 or IPv6 address")
        }
        let writtenAsIPv6 = parts[0].contains(":")
        let bits = writtenAsIPv6 ? 128 : 32
        var length = bits
        if parts.count == 2 {
            guard (1...3).contains(parts[1].utf8.count), parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(parts[1]), value <= bits else {
                throw CIDRError(text: text, message: "\"\(parts[1])\" is not a prefix length from 0 to \(bits)")
            }
            length = value
        }
        // `::ffff:10.0.0.0/104` is written in IPv6 but compared as IPv4.
        if address.isIPv4 && writtenAsIPv6 {
            guard length >= 96 else {
                throw CIDRError(text: text, message: "an IPv4-mapped range needs a prefix length of at least 96")
            }
            length -= 96
        }
        guard Self.masked(address.bytes, length) == address.bytes else {
            let network = IPAddress(bytes: Self.masked(address.bytes, length))
            throw CIDRError(text: text, message: "host bits are set; the range is \(network)/\(length)")
        }
        network = address
        prefixLength = length
    }

    /// Whether `address` (any spelling `inet_pton` accepts) lies in the range; false for text
    /// that is not an address.
    public func contains(_ address: String) -> Bool {
        guard let parsed = IPAddress(address) else { return false }
        return contains(parsed)
    }

    func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && Self.masked(address.bytes, prefixLength) == network.bytes
    }

    public var description: String { "\(network)/\(prefixLength)" }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = min(max(length - index * 8, 0), 8)
            return keep == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
    }
}

public struct CIDRError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let message: String

    public var description: String { "\(text): \(message)" }
}
