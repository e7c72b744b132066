internal import COpenSSL

/// Keyed message authentication through OpenSSL's EVP_MAC interface (see `countersign_hmac` in
/// the COpenSSL shim for why not the one-shot `HMAC()`).
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

        /// OpenSSL's name for the digest.
        var digestName: String {
            switch self {
            case .sha1: "SHA1"
            case .sha256: "SHA256"
            case .sha512: "SHA512"
            }
        }
    }

    public static func authenticate(_ message: [UInt8], key: [UInt8], using algorithm: Algorithm) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.outputSize)
        var length = 0
        let result = algorithm.digestName.withCString { digest in
            key.withUnsafeBufferPointer { k in
                message.withUnsafeBufferPointer { m in
                    out.withUnsafeMutableBufferPointer { o in
                        countersign_hmac(digest, UnsafeRawPointer(k.baseAddress ?? UnsafePointer(bitPattern: 1)), k.count,
                                         m.baseAddress ?? UnsafePointer(bitPattern: 1), m.count, o.baseAddress, o.count, &length)
                    }
                }
            }
        }
        precondition(result == 1 && length == algorithm.outputSize, "OpenSSL HMAC failed: \(OpenSSLError.lastMessage())")
        return out
    }

    public static func sha256(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        authenticate(message, key: key, using: .sha256)
    }

    public static func sha512(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        authenticate(message, key: key, using: .sha512)
    }
}
