public import FoundationEssentials

/// One-time codes of HOTP (RFC 4226) and TOTP (RFC 6238), with ASP.NET Core Identity's extension:
/// a "modifier" appended to the counter binds a code to its purpose (e.g. the phone number being
/// confirmed), so a code made for one purpose does not work for another.
public enum TOTP {
    /// The code for one counter value: HMAC over the 8-byte big-endian counter followed by the
    /// modifier, dynamic truncation to 31 bits, the last `digits` decimal digits, zero-padded.
    /// `digits` must be in `1...9`.
    public static func code(key: [UInt8], counter: UInt64, digits: Int, algorithm: HMAC.Algorithm = .sha1,
                            modifier: [UInt8] = []) -> String {
        precondition((1...9).contains(digits), "TOTP digits must be 1...9")
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) } + modifier
        let mac = HMAC.authenticate(message, key: key, using: algorithm)
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let truncated = UInt32(mac[offset] & 0x7f) << 24 | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(truncated % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The time step containing `date`: whole `step`s since the Unix epoch (0 before it).
    public static func counter(at date: Date, step: TimeInterval) -> UInt64 {
        precondition(step > 0, "TOTP step must be positive")
        let steps = (date.timeIntervalSince1970 / step).rounded(.down)
        guard steps > 0 else { return 0 }
        return UInt64(exactly: steps) ?? UInt64.max
    }
}
