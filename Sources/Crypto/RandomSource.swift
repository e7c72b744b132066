internal import COpenSSL

/// Where secret random bytes come from. Injected so tests can make codes and ids predictable.
public protocol RandomSource: AnyObject {
    func bytes(_ count: Int) -> [UInt8]
}

/// OpenSSL's CSPRNG (`RAND_bytes`). A failure here means the machine cannot make secrets at all,
/// so it stops the process rather than hand out weak ones.
public final class SecureRandom: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "RAND_bytes failed: the system random generator is unavailable")
        return out
    }
}

extension RandomSource {
    /// A uniformly distributed integer in `0..<upperBound`, by rejection sampling (no modulo bias).
    public func uniform(below upperBound: UInt64) -> UInt64 {
        precondition(upperBound > 0)
        let limit = UInt64.max - (UInt64.max % upperBound)
        while true {
            let value = bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value < limit { return value % upperBound }
        }
    }
}
