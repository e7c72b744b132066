import Foundation
import Storage
import TestSupport
import Testing

@Suite("BlockedNumberStore conformance")
struct BlockedNumberStoreTests {
    let db: TemporaryDatabase
    let storage: any StorageBackend
    var store: any BlockedNumberStore { storage.blockedNumbers }

    init() throws {
        db = try TemporaryDatabase()
        storage = try db.migratedStorage()
    }

    @Test func blockUntilUnblockOrExpiry() throws {
        try store.block(BlockedNumber(phoneNumber: "+12015550123", blockedAt: epoch, until: nil))
        try store.block(BlockedNumber(phoneNumber: "+447400123456", blockedAt: epoch + 1, until: epoch + 3600))
        #expect(try store.isBlocked(phoneNumber: "+12015550123", now: epoch + 86_400 * 365))
        #expect(try store.isBlocked(phoneNumber: "+447400123456", now: epoch + 3599))
        #expect(try !store.isBlocked(phoneNumber: "+447400123456", now: epoch + 3600))
        #expect(try !store.isBlocked(phoneNumber: "+12015550124", now: epoch))
        #expect(try store.blocked(now: epoch).map(\.phoneNumber) == ["+12015550123", "+447400123456"])
        #expect(try store.blocked(now: epoch + 3600).map(\.phoneNumber) == ["+12015550123"])
        // Blocking again replaces the end.
        try store.block(BlockedNumber(phoneNumber: "+447400123456", blockedAt: epoch + 2, until: nil))
        #expect(try store.isBlocked(phoneNumber: "+447400123456", now: epoch + 7200))
        #expect(try store.unblock(phoneNumber: "+12015550123"))
        #expect(try !store.unblock(phoneNumber: "+12015550123"))
        #expect(try !store.isBlocked(phoneNumber: "+12015550123", now: epoch))
    }

    @Test func countAndRecordOnTheRateLimitStore() throws {
        let limits = storage.rateLimits
        for offset in [0.0, 10, 20] { try limits.record(key: "k", at: epoch + offset) }
        #expect(try limits.count(key: "k", window: 3600, now: epoch + 20) == 3)
        #expect(try limits.count(key: "k", window: 3600, now: epoch + 3600) == 2)
        #expect(try limits.count(key: "other", window: 3600, now: epoch) == 0)
        // Recorded events count for consume too.
        #expect(try limits.consume(key: "k", limit: 3, window: 3600, now: epoch + 30) != nil)
    }
}
