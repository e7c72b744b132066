import FoundationEssentials

/// A password hash in ASP.NET Core Identity's binary formats, stored as standard Base64 (padded):
///
/// - V2: `0x00 | salt (16) | subkey (32)`, PBKDF2-HMAC-SHA1 with 1 000 iterations.
/// - V3: `0x01 | prf | iterations | salt length | salt | subkey`, the three numbers uint32 big-endian,
///   prf 0 = HMAC-SHA1, 1 = HMAC-SHA256, 2 = HMAC-SHA512.
///
/// Reading follows ASP.NET's own `PasswordHasher`: V2 must be exactly 49 bytes; V3 needs a salt and
/// a subkey of at least 16 bytes each, and the subkey is whatever follows the salt.
enum AspNetIdentityPasswordHash: Equatable {
    case v2(salt: [UInt8], subkey: [UInt8])
    case v3(prf: HMAC.Algorithm, iterations: Int, salt: [UInt8], subkey: [UInt8])

    static let v2Iterations = 1000
    static let v2SaltLength = 16
    static let v2SubkeyLength = 32
    static let minimumV3SaltLength = 16
    static let minimumV3SubkeyLength = 16

    /// nil for text that is not Base64, or bytes that are neither format.
    init?(parsing text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        let bytes = [UInt8](data)
        guard let marker = bytes.first else { return nil }
        switch marker {
        case 0x00:
            guard bytes.count == 1 + Self.v2SaltLength + Self.v2SubkeyLength else { return nil }
            self = .v2(salt: Array(bytes[1...Self.v2SaltLength]), subkey: Array(bytes[(1 + Self.v2SaltLength)...]))
        case 0x01:
            guard bytes.count >= 13 else { return nil }
            let prfCode = Self.readUInt32(bytes, at: 1)
            let iterations = Self.readUInt32(bytes, at: 5)
            let saltLength = Int(Self.readUInt32(bytes, at: 9))
            guard let prf = Self.prf(code: prfCode), iterations >= 1, iterations <= UInt32(Int32.max),
                  saltLength >= Self.minimumV3SaltLength, bytes.count - 13 - Self.minimumV3SubkeyLength >= saltLength
            else { return nil }
            self = .v3(prf: prf, iterations: Int(iterations), salt: Array(bytes[13..<(13 + saltLength)]),
                       subkey: Array(bytes[(13 + saltLength)...]))
        default:
            return nil
        }
    }

    var encoded: String {
        var bytes: [UInt8]
        switch self {
        case let .v2(salt, subkey):
            bytes = [0x00] + salt + subkey
        case let .v3(prf, iterations, salt, subkey):
            bytes = [0x01]
            Self.appendUInt32(Self.code(of: prf), to: &bytes)
            Self.appendUInt32(UInt32(iterations), to: &bytes)
            Self.appendUInt32(UInt32(salt.count), to: &bytes)
            bytes += salt + subkey
        }
        return Data(bytes).base64EncodedString()
    }

    /// The subkey this format would derive from `password` with the stored salt and cost.
    func derive(from password: [UInt8]) -> [UInt8] {
        switch self {
        case let .v2(salt, subkey):
            PBKDF2.derive(password: password, salt: salt, iterations: Self.v2Iterations, keyLength: subkey.count, prf: .sha1)
        case let .v3(prf, iterations, salt, subkey):
            PBKDF2.derive(password: password, salt: salt, iterations: iterations, keyLength: subkey.count, prf: prf)
        }
    }

    var subkey: [UInt8] {
        switch self {
        case let .v2(_, subkey), let .v3(_, _, _, subkey): subkey
        }
    }

    private static func prf(code: UInt32) -> HMAC.Algorithm? {
        switch code {
        case 0: .sha1
        case 1: .sha256
        case 2: .sha512
        default: nil
        }
    }

    private static func code(of prf: HMAC.Algorithm) -> UInt32 {
        switch prf {
        case .sha1: 0
        case .sha256: 1
        case .sha512: 2
        }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
