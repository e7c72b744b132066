/// Hashes new passwords with the configured algorithm and verifies stored hashes of every kind
/// Countersign reads: Argon2 PHC strings and ASP.NET Core Identity V2/V3 hashes, so accounts
/// imported from ASP.NET keep working and are upgraded at their next sign-in.
public final class PasswordHasher {
    public let settings: PasswordHashSettings
    private let random: any RandomSource

    static let saltLength = 16
    static let hashLength = 32

    /// `settings` mirrors the `passwords.*` config keys (see `PasswordHashSettings`); salts come
    /// from `random`.
    public init(settings: PasswordHashSettings, random: any RandomSource) {
        self.settings = settings
        self.random = random
    }

    /// A new stored hash with a fresh 16-byte salt. Throws when the settings are out of range or
    /// Argon2 cannot get its memory.
    public func hash(_ password: String) throws -> String {
        let salt = random.bytes(Self.saltLength)
        switch settings.algorithm {
        case .argon2id:
            let parameters = try configuredArgon2Parameters()
            let tag = try Argon2.hash(password: Array(password.utf8), salt: salt, parameters: parameters,
                                      length: Self.hashLength)
            return Argon2PHCString(parameters: parameters, salt: salt, hash: tag).encoded
        case .pbkdf2SHA512:
            guard (1...Int(Int32.max)).contains(settings.pbkdf2Iterations) else {
                throw PasswordHashingError("passwords.pbkdf2_iterations must be between 1 and \(Int32.max)")
            }
            let subkey = PBKDF2.derive(password: Array(password.utf8), salt: salt, iterations: settings.pbkdf2Iterations,
                                       keyLength: Self.hashLength, prf: .sha512)
            return AspNetIdentityPasswordHash.v3(prf: .sha512, iterations: settings.pbkdf2Iterations, salt: salt,
                                                 subkey: subkey).encoded
        }
    }

    /// Checks `password` against `stored`. Anything unreadable (empty, truncated, unknown format,
    /// parameters out of range) is `.failed`, never a crash. The hashes are compared in constant
    /// time.
    public func verify(_ password: String, against stored: String) -> PasswordVerification {
        let passwordBytes = Array(password.utf8)
        if stored.hasPrefix("$") {
            guard let phc = Argon2PHCString(parsing: stored),
                  let tag = try? Argon2.hash(password: passwordBytes, salt: phc.salt, parameters: phc.parameters,
                                             length: phc.hash.count),
                  ConstantTime.equals(tag, phc.hash) else { return .failed }
            return needsRehash(phc) ? .succeededRehashNeeded : .succeeded
        }
        guard let aspNet = AspNetIdentityPasswordHash(parsing: stored),
              ConstantTime.equals(aspNet.derive(from: passwordBytes), aspNet.subkey) else { return .failed }
        return needsRehash(aspNet) ? .succeededRehashNeeded : .succeeded
    }

    private func configuredArgon2Parameters() throws(PasswordHashingError) -> Argon2.Parameters {
        guard let memory = UInt32(exactly: settings.argon2MemoryKiB),
              let iterations = UInt32(exactly: settings.argon2Iterations),
              let parallelism = UInt32(exactly: settings.argon2Parallelism) else {
            throw PasswordHashingError("passwords.argon2_* values must be between 0 and \(UInt32.max)")
        }
        return Argon2.Parameters(memoryKiB: memory, iterations: iterations, parallelism: parallelism)
    }

    private func needsRehash(_ stored: Argon2PHCString) -> Bool {
        guard settings.algorithm == .argon2id, let configured = try? configuredArgon2Parameters() else { return true }
        let parameters = stored.parameters
        return parameters.variant != .argon2id || parameters.version != Argon2.currentVersion
            || parameters.memoryKiB < configured.memoryKiB || parameters.iterations < configured.iterations
            || parameters.parallelism < configured.parallelism
            || stored.salt.count < Self.saltLength || stored.hash.count < Self.hashLength
    }

    private func needsRehash(_ stored: AspNetIdentityPasswordHash) -> Bool {
        guard settings.algorithm == .pbkdf2SHA512,
              case let .v3(prf, iterations, salt, subkey) = stored else { return true }
        return prf != .sha512 || iterations < settings.pbkdf2Iterations
            || salt.count < Self.saltLength || subkey.count < Self.hashLength
    }
}
