internal import COpenSSL

/// Unkeyed hashes through OpenSSL's EVP one-shot interface.
public enum Digest {
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var size: UInt32 = 0
        let ok = data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(d.baseAddress ?? UnsafePointer(bitPattern: 1), d.count, o.baseAddress, &size, EVP_sha256(), nil)
            }
        }
        precondition(ok == 1 && size == 32, "OpenSSL EVP_Digest failed")
        return out
    }
}
