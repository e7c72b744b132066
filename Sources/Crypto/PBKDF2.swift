internal import COpenSSL

/// PBKDF2 (RFC 8018) through OpenSSL's `PKCS5_PBKDF2_HMAC`: the key derivation behind ASP.NET Core
/// Identity's password hashes, kept so those hashes still verify.
public enum PBKDF2 {
    /// Derives `keyLength` bytes. `iterations` and `keyLength` must be in `1...Int32.max`
    /// (callers validate what they read from storage). With valid arguments OpenSSL fails only
    /// when it cannot allocate memory, so a failure stops the process with OpenSSL's message.
    public static func derive(password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int,
                              prf: HMAC.Algorithm) -> [UInt8] {
        precondition((1...Int(Int32.max)).contains(iterations), "PBKDF2 iterations out of range")
        precondition((1...Int(Int32.max)).contains(keyLength), "PBKDF2 key length out of range")
        precondition(password.count <= Int(Int32.max) && salt.count <= Int(Int32.max), "PBKDF2 input too long")
        var out = [UInt8](repeating: 0, count: keyLength)
        let ok = password.withUnsafeBytes { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    PKCS5_PBKDF2_HMAC(
                        p.baseAddress?.assumingMemoryBound(to: CChar.self), // NULL means "" to OpenSSL
                        Int32(p.count),
                        s.baseAddress ?? UnsafePointer(bitPattern: 1),
                        Int32(s.count),
                        Int32(iterations),
                        prf.evp,
                        Int32(keyLength),
                        o.baseAddress
                    )
                }
            }
        }
        precondition(ok == 1, "OpenSSL PKCS5_PBKDF2_HMAC failed: \(OpenSSLError.lastMessage())")
        return out
    }
}
