import Crypto
import Foundation
import SQLiteStorage
import Storage
import TestSupport
import Testing

@Suite("SessionStore conformance")
struct SessionStoreTests {
    let db: TemporaryDatabase
    let storage: any StorageBackend
    var sessions: any SessionStore { storage.sessions }
    let ada = makeUser(id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", email: "ada@example.com")
    let bob = makeUser(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", email: "bob@example.com")

    init() throws {
        db = try TemporaryDatabase()
        storage = try db.migratedStorage()
        try storage.users.insert(ada)
        try storage.users.insert(bob)
    }

    func session(_ name: String, user: UserRecord? = nil, lastSeen: TimeInterval = 0, expires: TimeInterval = 14 * 86_400) -> SessionRecord {
        SessionRecord(
            idHash: Hex.encode(Digest.sha256(Array(name.utf8))),
            userId: (user ?? ada).id,
            securityStamp: (user ?? ada).securityStamp,
            createdAt: epoch,
            lastSeenAt: epoch.addingTimeInterval(lastSeen),
            expiresAt: epoch.addingTimeInterval(expires),
            persistent: name.hasPrefix("remember")
        )
    }

    func remaining() throws -> Set<String> {
        Set(try db.texts("SELECT id_hash FROM countersign_sessions").compactMap { $0 })
    }

    @Test func deletingAUserTakesTheirSessionsAlong() throws {
        try sessions.insert(session("ada-1"))
        try sessions.insert(session("bob-1", user: bob))
        #expect(try storage.users.delete(userId: ada.id) == true)
        #expect(try storage.users.user(id: ada.id) == nil)
        #expect(try sessions.session(idHash: session("ada-1").idHash) == nil)
        #expect(try sessions.session(idHash: session("bob-1").idHash) != nil)
        #expect(try storage.users.delete(userId: ada.id) == false, "no such user any more")
    }

    /// SQLite: the file gone. (PostgreSQL's outage is in PostgresSchemaTests and test_storage.py.)
    @Test(.enabled(if: TestStorageEngine.current == .sqlite))
    func pingAnswersWhileStorageWorksAndThrowsWhenTheFileIsGone() throws {
        try storage.ping(timeout: 1)
        try FileManager.default.removeItem(atPath: db.path)
        #expect(throws: (any Error).self) { try storage.ping(timeout: 1) }
    }

    @Test func pingAnswersWhileStorageWorks() throws {
        try storage.ping(timeout: 1)
    }

    @Test func aSessionRoundTrips() throws {
        let one = session("remember-me", lastSeen: 90.5)
        try sessions.insert(one)
        try sessions.insert(session("browser"))
        #expect(try sessions.session(idHash: one.idHash) == one)
        #expect(try sessions.session(idHash: session("browser").idHash)?.persistent == false)
        #expect(try sessions.session(idHash: session("nobody").idHash) == nil)
    }

    @Test func insertRefusesAnUnknownUserAndATakenId() throws {
        var orphan = session("orphan")
        orphan.userId = "00000000-0000-4000-8000-000000000000"
        #expect(throws: StorageError.userNotFound) { try sessions.insert(orphan) }
        try sessions.insert(session("one"))
        #expect(throws: StorageError.duplicateSession) { try sessions.insert(session("one", user: bob)) }
    }

    @Test func touchMovesLastSeenOnly() throws {
        let one = session("one")
        try sessions.insert(one)
        try sessions.touch(idHash: one.idHash, at: epoch.addingTimeInterval(3600))
        var expected = one
        expected.lastSeenAt = epoch.addingTimeInterval(3600)
        #expect(try sessions.session(idHash: one.idHash) == expected)
        try sessions.touch(idHash: session("gone").idHash, at: epoch)  // nothing to touch, no error
        #expect(try remaining() == [one.idHash])
    }

    @Test func deleteEndsOneSession() throws {
        try sessions.insert(session("one"))
        try sessions.insert(session("two"))
        try sessions.delete(idHash: session("one").idHash)
        try sessions.delete(idHash: session("never").idHash)
        #expect(try remaining() == [session("two").idHash])
    }

    @Test func deleteAllEndsAUsersSessionsExceptTheOneGiven() throws {
        for name in ["a1", "a2", "a3"] { try sessions.insert(session(name)) }
        try sessions.insert(session("b1", user: bob))
        try sessions.deleteAll(userId: ada.id, except: session("a2").idHash)
        #expect(try remaining() == [session("a2").idHash, session("b1").idHash])
        try sessions.deleteAll(userId: ada.id, except: nil)
        #expect(try remaining() == [session("b1").idHash])
    }

    @Test func deleteExpiredRemovesSessionsPastTheirEndOrIdleTooLong() throws {
        let now = epoch.addingTimeInterval(10_000)
        let idle: TimeInterval = 7200
        try sessions.insert(session("expires-now", lastSeen: 9_999, expires: 10_000))
        try sessions.insert(session("expires-later", lastSeen: 9_999, expires: 10_001))
        try sessions.insert(session("idle-exactly", lastSeen: 10_000 - idle, expires: 99_999))
        try sessions.insert(session("idle-almost", lastSeen: 10_001 - idle, expires: 99_999))
        try sessions.deleteExpired(now: now, idleTimeout: idle)
        #expect(try remaining() == [session("expires-later").idHash, session("idle-almost").idHash])
    }
}

/// `sessionAndUser`: the signed-in request's one lookup, on both engines.
@Suite("SessionStore conformance: session and user")
struct SessionAndUserTests {
    @Test func theSessionComesWithItsUserInOneLookup() throws {
        let db = try TemporaryDatabase()
        let storage = try db.migratedStorage()
        var user = makeUser()
        user.lockoutEnd = epoch + 300
        user.phoneNumber = "+12015550123"
        try storage.users.insert(user)
        let session = SessionRecord(idHash: "h", userId: user.id, securityStamp: user.securityStamp, createdAt: epoch,
                                    lastSeenAt: epoch + 1.5, expiresAt: epoch + 60, persistent: true, clientAddress: "192.0.2.1")
        try storage.sessions.insert(session)
        let found = try #require(try storage.sessions.sessionAndUser(idHash: "h"))
        #expect(found.session == session)
        #expect(found.user == user)
        #expect(try storage.sessions.sessionAndUser(idHash: "other") == nil)
        #expect(try storage.users.delete(userId: user.id))
        #expect(try storage.sessions.sessionAndUser(idHash: "h") == nil)
    }
}
