internal import COpenSSL

/// Keyed message authentication through OpenSSL's one-shot `HMAC()`.
public enum HMAC {
    /// The hash inside the MAC (also the PRF of PBKDF2 and the hash of HOTP/TOTP).
    public enum Algorithm: Sendable, CaseIterable {
        case sha1, sha256, sha512

        var outputSize: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha512: 64
            }
        }

        var evp: OpaquePointer {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha512: EVP_sha512()
            }
        }
    }

    public static func authenticate(_ message: [UInt8], key: [UInt8], using algorithm: Algorithm) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.outputSize)
        var length: UInt32 = 0
        let result = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer { o in
                    COpenSSL.HMAC(algorithm.evp, k.baseAddress ?? UnsafePointer(bitPattern: 1), Int32(k.count),
                                  m.baseAddress ?? UnsafePointer(bitPattern: 1), m.count, o.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && Int(length) == algorithm.outputSize, "OpenSSL HMAC failed: \(OpenSSLError.lastMessage())")
        return out
    }

    public static func sha256(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        authenticate(message, key: key, using: .sha256)
    }

    public static func sha512(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        authenticate(message, key: key, using: .sha512)
    }
}
