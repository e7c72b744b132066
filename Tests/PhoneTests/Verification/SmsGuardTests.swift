import Foundation
import Messaging
@testable import Phone
import Storage
import Testing
import Timekeeping

/// The SMS budget guards (CONTRACT.md §6): limits per destination region and per number range,
/// the conversion guard and its monitor mode, the operator's block list, the per-client limit
/// by /64, and the bound of 100 wrong codes in any 24 hours.
@Suite struct SmsGuardTests {
    let ip = "203.0.113.1"
    /// Valid US numbers in four different ranges (E.164 without the last 4 digits).
    let ranges = ["+12015550123", "+12125550123", "+13125550123", "+14155550123", "+16175550123", "+17185550123", "+12065550123"]

    @Test func sendsToOneRegionStopAtItsHourlyLimit() throws {
        let world = try VerificationWorld(users: 4)
        let verifier = try world.verifier(world.settings("[sms]\nmax_per_region_per_hour = 3\nmax_per_prefix_per_hour = 0"))
        for index in 1...3 {
            try verifier.send(to: phone(ranges[index]), user: world.user(index), clientAddress: "203.0.113.\(index)")
        }
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(ranges[4]), user: world.user(4), clientAddress: "203.0.113.4")
        }
        #expect(error?.limitReason == .regionHourly)
        #expect(error?.userMessage == LimitReason.guardMessage)
        #expect(world.sms.sent.count == 3)
        #expect(try world.events(.limitHit).map(\.detail) == ["regionHourly"])
        world.clock.advance(by: 3600)
        try verifier.send(to: phone(ranges[4]), user: world.user(4), clientAddress: "203.0.113.4")
    }

    @Test func sendsToOneNumberRangeStopAtItsHourlyLimit() throws {
        let world = try VerificationWorld(users: 4)
        let verifier = try world.verifier(world.settings("[sms]\nmax_per_prefix_per_hour = 2"))
        try verifier.send(to: phone("+12015550123"), user: world.user(1), clientAddress: ip)
        try verifier.send(to: phone("+12015550177"), user: world.user(2), clientAddress: ip)
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone("+12015550199"), user: world.user(3), clientAddress: ip)
        }
        #expect(error?.limitReason == .prefixHourly)
        #expect(error?.userMessage == LimitReason.guardMessage)
        // Another range of the same region is not affected.
        try verifier.send(to: phone("+12125550123"), user: world.user(4), clientAddress: ip)
        #expect(world.sms.sent.map(\.to) == ["+12015550123", "+12015550177", "+12125550123"])
    }

    private func conversionWorld(_ extra: String = "") throws -> (VerificationWorld, PhoneVerifier) {
        let world = try VerificationWorld(users: 7)
        let settings = world.settings("""
            [sms]
            max_per_prefix_per_hour = 0
            min_conversion = 0.5
            conversion_min_sample = 5
            conversion_window = 1h
            \(extra)
            """)
        return (world, try world.verifier(settings))
    }

    @Test func theConversionGuardTripsOnUnverifiedSends() throws {
        let (world, verifier) = try conversionWorld()
        for index in 1...5 {
            try verifier.send(to: phone(ranges[index - 1]), user: world.user(index), clientAddress: ip)
        }
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(ranges[5]), user: world.user(6), clientAddress: ip)
        }
        #expect(error?.limitReason == .lowConversion)
        #expect(error?.userMessage == LimitReason.guardMessage)
        #expect(world.sms.sent.count == 5)
        let detail = try #require(try world.events(.limitHit).last?.detail)
        #expect(detail.hasPrefix("lowConversion: conversion US: 0 of 5 codes verified"))
        // It recovers when the unverified sends leave the window.
        world.clock.advance(by: 3600)
        try verifier.send(to: phone(ranges[5]), user: world.user(6), clientAddress: ip)
    }

    @Test func theConversionGuardDoesNotTripOnVerifiedSends() throws {
        let (world, verifier) = try conversionWorld()
        for index in 1...5 {
            try verifier.send(to: phone(ranges[index - 1]), user: world.user(index), clientAddress: ip)
            if index > 2 {  // three of five verified: 0.6 ≥ 0.5
                try verifier.verify(code: try #require(world.sms.lastCode), user: world.user(index), clientAddress: ip)
            }
        }
        try verifier.send(to: phone(ranges[5]), user: world.user(6), clientAddress: ip)
        #expect(world.sms.sent.count == 6)
        #expect(try world.events(.limitHit).isEmpty)
    }

    @Test func inMonitorModeTheConversionGuardOnlyRecords() throws {
        let (world, verifier) = try conversionWorld("fraud_action = monitor")
        for index in 1...6 {
            try verifier.send(to: phone(ranges[index - 1]), user: world.user(index), clientAddress: ip)
        }
        #expect(world.sms.sent.count == 6)
        #expect(try world.events(.limitHit).isEmpty)
        let recorded = try world.events(.conversionLow)
        #expect(recorded.count == 1)
        #expect(recorded.first?.detail?.hasPrefix("monitor: US: 0 of 5 codes verified") == true)
    }

    @Test func aBlockedNumberNeverGetsAnSms() throws {
        let world = try VerificationWorld(users: 2)
        let verifier = try world.verifier()
        try world.storage.blockedNumbers.block(BlockedNumber(phoneNumber: numberA, blockedAt: testEpoch, until: nil))
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numberA), user: world.user(1), clientAddress: ip)
        }
        #expect(error?.limitReason == .blockedNumber)
        #expect(error?.userMessage == LimitReason.guardMessage)
        #expect(throws: PhoneVerificationError.self) { try verifier.sendTestMessage(to: phone(numberA)) }
        #expect(world.sms.sent.isEmpty)
        #expect(try world.events(.limitHit).first?.phoneNumber == "US ••23")
        // Other numbers go; an unblocked or expired block no longer stands in the way.
        try verifier.send(to: phone(numberB), user: world.user(2), clientAddress: ip)
        try world.storage.blockedNumbers.unblock(phoneNumber: numberA)
        world.clock.advance(by: 60)
        try verifier.send(to: phone(numberA), user: world.user(1), clientAddress: ip)
        try world.storage.blockedNumbers.block(BlockedNumber(phoneNumber: numberC, blockedAt: testEpoch, until: testEpoch + 3600))
        #expect(throws: PhoneVerificationError.self) { try verifier.sendTestMessage(to: phone(numberC)) }
        world.clock.advance(by: 3600)
        try verifier.sendTestMessage(to: phone(numberC))
        #expect(world.sms.sent.map(\.to) == [numberB, numberA, numberC])
    }

    @Test func sixtyFiveAddressesOfOneSlash64ShareOneLimit() throws {
        let world = try VerificationWorld(users: 1)
        let verifier = try world.verifier(world.settings("""
            [tokens]
            resend_cooldown = 0s
            max_sends_per_hour = 1000
            max_sends_per_ip_per_hour = 64
            [sms]
            max_per_prefix_per_hour = 0
            min_conversion = 0
            """))
        for index in 0..<64 {
            try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "2001:db8:1:2::\(String(index + 1, radix: 16))")
        }
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "2001:db8:1:2:ffff:ffff:ffff:ffff")
        }
        #expect(error?.limitReason == .ipHourly)
        // The next /64 is another client.
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: "2001:db8:1:3::1")
    }

    @Test func theDailyWrongCodeCapHoldsThroughSendBurnSendCycles() throws {
        let world = try VerificationWorld(users: 2)
        let verifier = try world.verifier(world.settings("""
            [tokens]
            resend_cooldown = 0s
            max_attempts = 5
            max_sends_per_hour = 10000
            [sms]
            max_per_prefix_per_hour = 0
            """))
        var wrong = 0
        cycles: for _ in 0..<40 {
            let number = try phone(numberA)
            let user = try world.user()
            do {
                try verifier.send(to: number, user: user, clientAddress: ip)
            } catch {
                #expect(error.limitReason == .wrongCodes)
                break cycles
            }
            for _ in 0..<5 {
                do {
                    try verifier.verify(code: "000000x", user: user, clientAddress: ip)
                } catch where error.isBurned {
                    wrong += 1
                    break
                } catch {
                    #expect(error.attemptsLeft != nil)
                    wrong += 1
                }
            }
            world.clock.advance(by: 600)
        }
        #expect(wrong == 100)
        // The number is capped for everyone, not just for this user.
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.send(to: phone(numberA), user: world.user(2), clientAddress: "203.0.113.2")
        }
        #expect(error?.limitReason == .wrongCodes)
        #expect(error?.userMessage == LimitReason.guardMessage)
        // 24 hours after the first wrong codes, sends resume.
        world.clock.advance(by: 86_400 - 20 * 600)
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
    }

    @Test func eventsKeepTheRegionAndLastTwoDigitsOnly() throws {
        #expect(EventNumber.mask("+12015550123") == "US ••23")
        #expect(EventNumber.mask("+447400123456") == "GB ••56")
        #expect(EventNumber.region(of: "+447400123456") == "GB")
    }
}
