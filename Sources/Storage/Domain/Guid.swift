public import Crypto

/// Version-4 GUIDs in ASP.NET's text form (lower-case, 8-4-4-4-12), for user ids and
/// concurrency stamps.
public enum Guid {
    public static func random(using random: any RandomSource) -> String {
        var bytes = random.bytes(16)
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        let hex = Array(Hex.encode(bytes))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }
}
