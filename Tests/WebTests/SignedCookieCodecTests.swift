import Foundation
import Testing
import Crypto
import Timekeeping
@testable import Web

@Suite struct SignedCookieCodecTests {
    let clock = ManualClock()
    let secret = Array("an-example-cookie-secret-of-32-bytes!".utf8)
    let oldSecret = Array("the-previous-cookie-secret-32-bytes!!".utf8)

    var codec: SignedCookieCodec { SignedCookieCodec(secret: secret, clock: clock) }

    @Test func roundTrip() {
        let payloads: [[UInt8]] = [[], [0], [1, 2], [1, 2, 3], Array(0...255)]
        for payload in payloads {
            let value = codec.seal(payload, purpose: "flash", expiresAt: clock.now.addingTimeInterval(60))
            #expect(codec.open(value, purpose: "flash") == payload)
        }
    }

    @Test func valueIsCookieSafeAndNamesTheKey() throws {
        let value = codec.seal(Array("hello".utf8), purpose: "flash", expiresAt: Date(timeIntervalSince1970: 1_795_000_600))
        #expect(value.utf8.allSatisfy(CookieParser.isCookieOctet))
        let parts = value.split(separator: ".")
        #expect(parts.count == 4)
        #expect(String(parts[0]) == String(Hex.encode(Digest.sha256(secret)).prefix(8)))
        #expect(parts[1] == "1795000600")
        #expect(parts[2] == "aGVsbG8")
        #expect(try SetCookie(name: "n", value: value, secure: true).value == value)
    }

    @Test func everyChangedCharacterIsRefused() {
        let value = codec.seal(Array("payload!".utf8), purpose: "flash", expiresAt: clock.now.addingTimeInterval(600))
        let characters = Array(value)
        let replacements: [Character] = ["A", "B", "a", "0", "1", "-", "_", "."]
        var tries = 0
        for index in characters.indices {
            for replacement in replacements where replacement != characters[index] {
                var tampered = characters
                tampered[index] = replacement
                #expect(codec.open(String(tampered), purpose: "flash") == nil, "changed \(index) to \(replacement)")
                tries += 1
            }
        }
        #expect(tries > 100)
    }

    @Test func truncatedOrExtendedValuesAreRefused() {
        let value = codec.seal([1, 2, 3], purpose: "p", expiresAt: clock.now.addingTimeInterval(600))
        for cut in 1..<value.count {
            #expect(codec.open(String(value.dropLast(cut)), purpose: "p") == nil)
        }
        #expect(codec.open(value + "A", purpose: "p") == nil)
        #expect(codec.open(value + ".", purpose: "p") == nil)
        #expect(codec.open("." + value, purpose: "p") == nil)
    }

    @Test func expiresExactlyAtTheSealedTime() {
        let value = codec.seal([7], purpose: "p", expiresAt: clock.now.addingTimeInterval(60))
        clock.advance(by: 59)
        #expect(codec.open(value, purpose: "p") == [7])
        clock.advance(by: 1)
        #expect(codec.open(value, purpose: "p") == nil)
    }

    @Test func lifetimeUsesTheClock() {
        let value = codec.seal([7], purpose: "p", lifetime: 10)
        clock.advance(by: 9.5)
        #expect(codec.open(value, purpose: "p") == [7])
        clock.advance(by: 0.5)
        #expect(codec.open(value, purpose: "p") == nil)
    }

    @Test func wrongPurposeIsRefused() {
        let value = codec.seal([7], purpose: "flash", expiresAt: clock.now.addingTimeInterval(60))
        #expect(codec.open(value, purpose: "antiforgery") == nil)
        #expect(codec.open(value, purpose: "flash ") == nil)
        #expect(codec.open(value, purpose: "") == nil)
    }

    @Test func previousSecretsStillOpen() {
        let old = SignedCookieCodec(secret: oldSecret, clock: clock)
        let value = old.seal([9], purpose: "p", expiresAt: clock.now.addingTimeInterval(60))
        let rotated = SignedCookieCodec(secret: secret, previousSecrets: [oldSecret], clock: clock)
        #expect(rotated.open(value, purpose: "p") == [9])
        #expect(rotated.seal([9], purpose: "p", expiresAt: clock.now).hasPrefix(String(Hex.encode(Digest.sha256(secret)).prefix(8))))
    }

    @Test func unknownKeysAreRefused() {
        let stranger = SignedCookieCodec(secret: oldSecret, clock: clock)
        let value = stranger.seal([9], purpose: "p", expiresAt: clock.now.addingTimeInterval(60))
        #expect(codec.open(value, purpose: "p") == nil)
        // The stranger's MAC under our key id is still refused.
        let ourID = String(Hex.encode(Digest.sha256(secret)).prefix(8))
        let relabelled = ourID + value.drop { $0 != "." }
        #expect(codec.open(relabelled, purpose: "p") == nil)
    }

    @Test(arguments: ["", ".", "...", "....", "a.b.c.d", "abcdefgh.1.AA.", "abcdefgh.01.AA.AA", "abcdefgh.-1.AA.AA",
                      "abcdefgh.1.A.AA", "abcdefgh.1.AA=.AA", "abcdefgh.99999999999999.AA.AA"])
    func malformedValuesAreRefused(value: String) {
        #expect(codec.open(value, purpose: "p") == nil)
    }
}
