import Foundation
import Messaging
@testable import Phone
import Storage
import TestSupport
import Testing
import Timekeeping

/// The code rules under concurrency: workers with connections of their own (as separate
/// processes have) released together against one user. Run on both engines
/// (`COUNTERSIGN_TEST_STORAGE`): these are the guarantees the transaction contract of
/// `StorageBackend` exists for.
@Suite struct PhoneVerifierRaceTests {
    /// A verifier per worker on its own connection, all at the same instant.
    func workerVerifier(_ database: TestDatabase, _ settings: PhoneVerificationSettings, index: Int, now: Date) -> PhoneVerifier? {
        let clock = ManualClock(now)
        guard let storage = try? database.open(random: SeededRandom(seed: UInt64(index))),
              let parser = try? PhoneNumberParser() else { return nil }
        let sms = RecordingSmsSender()
        let issuer = StoredCodeIssuer(settings: settings, sms: sms, key: StoredCodeIssuer.key(fromCookieSecret: testSecret),
                                      random: SeededRandom(seed: UInt64(1000 + index)))
        return PhoneVerifier(settings: settings, issuer: issuer, store: storage.verifications, storage: storage, sms: sms,
                             parser: parser, clock: clock, random: SeededRandom(seed: UInt64(2000 + index)))
    }

    @Test func wrongCodesFromManyWorkersNeverExceedTheAttemptCap() throws {
        let world = try VerificationWorld()
        let settings = world.settings("[tokens]\nmax_attempts = 5")
        try world.verifier(settings).send(to: phone(numberA), user: world.user(), clientAddress: "203.0.113.1")
        let code = try #require(world.sms.lastCode)
        let wrong = code == "000000" ? "111111" : "000000"
        let user = try world.user()
        let now = world.clock.now.addingTimeInterval(1)
        let outcomes = onThreads(12, setUp: { [database = world.database] in workerVerifier(database, settings, index: $0, now: now) }) { index, verifier -> String in
            guard let verifier else { return "set-up failed" }
            do {
                _ = try verifier.verify(code: wrong, user: user, clientAddress: "198.51.100.\(index)")
                return "verified"
            } catch let error as PhoneVerificationError {
                if error.attemptsLeft != nil { return "wrong" }
                if error.isBurned { return "burned" }
                if error.isNothingPending { return "nothing pending" }
                return "\(error)"
            } catch {
                return "\(error)"
            }
        }
        // Exactly max_attempts guesses are counted: four wrong, the fifth burns, the rest find
        // nothing to guess at.
        #expect(outcomes.filter { $0 == "wrong" }.count == 4, "\(outcomes)")
        #expect(outcomes.filter { $0 == "burned" }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == "nothing pending" }.count == 7, "\(outcomes)")
        #expect(try world.verifier(settings).pending(userId: user.id) == nil)
    }

    @Test func parallelSendsStopExactlyAtTheHourlyLimit() throws {
        let world = try VerificationWorld()
        let settings = world.settings("[tokens]\nresend_cooldown = 0s\nmax_sends_per_hour = 3")
        let user = try world.user()
        let now = world.clock.now
        let outcomes = onThreads(10, setUp: { [database = world.database] in workerVerifier(database, settings, index: $0, now: now) }) { index, verifier -> String in
            guard let verifier else { return "set-up failed" }
            do {
                _ = try verifier.send(to: try phone(numberA), user: user, clientAddress: "198.51.100.\(index)")
                return "sent"
            } catch let error as PhoneVerificationError {
                return error.limitReason != nil ? "limited" : "\(error)"
            } catch {
                return "\(error)"
            }
        }
        #expect(outcomes.filter { $0 == "sent" }.count == 3, "\(outcomes)")
        #expect(outcomes.filter { $0 == "limited" }.count == 7, "\(outcomes)")
        // One pending verification, counting the three sends.
        #expect(try world.verifier(settings).pending(userId: user.id)?.sends == 3)
        #expect(try world.database.scalar("SELECT count(*) FROM countersign_phone_verifications") == 1)
    }
}
