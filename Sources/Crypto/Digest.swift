internal import COpenSSL

/// Unkeyed hashes through OpenSSL's EVP one-shot interface.
public enum Digest {
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        digest(data, using: .sha256)
    }

    public static func sha512(_ data: [UInt8]) -> [UInt8] {
        digest(data, using: .sha512)
    }

    /// Only for compatibility with formats that use it (never for new secrets).
    public static func sha1(_ data: [UInt8]) -> [UInt8] {
        digest(data, using: .sha1)
    }

    /// A failure here means OpenSSL cannot hash at all (no memory, broken provider): the process
    /// stops rather than carry on without integrity checks.
    static func digest(_ data: [UInt8], using algorithm: HMAC.Algorithm) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.outputSize)
        var size: UInt32 = 0
        let ok = data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(d.baseAddress ?? UnsafePointer(bitPattern: 1), d.count, o.baseAddress, &size, algorithm.evp, nil)
            }
        }
        precondition(ok == 1 && Int(size) == algorithm.outputSize, "OpenSSL EVP_Digest failed: \(OpenSSLError.lastMessage())")
        return out
    }
}
