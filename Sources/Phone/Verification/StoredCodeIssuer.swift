import Crypto
import FoundationEssentials
import Messaging
import Storage

/// `tokens.provider = stored` (the default): a code of `tokens.digits` random decimal digits,
/// sent through the SMS provider and kept only as a keyed hash bound to the user, the user's
/// security stamp and the exact number it was sent to (CONTRACT.md §6).
///
/// The hash is HMAC-SHA256 under a key derived from `cookies.secret`, so a copy of the database
/// alone is not enough to test the 10^digits candidates offline. Binding the stamp makes a
/// password change (or a verified number) end any code still pending, as it ends sign-ins and
/// links. Rotating `cookies.secret` ends pending codes too (they live minutes).
public final class StoredCodeIssuer: CodeIssuer {
    public static let providerName = "stored"
    public let name = StoredCodeIssuer.providerName
    public let checksRemotely = false

    private let settings: PhoneVerificationSettings
    private let sms: any SmsSender
    private let key: [UInt8]
    private let random: any RandomSource

    /// - Parameters:
    ///   - key: the hashing key, `StoredCodeIssuer.key(fromCookieSecret:)`.
    ///   - random: a cryptographic generator (`SecureRandom`); tests pass a predictable one.
    public init(settings: PhoneVerificationSettings, sms: any SmsSender, key: [UInt8], random: any RandomSource) {
        self.settings = settings
        self.sms = sms
        self.key = key
        self.random = random
    }

    /// The code-hashing key: HMAC-SHA256(`cookies.secret`, "countersign phone code"). A key of
    /// its own, labelled, so a code hash can never be mistaken for (or used as) a cookie
    /// signature, which uses the secret for another purpose.
    public static func key(fromCookieSecret secret: [UInt8]) -> [UInt8] {
        HMAC.sha256(Array("countersign phone code".utf8), key: secret)
    }

    /// `digits` decimal digits, zero-padded, uniform over all 10^digits codes: drawn with
    /// `uniform(below:)`, which rejects the top of the 64-bit range that a plain modulo would
    /// over-represent.
    public static func makeCode(digits: Int, random: any RandomSource) -> String {
        precondition((1...19).contains(digits), "a code has 1 to 19 digits")
        var count: UInt64 = 1
        for _ in 0..<digits { count *= 10 }
        let number = String(random.uniform(below: count))
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The keyed hash of `code` for this user, stamp and number. Each field is length-prefixed
    /// (4 bytes, big-endian) so no two different tuples give the same input.
    /// The purpose is a fifth field for every purpose but phone verification, whose hashes keep
    /// their original four fields (codes pending at an upgrade stay valid).
    public func hash(code: String, userId: String, securityStamp: String, phoneNumber: String,
                     purpose: VerificationPurpose = .phoneNumber) -> [UInt8] {
        var message: [UInt8] = []
        let fields = [userId, securityStamp, phoneNumber, code] + (purpose == .phoneNumber ? [] : [purpose.rawValue])
        for field in fields {
            let bytes = Array(field.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { message.append(contentsOf: $0) }
            message.append(contentsOf: bytes)
        }
        return HMAC.sha256(message, key: key)
    }

    public func issue(to phoneNumber: String, for user: UserRecord, purpose: VerificationPurpose, now: Date)
        throws(SmsSendError) -> [UInt8]? {
        let code = Self.makeCode(digits: settings.digits, random: random)
        _ = try sms.send(SmsMessage(to: phoneNumber, body: settings.message(code: code)))
        return hash(code: code, userId: user.id, securityStamp: user.securityStamp, phoneNumber: phoneNumber, purpose: purpose)
    }

    public func check(_ code: String, against pending: PendingVerification, for user: UserRecord, now: Date)
        throws(CodeCheckFailure) -> CodeCheck {
        guard let stored = pending.codeHash, pending.userId == user.id else { return .wrong }
        let entered = hash(code: code, userId: user.id, securityStamp: user.securityStamp, phoneNumber: pending.phoneNumber,
                           purpose: pending.purpose)
        return ConstantTime.equals(entered, stored) ? .right : .wrong
    }
}
