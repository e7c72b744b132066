import Foundation
import Testing
@testable import Crypto

struct TOTPTests {
    /// RFC 4226 Appendix D: HOTP-SHA1, 6 digits, secret "12345678901234567890".
    static let rfc4226: [(counter: UInt64, code: String)] = [
        (0, "755224"), (1, "287082"), (2, "359152"), (3, "969429"), (4, "338314"),
        (5, "254676"), (6, "287922"), (7, "162583"), (8, "399871"), (9, "520489"),
    ]

    @Test(arguments: rfc4226)
    func hotpMatchesRFC4226(counter: UInt64, code: String) {
        #expect(TOTP.code(key: bytes("12345678901234567890"), counter: counter, digits: 6) == code)
    }

    /// RFC 6238 Appendix B: 30-second steps, 8 digits, one seed per hash.
    static let rfc6238: [(time: TimeInterval, algorithm: HMAC.Algorithm, code: String)] = [
        (59, .sha1, "94287082"), (59, .sha256, "46119246"), (59, .sha512, "90693936"),
        (1111111109, .sha1, "07081804"), (1111111109, .sha256, "68084774"), (1111111109, .sha512, "25091201"),
        (1111111111, .sha1, "14050471"), (1111111111, .sha256, "67062674"), (1111111111, .sha512, "99943326"),
        (1234567890, .sha1, "89005924"), (1234567890, .sha256, "91819424"), (1234567890, .sha512, "93441116"),
        (2000000000, .sha1, "69279037"), (2000000000, .sha256, "90698825"), (2000000000, .sha512, "38618901"),
        (20000000000, .sha1, "65353130"), (20000000000, .sha256, "77737706"), (20000000000, .sha512, "47863826"),
    ]

    static func seed(for algorithm: HMAC.Algorithm) -> [UInt8] {
        switch algorithm {
        case .sha1: bytes("12345678901234567890")
        case .sha256: bytes("12345678901234567890123456789012")
        case .sha512: bytes("1234567890123456789012345678901234567890123456789012345678901234")
        }
    }

    @Test(arguments: rfc6238)
    func totpMatchesRFC6238(time: TimeInterval, algorithm: HMAC.Algorithm, code: String) {
        let counter = TOTP.counter(at: Date(timeIntervalSince1970: time), step: 30)
        #expect(TOTP.code(key: Self.seed(for: algorithm), counter: counter, digits: 8, algorithm: algorithm) == code)
    }

    @Test(arguments: [(0.0, 0), (29.999, 0), (30, 1), (59, 1), (1111111109, 37037036), (20000000000, 666666666),
                      (-1, 0), (-3600, 0)] as [(TimeInterval, UInt64)])
    func counterCountsWholeStepsSinceTheEpoch(time: TimeInterval, counter: UInt64) {
        #expect(TOTP.counter(at: Date(timeIntervalSince1970: time), step: 30) == counter)
    }

    @Test func counterUsesTheGivenStep() {
        // ASP.NET Core Identity's phone codes use 3-minute steps.
        #expect(TOTP.counter(at: Date(timeIntervalSince1970: 1_700_000_000), step: 180) == 9_444_444)
    }

    /// ASP.NET Core Identity's modifier is appended to the counter inside the HMAC.
    @Test func modifierIsHashedAfterTheCounter() {
        let key = bytes("security stamp")
        let modifier = bytes("PhoneNumber:ChangePhoneNumber:+15555550100:")
        let mac = HMAC.authenticate([0, 0, 0, 0, 0, 0, 0, 42] + modifier, key: key, using: .sha1)
        let offset = Int(mac[19] & 0x0f)
        let truncated = (UInt32(mac[offset] & 0x7f) << 24 | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])) % 1_000_000
        let code = TOTP.code(key: key, counter: 42, digits: 6, modifier: modifier)
        #expect(code == String(format: "%06u", truncated))
        #expect(code != TOTP.code(key: key, counter: 42, digits: 6))
        #expect(code != TOTP.code(key: key, counter: 42, digits: 6, modifier: bytes("PhoneNumber:ChangePhoneNumber:+15555550101:")))
    }

    @Test(arguments: 1...9)
    func codesHaveExactlyTheRequestedDigits(digits: Int) {
        for counter in UInt64(0)..<50 {
            let code = TOTP.code(key: bytes("12345678901234567890"), counter: counter, digits: digits)
            #expect(code.count == digits && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber))
        }
    }
}
