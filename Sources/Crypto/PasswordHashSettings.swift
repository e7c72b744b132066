/// How new password hashes are made. Existing hashes of any supported kind still verify; one made
/// with another algorithm or lower parameters is reported as needing a rehash.
public enum PasswordAlgorithm: String, Sendable, CaseIterable {
    /// Argon2id (RFC 9106), stored as a PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`.
    case argon2id = "argon2id"
    /// PBKDF2-HMAC-SHA512 in ASP.NET Core Identity's V3 format, readable by ASP.NET itself.
    case pbkdf2SHA512 = "pbkdf2-sha512"
}

/// The cost of new password hashes. Mirrors the config keys `passwords.algorithm`,
/// `passwords.argon2_memory` (KiB), `passwords.argon2_iterations`, `passwords.argon2_parallelism`
/// and `passwords.pbkdf2_iterations`; the defaults are OWASP's minimums (Argon2id 19 MiB, 2 passes,
/// 1 lane; PBKDF2-HMAC-SHA512 210 000 iterations).
public struct PasswordHashSettings: Sendable, Equatable {
    public var algorithm: PasswordAlgorithm
    public var argon2MemoryKiB: Int
    public var argon2Iterations: Int
    public var argon2Parallelism: Int
    public var pbkdf2Iterations: Int

    public init(algorithm: PasswordAlgorithm = .argon2id, argon2MemoryKiB: Int = 19456, argon2Iterations: Int = 2,
                argon2Parallelism: Int = 1, pbkdf2Iterations: Int = 210_000) {
        self.algorithm = algorithm
        self.argon2MemoryKiB = argon2MemoryKiB
        self.argon2Iterations = argon2Iterations
        self.argon2Parallelism = argon2Parallelism
        self.pbkdf2Iterations = pbkdf2Iterations
    }
}
