import Crypto
import FoundationEssentials
import Messaging
import Storage

/// `tokens.provider = totp`: codes exactly as ASP.NET Core Identity makes them for
/// `GenerateChangePhoneNumberTokenAsync`, so a site moving between the two accepts each other's
/// codes. RFC 6238 with HMAC-SHA1, 3-minute steps, 6 digits (`tokens.digits` does not apply), the
/// key the UTF-16LE bytes of the user's security stamp, the modifier
/// `PhoneNumber:ChangePhoneNumber:{new}:{stored}` (`stored` is the user's current
/// `PhoneNumber`, empty when none), and the steps from two before to two after the current one
/// accepted: a code works for 6 to 9 minutes.
///
/// Nothing is stored: the code is derived again when checked. What ASP.NET lacks is added by
/// `PhoneVerifier` on top, as for every provider: the attempt limit, the cooldown and send
/// limits, and single use (the pending verification is deleted and the security stamp — the
/// TOTP key — changes on success). Within its window an older code for the same number still
/// works, as in ASP.NET; a code for another number does not (the modifier differs).
public final class TotpCodeIssuer: CodeIssuer {
    public static let providerName = "totp"
    public static let digits = 6
    /// ASP.NET's `Rfc6238AuthenticationService` time step.
    public static let step: TimeInterval = 180
    /// Steps accepted either side of the current one.
    public static let window: Int64 = 2
    /// A code made at any moment of its step is accepted at least this long (it may be up to
    /// 3 minutes more).
    public static let guaranteedLifetime: TimeInterval = 360

    public let name = TotpCodeIssuer.providerName
    public let checksRemotely = false

    private let settings: PhoneVerificationSettings
    private let sms: any SmsSender

    public init(settings: PhoneVerificationSettings, sms: any SmsSender) {
        self.settings = settings
        self.sms = sms
    }

    /// `Encoding.Unicode.GetBytes(securityStamp)`, ASP.NET's `CreateSecurityTokenAsync`.
    public static func key(securityStamp: String) -> [UInt8] {
        securityStamp.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    /// The UTF-8 modifier of ASP.NET's phone-number token provider for a change of number:
    /// `"PhoneNumber:" + purpose + ":" + storedNumber` with purpose `"ChangePhoneNumber:" + new`.
    public static func modifier(newPhoneNumber: String, storedPhoneNumber: String?) -> [UInt8] {
        Array("PhoneNumber:ChangePhoneNumber:\(newPhoneNumber):\(storedPhoneNumber ?? "")".utf8)
    }

    /// The modifier for `purpose`: ASP.NET's phone-number token provider names its purposes
    /// `"PhoneNumber:" + purpose + ":" + storedNumber` — `TwoFactor` for sign-in, `ResetPassword`
    /// for a reset — so a code of one purpose never works for another.
    ///
    /// A right phone or reset code changes the security stamp (the TOTP key), which makes it
    /// single use; a sign-in does not, so a sign-in code's modifier also names the instant it
    /// was sent (`sentAt`, the pending row's `lastSentAt`): a code seen once cannot sign in again
    /// through a new pending sign-in within its time window, as it could in ASP.NET.
    public static func modifier(purpose: VerificationPurpose, phoneNumber: String, storedPhoneNumber: String?,
                                sentAt: Date) -> [UInt8] {
        switch purpose {
        case .phoneNumber:
            return modifier(newPhoneNumber: phoneNumber, storedPhoneNumber: storedPhoneNumber)
        case .signIn:
            let micros = Int64((sentAt.timeIntervalSince1970 * 1_000_000).rounded())
            return Array("PhoneNumber:TwoFactor:\(storedPhoneNumber ?? ""):\(micros)".utf8)
        case .passwordReset:
            return Array("PhoneNumber:ResetPassword:\(storedPhoneNumber ?? "")".utf8)
        }
    }

    /// The code for `date`'s time step (`offset` steps away).
    public static func code(securityStamp: String, modifier: [UInt8], at date: Date, offset: Int64 = 0) -> String {
        let current = Int64(clamping: TOTP.counter(at: date, step: step))
        let counter = UInt64(clamping: current + offset)
        return TOTP.code(key: key(securityStamp: securityStamp), counter: counter, digits: digits, algorithm: .sha1,
                         modifier: modifier)
    }

    /// ASP.NET's `ValidateAsync`: any of the steps `-window...window` around `date`. Every step is
    /// computed and compared in constant time, whichever matches.
    public static func isValid(_ code: String, securityStamp: String, modifier: [UInt8], at date: Date) -> Bool {
        let entered = Array(code.utf8)
        var matched = false
        for offset in -window...window {
            let candidate = Self.code(securityStamp: securityStamp, modifier: modifier, at: date, offset: offset)
            if ConstantTime.equals(Array(candidate.utf8), entered) { matched = true }
        }
        return matched
    }

    public func issue(to phoneNumber: String, for user: UserRecord, purpose: VerificationPurpose, now: Date)
        throws(SmsSendError) -> [UInt8]? {
        let modifier = Self.modifier(purpose: purpose, phoneNumber: phoneNumber, storedPhoneNumber: user.phoneNumber, sentAt: now)
        let code = Self.code(securityStamp: user.securityStamp, modifier: modifier, at: now)
        _ = try sms.send(SmsMessage(to: phoneNumber, body: settings.message(code: code)))
        return nil
    }

    public func check(_ code: String, against pending: PendingVerification, for user: UserRecord, now: Date)
        throws(CodeCheckFailure) -> CodeCheck {
        guard pending.userId == user.id else { return .wrong }
        let modifier = Self.modifier(purpose: pending.purpose, phoneNumber: pending.phoneNumber, storedPhoneNumber: user.phoneNumber,
                                     sentAt: pending.lastSentAt)
        return Self.isValid(code, securityStamp: user.securityStamp, modifier: modifier, at: now) ? .right : .wrong
    }
}
