import Crypto
import Foundation
import Messaging
@testable import Phone
import Storage
import Testing

@Suite struct StoredCodeIssuerTests {
    @Test(arguments: [6, 7, 8, 9, 10])
    func codesHaveExactlyTheConfiguredDigitsZeroPadded(digits: Int) {
        // A draw of 42 must come out as "000042", "0000042", … not "42".
        let code = StoredCodeIssuer.makeCode(digits: digits, random: ScriptedRandom([bigEndianBytes(42)]))
        #expect(code == String(repeating: "0", count: digits - 2) + "42")
        for _ in 0..<200 {
            let code = StoredCodeIssuer.makeCode(digits: digits, random: SecureRandom())
            #expect(code.count == digits)
            #expect(code.allSatisfy { $0.isASCII && $0.isNumber })
        }
    }

    @Test func drawsInTheBiasedZoneAreRejectedNotReducedModulo() {
        // 2^64 is not a multiple of 10^6: the top 2^64 mod 10^6 values would make low codes
        // more likely if reduced modulo. UInt64.max is one of them; uniform(below:) must draw
        // again rather than return UInt64.max % 10^6 (= 551615).
        let random = ScriptedRandom([bigEndianBytes(UInt64.max), bigEndianBytes(1_000_007)])
        let code = StoredCodeIssuer.makeCode(digits: 6, random: random)
        #expect(random.draws == 2)
        #expect(code == "000007")
        #expect(code != "551615")
    }

    @Test func theHashIsBoundToUserStampNumberAndCode() {
        let issuer = StoredCodeIssuer(settings: PhoneVerificationSettings(webOtpHost: "example.com"), sms: RecordingSmsSender(),
                                      key: StoredCodeIssuer.key(fromCookieSecret: testSecret), random: SeededRandom())
        let base = issuer.hash(code: "123456", userId: "u1", securityStamp: "S", phoneNumber: numberA)
        #expect(base == issuer.hash(code: "123456", userId: "u1", securityStamp: "S", phoneNumber: numberA))
        #expect(base != issuer.hash(code: "123457", userId: "u1", securityStamp: "S", phoneNumber: numberA))
        #expect(base != issuer.hash(code: "123456", userId: "u2", securityStamp: "S", phoneNumber: numberA))
        #expect(base != issuer.hash(code: "123456", userId: "u1", securityStamp: "T", phoneNumber: numberA))
        #expect(base != issuer.hash(code: "123456", userId: "u1", securityStamp: "S", phoneNumber: numberB))
        // Length prefixes: moving characters between fields changes the hash.
        #expect(issuer.hash(code: "1", userId: "ab", securityStamp: "c", phoneNumber: "d")
                != issuer.hash(code: "1", userId: "a", securityStamp: "bc", phoneNumber: "d"))
    }

    @Test func theHashIsKeyedByTheCookieSecret() {
        let settings = PhoneVerificationSettings(webOtpHost: "example.com")
        let one = StoredCodeIssuer(settings: settings, sms: RecordingSmsSender(),
                                   key: StoredCodeIssuer.key(fromCookieSecret: testSecret), random: SeededRandom())
        let other = StoredCodeIssuer(settings: settings, sms: RecordingSmsSender(),
                                     key: StoredCodeIssuer.key(fromCookieSecret: Array("another secret of thirty-two bytes!!".utf8)),
                                     random: SeededRandom())
        #expect(one.hash(code: "123456", userId: "u", securityStamp: "s", phoneNumber: numberA)
                != other.hash(code: "123456", userId: "u", securityStamp: "s", phoneNumber: numberA))
        // The key is derived and labelled, not the secret itself.
        #expect(StoredCodeIssuer.key(fromCookieSecret: testSecret) != testSecret)
        #expect(StoredCodeIssuer.key(fromCookieSecret: testSecret)
                == HMAC.sha256(Array("countersign phone code".utf8), key: testSecret))
    }

    @Test func issueSendsTheMessageAndReturnsOnlyTheHash() throws {
        let sms = RecordingSmsSender()
        let settings = PhoneVerificationSettings(digits: 8, webOtpHost: "example.com")
        let issuer = StoredCodeIssuer(settings: settings, sms: sms, key: StoredCodeIssuer.key(fromCookieSecret: testSecret),
                                      random: ScriptedRandom([bigEndianBytes(12_345)]))
        let user = makeUser()
        let hash = try #require(try issuer.issue(to: numberA, for: user, now: testEpoch))
        #expect(sms.sent == [SmsMessage(to: numberA, body: "Your Countersign code is 00012345. Valid for 10 min.\n\n@example.com #00012345")])
        #expect(hash == issuer.hash(code: "00012345", userId: user.id, securityStamp: user.securityStamp, phoneNumber: numberA))
        let pending = PendingVerification(userId: user.id, phoneNumber: numberA, codeHash: hash, expiresAt: testEpoch + 600,
                                          attempts: 0, sends: 1, lastSentAt: testEpoch, createdAt: testEpoch)
        #expect(try issuer.check("00012345", against: pending, for: user, now: testEpoch) == .right)
        #expect(try issuer.check("00012346", against: pending, for: user, now: testEpoch) == .wrong)
        #expect(try issuer.check("12345", against: pending, for: user, now: testEpoch) == .wrong)
    }
}
