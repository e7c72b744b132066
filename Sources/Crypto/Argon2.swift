internal import CArgon2

/// Argon2 (RFC 9106) through libargon2's `argon2_ctx`, the one entry point that takes a custom
/// allocator (see `Argon2MappedMemory`), a secret and associated data.
enum Argon2 {
    enum Variant: String, Sendable {
        case argon2d, argon2i, argon2id

        var type: argon2_type {
            switch self {
            case .argon2d: Argon2_d
            case .argon2i: Argon2_i
            case .argon2id: Argon2_id
            }
        }
    }

    /// Version 1.3, the only one written since 2016; 1.0 (0x10) still verifies.
    static let currentVersion: UInt32 = 0x13
    static let legacyVersion: UInt32 = 0x10

    /// `ARGON2_FLAG_CLEAR_PASSWORD` and `ARGON2_FLAG_CLEAR_SECRET` from argon2.h, whose
    /// `UINT32_C(1) << n` macros Swift does not import.
    private static let clearPasswordFlag: UInt32 = 1 << 0
    private static let clearSecretFlag: UInt32 = 1 << 1

    struct Parameters: Equatable, Sendable {
        var variant: Variant = .argon2id
        var version: UInt32 = Argon2.currentVersion
        var memoryKiB: UInt32
        var iterations: UInt32
        var parallelism: UInt32
    }

    /// The raw tag. Runs on the calling thread only (`threads = 1`): workers are processes, and
    /// the result does not depend on the thread count. Password and secret copies are wiped by
    /// libargon2 (`ARGON2_FLAG_CLEAR_*`), its working memory is wiped and unmapped before return.
    static func hash(password: [UInt8], salt: [UInt8], secret: [UInt8] = [], associatedData: [UInt8] = [],
                     parameters: Parameters, length: Int) throws(PasswordHashingError) -> [UInt8] {
        guard let outputLength = UInt32(exactly: length), let passwordLength = UInt32(exactly: password.count),
              let saltLength = UInt32(exactly: salt.count), let secretLength = UInt32(exactly: secret.count),
              let associatedDataLength = UInt32(exactly: associatedData.count) else {
            throw PasswordHashingError("Argon2 input too long")
        }
        var out = [UInt8](repeating: 0, count: length)
        var passwordCopy = password
        var saltCopy = salt
        var secretCopy = secret
        var associatedDataCopy = associatedData
        let code: Int32 = out.withUnsafeMutableBufferPointer { o in
            passwordCopy.withUnsafeMutableBufferPointer { p in
                saltCopy.withUnsafeMutableBufferPointer { s in
                    secretCopy.withUnsafeMutableBufferPointer { k in
                        associatedDataCopy.withUnsafeMutableBufferPointer { a in
                            var context = argon2_context()
                            context.out = o.baseAddress
                            context.outlen = outputLength
                            context.pwd = p.baseAddress
                            context.pwdlen = passwordLength
                            context.salt = s.baseAddress
                            context.saltlen = saltLength
                            context.secret = k.baseAddress
                            context.secretlen = secretLength
                            context.ad = a.baseAddress
                            context.adlen = associatedDataLength
                            context.t_cost = parameters.iterations
                            context.m_cost = parameters.memoryKiB
                            context.lanes = parameters.parallelism
                            context.threads = 1
                            context.version = parameters.version
                            context.allocate_cbk = { memory, size in Argon2MappedMemory.allocate(memory, size) }
                            context.free_cbk = { memory, size in Argon2MappedMemory.release(memory, size) }
                            context.flags = clearPasswordFlag | clearSecretFlag
                            return argon2_ctx(&context, parameters.variant.type)
                        }
                    }
                }
            }
        }
        guard code == ARGON2_OK.rawValue else {
            throw PasswordHashingError("Argon2: " + String(cString: argon2_error_message(code)))
        }
        return out
    }
}
