import Crypto
import Foundation
import Storage
import TestSupport
import Testing
import Timekeeping

/// The storage of issue 7: recovery codes, the user's sign-ins with their client address, the
/// account's deletion (and what goes with it), the user updates of two-factor and phone removal.
@Suite struct AccountRecoveryStoreTests {
    @Test func recoveryCodesAreReplacedAsASetAndSpentOnce() throws {
        let db = try TemporaryDatabase()
        let storage = try db.migratedStorage()
        let user = makeUser()
        try storage.users.insert(user)
        try storage.recoveryCodes.replaceAll(userId: user.id, hashes: ["a", "b", "c"])
        #expect(try storage.recoveryCodes.count(userId: user.id) == 3)
        #expect(try storage.recoveryCodes.redeem(userId: user.id, hash: "b"))
        #expect(try !storage.recoveryCodes.redeem(userId: user.id, hash: "b"))
        #expect(try !storage.recoveryCodes.redeem(userId: "someone-else", hash: "a"))
        try storage.recoveryCodes.replaceAll(userId: user.id, hashes: ["d"])
        #expect(try !storage.recoveryCodes.redeem(userId: user.id, hash: "a"))
        #expect(try storage.recoveryCodes.count(userId: user.id) == 1)
        try storage.recoveryCodes.deleteAll(userId: user.id)
        #expect(try storage.recoveryCodes.count(userId: user.id) == 0)
        #expect(throws: StorageError.userNotFound) { try storage.recoveryCodes.replaceAll(userId: "nobody", hashes: ["x"]) }
    }

    @Test func parallelRedeemsOfOneCodeSucceedOnce() throws {
        let db = try TemporaryDatabase()
        let setup = try db.migratedStorage()
        let user = makeUser()
        try setup.users.insert(user)
        try setup.recoveryCodes.replaceAll(userId: user.id, hashes: ["only"])
        let userId = user.id
        let results = onThreads(6, setUp: { _ in try? db.open() }) { _, storage in
            (try? storage?.recoveryCodes.redeem(userId: userId, hash: "only")) ?? false
        }
        #expect(results.filter { $0 }.count == 1)
    }

    @Test func sessionsAreListedWithTheirClientAddress() throws {
        let db = try TemporaryDatabase()
        let storage = try db.migratedStorage()
        let user = makeUser()
        try storage.users.insert(user)
        let first = SessionRecord(idHash: "h1", userId: user.id, securityStamp: "S", createdAt: epoch, lastSeenAt: epoch,
                                  expiresAt: epoch + 60, persistent: false, clientAddress: "192.0.2.7")
        var second = first
        second.idHash = "h2"
        second.createdAt = epoch + 1
        second.clientAddress = nil
        try storage.sessions.insert(second)
        try storage.sessions.insert(first)
        #expect(try storage.sessions.sessions(userId: user.id) == [first, second])
        #expect(try storage.sessions.session(idHash: "h1")?.clientAddress == "192.0.2.7")
    }

    @Test func deletingAUserTakesItsRowsAndKeepsItsEvents() throws {
        let db = try TemporaryDatabase()
        let storage = try db.migratedStorage()
        let user = makeUser()
        try storage.users.insert(user)
        try storage.sessions.insert(SessionRecord(idHash: "h", userId: user.id, securityStamp: "S", createdAt: epoch, lastSeenAt: epoch,
                                                  expiresAt: epoch + 60, persistent: false))
        try storage.recoveryCodes.replaceAll(userId: user.id, hashes: ["a"])
        try storage.events.append(SecurityEvent(time: epoch, kind: "signed-in", userId: user.id))
        _ = try storage.rateLimits.consume(key: "phone-send:user:\(user.id)", limit: 5, window: 3600, now: epoch)
        try storage.rateLimits.forget(key: "phone-send:user:\(user.id)")
        #expect(try storage.rateLimits.check(key: "phone-send:user:\(user.id)", limit: 1, window: 3600, now: epoch) == nil)
        #expect(try storage.users.delete(userId: user.id))
        #expect(try !storage.users.delete(userId: user.id))
        #expect(try storage.users.user(id: user.id) == nil)
        #expect(try storage.sessions.sessions(userId: user.id).isEmpty)
        #expect(try storage.recoveryCodes.count(userId: user.id) == 0)
        #expect(try storage.events.events(userId: user.id, limit: 10).count == 1)
    }

    @Test func removingThePhoneTurnsTwoFactorOffAndResettingClearsTheLockout() throws {
        let db = try TemporaryDatabase()
        let storage = try db.migratedStorage()
        var user = makeUser()
        user.phoneNumber = "+12015550123"
        user.phoneNumberConfirmed = true
        try storage.users.insert(user)
        try storage.users.setTwoFactorEnabled(userId: user.id, enabled: true)
        #expect(try storage.users.user(id: user.id)?.twoFactorEnabled == true)
        try storage.users.removePhoneNumber(userId: user.id, newSecurityStamp: "NEW")
        let removed = try #require(try storage.users.user(id: user.id))
        #expect(removed.phoneNumber == nil && !removed.phoneNumberConfirmed && !removed.twoFactorEnabled && removed.securityStamp == "NEW")
        _ = try storage.users.recordFailedSignIn(userId: user.id, maxFailures: 1, lockoutUntil: epoch + 300)
        try storage.users.setTwoFactorEnabled(userId: user.id, enabled: true)
        try storage.users.resetPassword(userId: user.id, hash: "H", newSecurityStamp: "NEWER")
        let reset = try #require(try storage.users.user(id: user.id))
        #expect(reset.lockoutEnd == nil && reset.accessFailedCount == 0 && reset.passwordHash == "H")
        #expect(reset.securityStamp == "NEWER" && reset.twoFactorEnabled)
        try storage.users.updateSecurityStamp(userId: user.id, newSecurityStamp: "NEWEST")
        #expect(try storage.users.user(id: user.id)?.securityStamp == "NEWEST")
    }
}
