import Foundation
@testable import Phone
import SQLiteStorage
import Storage
import Testing

@Suite("VerificationStore conformance") struct VerificationStoreTests {
    func sample(_ world: VerificationWorld, hash: [UInt8]? = [1, 2, 3]) -> PendingVerification {
        PendingVerification(userId: world.users[0].id, phoneNumber: numberA, codeHash: hash, expiresAt: testEpoch + 600.5,
                            attempts: 2, sends: 3, lastSentAt: testEpoch + 0.25, createdAt: testEpoch - 60)
    }

    @Test func roundTripsEveryField() throws {
        let world = try VerificationWorld()
        for hash in [[UInt8]([1, 2, 3]), nil] {
            let pending = sample(world, hash: hash)
            try world.store.save(pending)
            #expect(try world.store.pending(userId: pending.userId) == pending)
        }
        #expect(try world.store.pending(userId: world.users[1].id) == nil)
    }

    @Test func oneRowPerUserReplacedBySave() throws {
        let world = try VerificationWorld()
        try world.store.save(sample(world))
        var replaced = sample(world)
        replaced.phoneNumber = numberB
        replaced.attempts = 0
        try world.store.save(replaced)
        #expect(try world.store.pending(userId: replaced.userId) == replaced)
        #expect(try world.database.scalar("SELECT COUNT(*) FROM countersign_phone_verifications") == 1)
    }

    @Test func wrongAttemptsCountAtomically() throws {
        let world = try VerificationWorld()
        try world.store.save(sample(world))
        #expect(try world.store.recordWrongAttempt(userId: world.users[0].id) == 3)
        #expect(try world.store.recordWrongAttempt(userId: world.users[0].id) == 4)
        #expect(try world.store.recordWrongAttempt(userId: world.users[1].id) == nil)
    }

    @Test func deleteSaysWhetherThereWasOne() throws {
        let world = try VerificationWorld()
        try world.store.save(sample(world))
        #expect(try world.store.delete(userId: world.users[0].id))
        #expect(try !world.store.delete(userId: world.users[0].id))
    }

    @Test func aPendingVerificationNeedsAUserAndGoesWithIt() throws {
        let world = try VerificationWorld()
        var orphan = sample(world)
        orphan.userId = "no-such-user"
        #expect(throws: StorageError.userNotFound) { try world.store.save(orphan) }
        try world.store.save(sample(world))
        try world.database.run("DELETE FROM \"AspNetUsers\" WHERE \"Id\" = $1", [world.users[0].id])
        #expect(try world.store.pending(userId: world.users[0].id) == nil)
    }

    @Test func forgottenVerificationsAreDeletedAnHourAfterExpiry() throws {
        let world = try VerificationWorld()
        let pending = sample(world)
        try world.store.save(pending)
        #expect(try world.store.deleteForgotten(now: pending.forgottenAt - 1) == 0)
        #expect(try world.store.deleteForgotten(now: pending.forgottenAt) == 1)
    }

    @Test func theMigrationIsRegisteredOnce() throws {
        let world = try VerificationWorld()
        #expect(try world.database.scalar("SELECT count(*) FROM countersign_migrations WHERE name = '0100_phone_verifications'") == 1)
        #expect(try world.storage.pendingMigrations().isEmpty)
        #expect(try world.database.scalar("SELECT count(*) FROM countersign_migrations WHERE name = '0300_verification_purpose'") == 1)
        #expect(try world.storage.migrate().isEmpty)
    }

    /// `release` (added to RateLimitStore for failed sends) takes back exactly one event per key.
    @Test func rateLimitReleaseTakesBackOneEventPerKey() throws {
        let world = try VerificationWorld()
        let limits = world.storage.rateLimits
        let perHour = RateLimit(key: "k", limit: 2, window: 3600)
        let cooldown = RateLimit(key: "k", limit: 5, window: 60)
        #expect(try limits.consumeAll([perHour, cooldown], now: testEpoch) == nil)
        #expect(try limits.consumeAll([perHour, cooldown], now: testEpoch + 1) == nil)
        #expect(try limits.consumeAll([perHour], now: testEpoch + 2) == testEpoch + 3600)
        try limits.release([perHour, cooldown], at: testEpoch + 1)
        #expect(try limits.check(key: "k", limit: 2, window: 3600, now: testEpoch + 2) == nil)
        #expect(try limits.check(key: "k", limit: 1, window: 3600, now: testEpoch + 2) == testEpoch + 3600)
        // Releasing what was never recorded changes nothing.
        try limits.release([perHour], at: testEpoch + 30)
        #expect(try limits.check(key: "k", limit: 1, window: 3600, now: testEpoch + 2) == testEpoch + 3600)
    }
}
