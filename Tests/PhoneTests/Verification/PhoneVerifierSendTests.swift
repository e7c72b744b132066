import Foundation
import Messaging
@testable import Phone
import Storage
import Testing
import Timekeeping

/// The send rules: cooldown, hourly limits per user, number and address, the installation's
/// daily limit, and what a provider failure does (and does not) change.
@Suite struct PhoneVerifierSendTests {
    @Test func aSendStoresAPendingVerificationAndLogsIt() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        let pending = try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")
        #expect(pending.phoneNumber == numberA)
        #expect(pending.expiresAt == testEpoch + 600)
        #expect(pending.attempts == 0)
        #expect(pending.sends == 1)
        #expect(try verifier.pending(userId: world.users[0].id) == pending)
        #expect(world.sms.sent.count == 1)
        #expect(world.sms.sent[0].to == numberA)
        let event = try #require(try world.events(.codeSent).first)
        #expect(event.userId == world.users[0].id)
        #expect(event.ipAddress == "203.0.113.1")
        #expect(event.phoneNumber == "US ••23")
        #expect(event.time == testEpoch)
    }

    @Test func theCooldownRefusesUntilExactlyItsEnd() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 60s"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")

        world.clock.advance(by: 59)
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.resend(user: world.user(), clientAddress: "203.0.113.1")
        }
        #expect(error?.limitReason == .cooldown)
        #expect(error?.retryAt == testEpoch + 60)
        // A new number is no way around it either.
        #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numberB), user: world.user(), clientAddress: "203.0.113.1")
        }
        #expect(world.sms.sent.count == 1)
        #expect(try world.events(.limitHit).map(\.detail) == ["cooldown", "cooldown"])

        world.clock.advance(by: 1)
        try verifier.resend(user: world.user(), clientAddress: "203.0.113.1")
        #expect(world.sms.sent.count == 2)
    }

    @Test func noCooldownWithZeroSeconds() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 0s"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")
        try verifier.resend(user: world.user(), clientAddress: "203.0.113.1")
        #expect(world.sms.sent.count == 2)
    }

    @Test func hourlyLimitPerUser() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 0s\nmax_sends_per_hour = 3"))
        // Each send to another number, so only the user's own limit can refuse.
        for (index, number) in [numberA, numberB, numberC].enumerated() {
            world.clock.advance(by: 10)
            try verifier.send(to: phone(number), user: world.user(), clientAddress: "203.0.113.\(index)")
        }
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone("+12015550126"), user: world.user(), clientAddress: "203.0.113.9")
        }
        #expect(error?.limitReason == .userHourly)
        #expect(error?.retryAt == testEpoch + 10 + 3600)
        world.clock.advance(by: 3600 - 20)  // the first send leaves the window
        try verifier.send(to: phone("+12015550126"), user: world.user(), clientAddress: "203.0.113.9")
    }

    @Test func hourlyLimitPerNumberAcrossUsers() throws {
        let world = try VerificationWorld(users: 4)
        let verifier = try world.verifier(world.settings("[tokens]\nmax_sends_per_hour = 3"))
        for index in 1...3 {
            try verifier.send(to: phone(numberA), user: world.user(index), clientAddress: "203.0.113.\(index)")
        }
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numberA), user: world.user(4), clientAddress: "203.0.113.4")
        }
        #expect(error?.limitReason == .numberHourly)
        #expect(error?.retryAt == testEpoch + 3600)
        // Another number for the same user is fine: only that number was used up.
        try verifier.send(to: phone(numberB), user: world.user(4), clientAddress: "203.0.113.4")
    }

    @Test func hourlyLimitPerClientAddress() throws {
        let world = try VerificationWorld(users: 4)
        let verifier = try world.verifier(world.settings("[tokens]\nmax_sends_per_ip_per_hour = 3"))
        let numbers = [numberA, numberB, numberC, "+12015550126"]
        for index in 1...3 {
            try verifier.send(to: phone(numbers[index - 1]), user: world.user(index), clientAddress: "198.51.100.7")
        }
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numbers[3]), user: world.user(4), clientAddress: "198.51.100.7")
        }
        #expect(error?.limitReason == .ipHourly)
        try verifier.send(to: phone(numbers[3]), user: world.user(4), clientAddress: "198.51.100.8")
    }

    @Test func dailyLimitCountsCodesAndTestMessages() throws {
        let world = try VerificationWorld(users: 3)
        let verifier = try world.verifier(world.settings("[sms]\ndaily_limit = 3"))
        try verifier.sendTestMessage(to: phone(numberC))
        try verifier.send(to: phone(numberA), user: world.user(1), clientAddress: "203.0.113.1")
        try verifier.send(to: phone(numberB), user: world.user(2), clientAddress: "203.0.113.2")

        world.clock.advance(by: 23 * 3600)
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numberC), user: world.user(3), clientAddress: "203.0.113.3")
        }
        #expect(error?.limitReason == .daily)
        #expect(error?.retryAt == testEpoch + 86_400)
        let testError = #expect(throws: PhoneVerificationError.self) { try verifier.sendTestMessage(to: phone(numberC)) }
        #expect(testError?.limitReason == .daily)
        #expect(world.sms.sent.count == 3)

        world.clock.advance(by: 3600)  // rolling: the first message is 24 h old now
        try verifier.sendTestMessage(to: phone(numberC))
        #expect(world.sms.sent.last?.body == "This is a test message from Countersign. Text messages from this installation work.")
    }

    @Test func aFailedSendIsNotCountedAndReplacesNothing() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 60s\nmax_sends_per_hour = 2\n[sms]\ndaily_limit = 2"))
        let first = try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")

        world.sms.fail(with: unavailable)
        for _ in 0..<3 {
            world.clock.advance(by: 60)
            let error = #expect(throws: PhoneVerificationError.self) {
                try verifier.send(to: phone(numberB), user: world.user(), clientAddress: "203.0.113.1")
            }
            #expect(error?.isSendFailed == true)
            #expect(error?.userMessage == "The text message could not be sent. Please try again later.")
        }
        // Nothing replaced: same number, same hash, same expiry.
        #expect(try verifier.pending(userId: world.users[0].id) == first)
        #expect(try world.events(.sendFailed).count == 3)
        #expect(try world.events(.sendFailed).allSatisfy { $0.phoneNumber == "US ••24" && $0.detail?.contains("provider down") == true })

        // The failures used up neither the cooldown, nor the hourly limit, nor the daily one.
        world.sms.fail(with: nil)
        try verifier.send(to: phone(numberB), user: world.user(), clientAddress: "203.0.113.1")
        #expect(world.sms.sent.count == 2)
    }

    @Test func theCodePendingBeforeAFailedSendStillVerifies() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 0s"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")
        let code = try #require(world.sms.lastCode)
        world.sms.fail(with: unavailable)
        #expect(throws: PhoneVerificationError.self) {
            try verifier.resend(user: world.user(), clientAddress: "203.0.113.1")
        }
        #expect(try verifier.verify(code: code, user: world.user(), clientAddress: "203.0.113.1") == numberA)
    }

    @Test func aFailedTestMessageIsNotCounted() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[sms]\ndaily_limit = 1"))
        world.sms.fail(with: unavailable)
        #expect(throws: PhoneVerificationError.self) { try verifier.sendTestMessage(to: phone(numberA)) }
        world.sms.fail(with: nil)
        try verifier.sendTestMessage(to: phone(numberA))
        #expect(world.sms.sent.count == 1)
    }

    @Test func resendWithNothingPending() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.resend(user: world.user(), clientAddress: "203.0.113.1")
        }
        #expect(error?.isNothingPending == true)
        #expect(world.sms.sent.isEmpty)
    }

    @Test func resendChecksThePendingNumberAgainstTheCurrentRegions() throws {
        let world = try VerificationWorld()
        try world.verifier().send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")
        world.clock.advance(by: 60)
        let tightened = try world.verifier(parser: PhoneNumberParser(defaultRegion: "GB", allowedRegions: ["GB"]))
        let error = #expect(throws: PhoneVerificationError.self) {
            try tightened.resend(user: world.user(), clientAddress: "203.0.113.1")
        }
        guard case .numberRefused(.regionNotAccepted(region: "US")) = error else {
            Issue.record("expected numberRefused, got \(String(describing: error))")
            return
        }
        #expect(world.sms.sent.count == 1)
    }

    @Test func aSendToAnotherNumberReplacesItAndIsLogged() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        let first = try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")
        world.clock.advance(by: 60)
        let second = try verifier.send(to: phone(numberB), user: world.user(), clientAddress: "203.0.113.1")
        #expect(second.phoneNumber == numberB)
        #expect(second.codeHash != first.codeHash)
        #expect(second.expiresAt == testEpoch + 660)
        #expect(second.sends == 2)
        #expect(second.createdAt == testEpoch)
        let changed = try #require(try world.events(.numberChanged).first)
        #expect(changed.phoneNumber == "US ••24")
        #expect(changed.detail == "previous number US ••23")
    }
}
