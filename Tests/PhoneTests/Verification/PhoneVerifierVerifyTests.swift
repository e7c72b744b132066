import Foundation
import Messaging
@testable import Phone
import SQLiteStorage
import Storage
import TestSupport
import Testing
import Timekeeping

/// The code rules of CONTRACT.md §6, each test failing when its rule is broken.
@Suite struct PhoneVerifierVerifyTests {
    let ip = "203.0.113.1"

    @Test func theRightCodeConfirmsTheNumberAndChangesTheStamp() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        let before = try world.user()
        try verifier.send(to: phone(numberB), user: before, clientAddress: ip)
        let code = try #require(world.sms.lastCode)

        #expect(try verifier.verify(code: code, user: before, clientAddress: ip) == numberB)
        let after = try world.user()
        #expect(after.phoneNumber == numberB)
        #expect(after.phoneNumberConfirmed)
        #expect(after.securityStamp != before.securityStamp)
        #expect(try verifier.pending(userId: before.id) == nil)
        let event = try #require(try world.events(.verified).first)
        #expect(event.phoneNumber == "US ••24")
        #expect(event.ipAddress == ip)
    }

    @Test func spacesAndHyphensInTheTypedCodeAreIgnored() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        let typed = " \(code.prefix(3))-\(code.dropFirst(3)) "
        #expect(try verifier.verify(code: typed, user: world.user(), clientAddress: ip) == numberA)
    }

    @Test func theCodeIsNeverStoredOrLogged() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 0s"))
        var codes: [String] = []
        for _ in 0..<3 {
            try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
            codes.append(try #require(world.sms.lastCode))
        }
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: codes[0], user: world.user(), clientAddress: ip) }

        // The row holds a 32-byte hash, not the code.
        let texts = try world.database.texts("""
            SELECT user_id || '|' || phone_number || '|' || CAST(expires_at AS TEXT) || '|' || CAST(attempts AS TEXT)
            FROM countersign_phone_verifications
            """)
        #expect(texts.count == 1)
        for text in texts.compactMap({ $0 }) { #expect(!codes.contains { text.contains($0) }) }
        let hash = try #require(try world.store.pending(userId: world.users[0].id)?.codeHash)
        #expect(hash.count == 32)
        for code in codes { #expect(!String(decoding: hash, as: UTF8.self).contains(code)) }
        // Nor is it anywhere in the audit trail.
        for event in try world.storage.events.events(userId: nil, limit: 1000) {
            let text = [event.kind, event.userId, event.ipAddress, event.phoneNumber, event.detail].compactMap { $0 }.joined(separator: " ")
            #expect(!codes.contains { text.contains($0) }, "\(text)")
        }
        // Nor anywhere in the database files (the main file and the WAL), where there are files.
        for file in world.database.engine == .sqlite ? [world.database.path, world.database.path + "-wal"] : [] {
            let bytes = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data(), as: UTF8.self)
            #expect(!codes.contains { bytes.contains($0) }, "\(file)")
        }
    }

    @Test func aSendToAnotherNumberEndsTheCodeSentToTheFirst() throws {
        let world = try VerificationWorld()
        // The same code both times, so only the number it is bound to tells them apart.
        let random = ScriptedRandom([bigEndianBytes(424_242), bigEndianBytes(424_242)])
        let settings = world.settings()
        let verifier = try world.verifier(settings, issuer: world.storedIssuer(settings, random: random))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let hashForA = try #require(try verifier.pending(userId: world.users[0].id)?.codeHash)
        world.clock.advance(by: 60)
        try verifier.send(to: phone(numberB), user: world.user(), clientAddress: ip)
        #expect(try verifier.pending(userId: world.users[0].id)?.codeHash != hashForA)

        // A's hash with B as the pending number: the code sent to A is refused.
        try world.database.run("UPDATE countersign_phone_verifications SET code_hash = $1", [hashForA])
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.verify(code: "424242", user: world.user(), clientAddress: ip)
        }
        #expect(error?.attemptsLeft == 4)
    }

    @Test func aCodeIsBoundToTheNumberItWasSentTo() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        // Someone (a bug, an edited row) points the pending verification at another number.
        try world.database.run("UPDATE countersign_phone_verifications SET phone_number = $1", [numberB])
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(), clientAddress: ip) }
        #expect(try world.user().phoneNumberConfirmed == false)
    }

    @Test func aCodeIsBoundToTheUserItWasSentFor() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nresend_cooldown = 0s"))
        try verifier.send(to: phone(numberA), user: world.user(1), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        let hash = try #require(try verifier.pending(userId: world.users[0].id)?.codeHash)
        // User 2 has the same security stamp and a pending verification for the same number
        // carrying user 1's code hash: only the user id tells them apart.
        try world.database.run("UPDATE \"AspNetUsers\" SET \"SecurityStamp\" = $1 WHERE \"Id\" = $2",
                                         [try world.user(1).securityStamp, world.users[1].id])
        try verifier.send(to: phone(numberA), user: world.user(2), clientAddress: "203.0.113.2")
        try world.database.run("UPDATE countersign_phone_verifications SET code_hash = $1 WHERE user_id = $2",
                                         [hash, world.users[1].id])
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(2), clientAddress: ip) }
        #expect(try world.user(2).phoneNumberConfirmed == false)
        #expect(try verifier.verify(code: code, user: world.user(1), clientAddress: ip) == numberA)
    }

    @Test func aNewSecurityStampEndsThePendingCode() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        try world.storage.users.changePassword(userId: world.users[0].id, hash: "new", newSecurityStamp: "NEWSTAMPNEWSTAMPNEWSTAMPNEWSTAMP")
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(), clientAddress: ip) }
    }

    @Test func theCodeExpiresExactlyAtItsLifetime() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nlifetime = 5m"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)

        world.clock.advance(by: 300)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(), clientAddress: ip) }
        #expect(error?.isExpired == true)
        #expect(error?.userMessage == "Either the token has expired or you entered an invalid token.")
        #expect(try verifier.pending(userId: world.users[0].id)?.attempts == 0)  // not a guess
    }

    @Test func theCodeWorksUntilTheLastSecond() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nlifetime = 5m"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        world.clock.advance(by: 299)
        #expect(try verifier.verify(code: try #require(world.sms.lastCode), user: world.user(), clientAddress: ip) == numberA)
    }

    @Test func aCodeIsAcceptedOnce() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        let user = try world.user()
        #expect(try verifier.verify(code: code, user: user, clientAddress: ip) == numberA)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: user, clientAddress: ip) }
        #expect(error?.isNothingPending == true)
        #expect(try world.events(.verified).count == 1)
    }

    @Test func wrongCodesCountDownAndTheLastOneBurns() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nmax_attempts = 3"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        let wrong = code == "000000" ? "000001" : "000000"

        var left: [Int?] = []
        for _ in 0..<2 {
            let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: wrong, user: world.user(), clientAddress: ip) }
            left.append(error?.attemptsLeft)
            #expect(error?.userMessage == "Either the token has expired or you entered an invalid token.")
        }
        #expect(left == [2, 1])
        let burn = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: wrong, user: world.user(), clientAddress: ip) }
        #expect(burn?.isBurned == true)
        #expect(try verifier.pending(userId: world.users[0].id) == nil)
        // Burned means burned: the right code no longer works.
        let after = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(), clientAddress: ip) }
        #expect(after?.isNothingPending == true)
        #expect(try world.events(.wrongCode).count == 2)
        #expect(try world.events(.codeBurned).count == 1)
    }

    @Test func aResendDoesNotResetTheAttemptCount() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nmax_attempts = 5\nresend_cooldown = 0s"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        for _ in 0..<4 {
            #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "x", user: world.user(), clientAddress: ip) }
        }
        // A resend, a send to the same number, a send to another number: the count stays.
        try verifier.resend(user: world.user(), clientAddress: ip)
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let pending = try verifier.send(to: phone(numberB), user: world.user(), clientAddress: ip)
        #expect(pending.attempts == 4)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "x", user: world.user(), clientAddress: ip) }
        #expect(error?.isBurned == true)
    }

    @Test func afterABurnANewSendStartsANewCount() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nmax_attempts = 2"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        for _ in 0..<2 {
            #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "x", user: world.user(), clientAddress: ip) }
        }
        #expect(try verifier.pending(userId: world.users[0].id) == nil)

        world.clock.advance(by: 60)
        let fresh = try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        #expect(fresh.attempts == 0)
        #expect(fresh.sends == 1)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "x", user: world.user(), clientAddress: ip) }
        #expect(error?.attemptsLeft == 1)
        #expect(try verifier.verify(code: try #require(world.sms.lastCode), user: world.user(), clientAddress: ip) == numberA)
    }

    @Test func theCountIsForgottenOnlyAnHourAfterTheCodeExpired() throws {
        let world = try VerificationWorld()
        let verifier = try world.verifier(world.settings("[tokens]\nlifetime = 10m"))
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "x", user: world.user(), clientAddress: ip) }

        world.clock.advance(by: 600 + 3600 - 1)
        #expect(try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip).attempts == 1)
        world.clock.advance(by: 600 + 3600)
        #expect(try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip).attempts == 0)
    }

    @Test func parallelRequestsWithTheRightCodeSucceedExactlyOnce() throws {
        let world = try VerificationWorld()
        let settings = world.settings("[tokens]\nresend_cooldown = 0s\nmax_sends_per_hour = 100\n[sms]\nmax_per_prefix_per_hour = 0")
        let database = world.database
        // Rounds, because one round of a broken (check-then-act) verifier may still come out
        // right by luck of the scheduling.
        for round in 0..<12 {
            try world.verifier(settings).send(to: phone(numberA), user: world.user(), clientAddress: ip)
            let code = try #require(world.sms.lastCode)
            let user = try world.user()
            let now = world.clock.now.addingTimeInterval(1)

            // Eight workers, each with its own connection to the file as separate processes
            // have, set up first and then released together on the same code.
            let outcomes = onThreads(8, setUp: { index -> PhoneVerifier? in
                let clock = ManualClock(now)
                guard let storage = try? database.open(random: SeededRandom(seed: UInt64(index))),
                      let parser = try? PhoneNumberParser() else { return nil }
                let issuer = StoredCodeIssuer(settings: settings, sms: RecordingSmsSender(),
                                              key: StoredCodeIssuer.key(fromCookieSecret: testSecret), random: SeededRandom())
                return PhoneVerifier(settings: settings, issuer: issuer, store: storage.verifications,
                                     storage: storage, sms: RecordingSmsSender(), parser: parser, clock: clock,
                                     random: SeededRandom(seed: UInt64(100 * round + index)))
            }) { index, verifier -> String in
                guard let verifier else { return "set-up failed" }
                do {
                    return try verifier.verify(code: code, user: user, clientAddress: "198.51.100.\(index)")
                } catch let error as PhoneVerificationError {
                    return error.isNothingPending ? "nothing pending" : "\(error)"
                } catch {
                    return "\(error)"
                }
            }
            #expect(outcomes.filter { $0 == numberA }.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.filter { $0 == "nothing pending" }.count == 7, "round \(round): \(outcomes)")
            #expect(try world.events(.verified).count == round + 1)
            world.clock.advance(by: 10)
        }
    }
}

/// The same rules hold for `totp`, on top of ASP.NET's codes.
@Suite struct TotpVerificationTests {
    let ip = "203.0.113.1"

    func totpWorld() throws -> (VerificationWorld, PhoneVerifier) {
        let world = try VerificationWorld()
        let settings = world.settings("[tokens]\nprovider = totp\nresend_cooldown = 0s\nmax_attempts = 3")
        return (world, try world.verifier(settings, issuer: TotpCodeIssuer(settings: settings, sms: world.sms)))
    }

    @Test func theTotpCodeVerifiesOnceOnly() throws {
        let (world, verifier) = try totpWorld()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        #expect(try verifier.pending(userId: world.users[0].id)?.codeHash == nil)
        let user = try world.user()
        #expect(try verifier.verify(code: code, user: user, clientAddress: ip) == numberA)
        // ASP.NET would accept it again within its window; we do not.
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: user, clientAddress: ip) }
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(), clientAddress: ip) }
    }

    @Test func totpWrongCodesBurnAndAResendDoesNotReset() throws {
        let (world, verifier) = try totpWorld()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let code = try #require(world.sms.lastCode)
        for _ in 0..<2 {
            #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "000000", user: world.user(), clientAddress: ip) }
        }
        try verifier.resend(user: world.user(), clientAddress: ip)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "000000", user: world.user(), clientAddress: ip) }
        #expect(error?.isBurned == true)
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: code, user: world.user(), clientAddress: ip) }
    }

    @Test func totpCodesLiveSixMinutesHere() throws {
        let (world, verifier) = try totpWorld()
        let pending = try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        #expect(pending.expiresAt == testEpoch + 360)
        world.clock.advance(by: 360)
        let error = #expect(throws: PhoneVerificationError.self) {
            try verifier.verify(code: try #require(world.sms.lastCode), user: world.user(), clientAddress: ip)
        }
        #expect(error?.isExpired == true)
    }

    @Test func aTotpCodeForOneNumberDoesNotConfirmAnother() throws {
        let (world, verifier) = try totpWorld()
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let codeForA = try #require(world.sms.lastCode)
        try verifier.send(to: phone(numberB), user: world.user(), clientAddress: ip)
        let codeForB = try #require(world.sms.lastCode)
        #expect(codeForA != codeForB)
        #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: codeForA, user: world.user(), clientAddress: ip) }
        #expect(try verifier.verify(code: codeForB, user: world.user(), clientAddress: ip) == numberB)
    }
}
