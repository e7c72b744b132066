import Crypto
import Foundation
import Messaging
@testable import Phone
import Storage
import Testing

/// ASP.NET Core Identity compatibility. RFC 6238's own vectors are tested in CryptoTests; these
/// check how ASP.NET uses TOTP for a phone-number change.
@Suite struct TotpCodeIssuerTests {
    static let stamp = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    /// Computed by hand, independently of Swift:
    ///
    ///     python3 -c 'import hmac, hashlib, struct
    ///     key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".encode("utf-16-le")
    ///     step = 1795694400 // 180                       # 9976080
    ///     msg = struct.pack(">q", step) + "PhoneNumber:ChangePhoneNumber:+12015550123:".encode()
    ///     h = hmac.new(key, msg, hashlib.sha1).digest(); o = h[-1] & 15
    ///     print("%06d" % ((int.from_bytes(h[o:o+4], "big") & 0x7fffffff) % 10**6))'
    ///
    /// prints 439732; with the stored number "+12015550123" and the new one "+12015550124" the
    /// same gives 280707, and the steps −2…+2 around it give 548582, 578651, 439732, 177930,
    /// 871872 (−3: 362818, +3: 011726).
    @Test func aspNetCompatibleCodeForANewNumberWithNoneStored() {
        let modifier = TotpCodeIssuer.modifier(newPhoneNumber: numberA, storedPhoneNumber: nil)
        #expect(String(decoding: modifier, as: UTF8.self) == "PhoneNumber:ChangePhoneNumber:+12015550123:")
        #expect(TotpCodeIssuer.code(securityStamp: Self.stamp, modifier: modifier, at: testEpoch) == "439732")
    }

    @Test func aspNetCompatibleCodeForAChangeOfNumber() {
        let modifier = TotpCodeIssuer.modifier(newPhoneNumber: numberB, storedPhoneNumber: numberA)
        #expect(String(decoding: modifier, as: UTF8.self) == "PhoneNumber:ChangePhoneNumber:+12015550124:+12015550123")
        #expect(TotpCodeIssuer.code(securityStamp: Self.stamp, modifier: modifier, at: testEpoch) == "280707")
    }

    @Test func theKeyIsTheStampInUtf16LittleEndian() {
        #expect(TotpCodeIssuer.key(securityStamp: "AB2") == [0x41, 0x00, 0x42, 0x00, 0x32, 0x00])
    }

    @Test func twoStepsEitherSideAreAcceptedAndNoMore() {
        let modifier = TotpCodeIssuer.modifier(newPhoneNumber: numberA, storedPhoneNumber: nil)
        for code in ["548582", "578651", "439732", "177930", "871872"] {
            #expect(TotpCodeIssuer.isValid(code, securityStamp: Self.stamp, modifier: modifier, at: testEpoch), "\(code)")
        }
        for code in ["362818", "011726", "439733", ""] {
            #expect(!TotpCodeIssuer.isValid(code, securityStamp: Self.stamp, modifier: modifier, at: testEpoch), "\(code)")
        }
        // Another number's modifier, or another stamp, makes another code.
        let other = TotpCodeIssuer.modifier(newPhoneNumber: numberB, storedPhoneNumber: nil)
        #expect(!TotpCodeIssuer.isValid("439732", securityStamp: Self.stamp, modifier: other, at: testEpoch))
        #expect(!TotpCodeIssuer.isValid("439732", securityStamp: "ZBCDEFGHIJKLMNOPQRSTUVWXYZ234567", modifier: modifier, at: testEpoch))
    }

    @Test func issueSendsTheAspNetCodeAndStoresNothing() throws {
        let sms = RecordingSmsSender()
        let settings = PhoneVerificationSettings(provider: "totp", digits: 8, webOtpHost: "example.com")
        let issuer = TotpCodeIssuer(settings: settings, sms: sms)
        var user = makeUser(phoneNumber: nil)
        user.securityStamp = Self.stamp
        #expect(try issuer.issue(to: numberA, for: user, now: testEpoch) == nil)
        #expect(sms.sent.map(\.body) == ["Your Countersign code is 439732. Valid for 6 min.\n\n@example.com #439732"])

        let pending = PendingVerification(userId: user.id, phoneNumber: numberA, codeHash: nil, expiresAt: testEpoch + 360,
                                          attempts: 0, sends: 1, lastSentAt: testEpoch, createdAt: testEpoch)
        #expect(try issuer.check("439732", against: pending, for: user, now: testEpoch + 359) == .right)
        #expect(try issuer.check("439731", against: pending, for: user, now: testEpoch) == .wrong)
    }
}
