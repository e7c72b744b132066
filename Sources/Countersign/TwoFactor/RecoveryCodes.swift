import Crypto
import FoundationEssentials
import Storage

/// Two-factor recovery codes: `twofactor.recovery_codes` per set, each 10 base32 characters
/// (50 bits from the cryptographic random source) shown as `XXXXX-XXXXX`, stored only as an
/// HMAC-SHA256 keyed with a key derived from `cookies.secret` (a copy of the database alone
/// cannot test guesses offline).
struct RecoveryCodes {
    let services: Services

    private var key: [UInt8] {
        HMAC.sha256(Array("countersign recovery codes".utf8), key: services.settings.cookies.secret)
    }

    /// A fresh set: stored (replacing the old set) and returned for showing once.
    func generate(for user: UserRecord) throws -> [String] {
        let codes = (0..<services.settings.twoFactor.recoveryCodes).map { _ in
            // 7 random bytes give 56 bits; the first 10 base32 characters keep 50 of them.
            let text = String(Base32.encode(services.random.bytes(7)).prefix(10))
            return String(text.prefix(5)) + "-" + String(text.suffix(5))
        }
        try services.storage.recoveryCodes.replaceAll(userId: user.id, hashes: codes.map { hash($0, userId: user.id) })
        return codes
    }

    /// Spends `typed` if it is one of the user's unused codes. Case, spaces and hyphens are
    /// ignored (people copy codes from paper).
    func redeem(_ typed: String, userId: String) throws -> Bool {
        let code = Self.normalize(typed)
        guard code.utf8.count == 10 else { return false }
        return try services.storage.recoveryCodes.redeem(userId: userId, hash: hash(code, userId: userId))
    }

    /// Upper case without spaces and hyphens: `abcde-fghij` → `ABCDEFGHIJ`.
    static func normalize(_ typed: String) -> String {
        String(typed.uppercased().unicodeScalars.filter { $0 != " " && $0 != "-" && $0 != "\t" })
    }

    /// Whether `typed` looks like a recovery code rather than an SMS code (it has letters).
    static func looksLikeRecoveryCode(_ typed: String) -> Bool {
        normalize(typed).unicodeScalars.contains { $0.properties.isAlphabetic }
    }

    private func hash(_ code: String, userId: String) -> String {
        let normalized = Self.normalize(code)
        return Hex.encode(HMAC.sha256(Array((userId + "\u{0}" + normalized).utf8), key: key))
    }
}
