import Crypto
import Foundation
import Messaging
@testable import Phone
import Storage
import Testing

/// Codes of different purposes (phone verification, sign-in, password reset) live side by side
/// and never stand in for each other, with every provider that keeps or derives codes locally.
@Suite struct VerificationPurposeTests {
    @Test func storedHashesDifferByPurposeAndPhoneHashesKeepTheirOldForm() {
        let issuer = StoredCodeIssuer(settings: PhoneVerificationSettings(webOtpHost: "example.com"), sms: RecordingSmsSender(),
                                      key: StoredCodeIssuer.key(fromCookieSecret: testSecret), random: SeededRandom())
        let hashes = VerificationPurpose.allCases.map {
            issuer.hash(code: "123456", userId: "u1", securityStamp: "S", phoneNumber: numberA, purpose: $0)
        }
        #expect(Set(hashes).count == VerificationPurpose.allCases.count)
        #expect(hashes[0] == issuer.hash(code: "123456", userId: "u1", securityStamp: "S", phoneNumber: numberA))
    }

    @Test func totpModifiersDifferByPurposeAsAspNetNamesThem() {
        let sentAt = Date(timeIntervalSince1970: 1_795_000_000.25)
        let modifiers = VerificationPurpose.allCases.map {
            String(decoding: TotpCodeIssuer.modifier(purpose: $0, phoneNumber: numberB, storedPhoneNumber: numberA, sentAt: sentAt),
                   as: UTF8.self)
        }
        #expect(modifiers == ["PhoneNumber:ChangePhoneNumber:\(numberB):\(numberA)", "PhoneNumber:TwoFactor:\(numberA):1795000000250000",
                              "PhoneNumber:ResetPassword:\(numberA)"])
    }

    @Test func aTotpSignInCodeDoesNotWorkForALaterSignIn() throws {
        let world = try VerificationWorld()
        let settings = world.settings("[tokens]\nprovider = totp\nresend_cooldown = 0s\n")
        let verifier = try world.verifier(settings, issuer: TotpCodeIssuer(settings: settings, sms: world.sms))
        let user = try world.user()
        let number = try PhoneNumberParser(defaultRegion: "US").parse(numberA)
        try verifier.send(to: number, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
        let code = try #require(world.sms.sent.last.flatMap { $0.body.split { !$0.isNumber }.first.map(String.init) })
        try verifier.verify(code: code, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
        world.clock.advance(by: 1)
        try verifier.send(to: number, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
        #expect(throws: PhoneVerificationError.self) {
            try verifier.verify(code: code, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
        }
    }

    @Test func pendingCodesOfEachPurposeAreKeptApart() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        let user = try world.user()
        let number = try PhoneNumberParser(defaultRegion: "US").parse(numberA)
        try verifier.send(to: number, user: user, clientAddress: "192.0.2.1", purpose: .phoneNumber)
        let phoneCode = try #require(world.sms.sent.last.flatMap { $0.body.split { !$0.isNumber }.first.map(String.init) })
        world.clock.advance(by: 61)  // the cooldown is per user, whatever the purpose
        try verifier.send(to: number, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
        let signInCode = try #require(world.sms.sent.last.flatMap { $0.body.split { !$0.isNumber }.first.map(String.init) })
        #expect(try verifier.pending(userId: user.id, purpose: .phoneNumber) != nil)
        #expect(try verifier.pending(userId: user.id, purpose: .signIn) != nil)
        if phoneCode != signInCode {
            #expect(throws: PhoneVerificationError.self) {
                try verifier.verify(code: phoneCode, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
            }
        }
        // The right sign-in code spends only the sign-in code and confirms no number.
        try verifier.verify(code: signInCode, user: user, clientAddress: "192.0.2.1", purpose: .signIn)
        #expect(try verifier.pending(userId: user.id, purpose: .signIn) == nil)
        #expect(try verifier.pending(userId: user.id, purpose: .phoneNumber) != nil)
        #expect(try world.user().securityStamp == user.securityStamp)
        #expect(try world.user().phoneNumberConfirmed == false)
    }

    @Test func anOnRightFailureLeavesTheCodeUnspent() throws {
        struct Refused: Error {}
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        let user = try world.user()
        try verifier.send(to: try PhoneNumberParser(defaultRegion: "US").parse(numberA), user: user, clientAddress: "192.0.2.1",
                          purpose: .passwordReset)
        let code = try #require(world.sms.sent.last.flatMap { $0.body.split { !$0.isNumber }.first.map(String.init) })
        #expect(throws: PhoneVerificationError.self) {
            try verifier.verify(code: code, user: user, clientAddress: "192.0.2.1", purpose: .passwordReset) { _ in throw Refused() }
        }
        #expect(try verifier.pending(userId: user.id, purpose: .passwordReset) != nil)
        try verifier.verify(code: code, user: user, clientAddress: "192.0.2.1", purpose: .passwordReset)
        #expect(try verifier.pending(userId: user.id, purpose: .passwordReset) == nil)
    }
}
