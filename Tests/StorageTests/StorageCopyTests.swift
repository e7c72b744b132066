import Crypto
import Foundation
import Storage
import TestSupport
import Testing

/// `countersign storage copy`: a SQLite database filled through the stores, read out by the
/// SQLite engine and written in by the PostgreSQL engine, reads back equal through the
/// PostgreSQL stores. Runs in the PostgreSQL pass of `make test`.
@Suite("Storage copy from SQLite to PostgreSQL", .enabled(if: TestStorageEngine.current == .postgres))
struct StorageCopyTests {
    let sqlite: TestDatabase
    let postgres: TestDatabase
    let source: any StorageBackend
    let target: any StorageBackend

    init() throws {
        sqlite = try TestDatabase(engine: .sqlite)
        postgres = try TestDatabase(engine: .postgres)
        source = try sqlite.migratedStorage()
        target = try postgres.migratedStorage()
    }

    private func copy() throws -> [StorageTable: Int] {
        let exporter = try #require(source as? any StorageExporting)
        let importer = try #require(target as? any StorageImporting)
        return try importer.importAll { write in try exporter.exportAll(write) }
    }

    /// Two users (one with every column set and a lockout, one with the defaults and a lockout
    /// written by the store), their registrations, sessions and pending codes, events, blocks.
    private func fillSource() throws -> (ada: UserRecord, bob: UserRecord) {
        var ada = makeUser()
        ada.emailConfirmed = true
        ada.phoneNumber = "+12015550123"
        ada.phoneNumberConfirmed = true
        ada.twoFactorEnabled = true
        ada.lockoutEnd = epoch.addingTimeInterval(300.25)
        ada.lockoutEnabled = false
        ada.accessFailedCount = 2
        ada.lastName = "Lovelace"
        let bob = makeUser(id: "0b0b0b0b-4f89-41d3-9a0c-0305e82c3301", email: "Bob@Example.com")
        try source.users.insert(ada)
        try source.users.insert(bob)
        #expect(try source.users.recordFailedSignIn(userId: bob.id, maxFailures: 1, lockoutUntil: epoch.addingTimeInterval(600)))
        try source.registrations.recordRegistration(userId: ada.id, at: epoch.addingTimeInterval(-200))
        try source.registrations.recordRegistration(userId: bob.id, at: epoch.addingTimeInterval(-100))
        for (index, user) in [ada, bob].enumerated() {
            try source.sessions.insert(SessionRecord(
                idHash: String(repeating: "\(index)f", count: 32), userId: user.id, securityStamp: user.securityStamp,
                createdAt: epoch.addingTimeInterval(-60), lastSeenAt: epoch.addingTimeInterval(-1.5),
                expiresAt: epoch.addingTimeInterval(86400), persistent: index == 0, clientAddress: index == 0 ? "203.0.113.9" : nil))
        }
        try source.verifications.save(PendingVerification(
            userId: ada.id, phoneNumber: "+12015550124", codeHash: [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff] + Array(repeating: 0x5c, count: 26),
            expiresAt: epoch.addingTimeInterval(300), attempts: 2, sends: 3, lastSentAt: epoch.addingTimeInterval(-30),
            createdAt: epoch.addingTimeInterval(-90)))
        try source.verifications.save(PendingVerification(
            userId: bob.id, phoneNumber: "+12015550125", codeHash: nil, expiresAt: epoch.addingTimeInterval(600), attempts: 0,
            sends: 1, lastSentAt: epoch, createdAt: epoch))
        // A second purpose of the same user lives beside the first.
        try source.verifications.save(PendingVerification(
            userId: ada.id, phoneNumber: "+12015550123", codeHash: Array(repeating: 0xab, count: 32), expiresAt: epoch.addingTimeInterval(120),
            attempts: 1, sends: 1, lastSentAt: epoch, createdAt: epoch, purpose: .signIn))
        try source.recoveryCodes.replaceAll(userId: ada.id, hashes: ["c0de01", "c0de02", "c0de03"])
        // Appended out of time order: the copy keeps the order of appending.
        try source.events.append(SecurityEvent(time: epoch, kind: "sign-in.succeeded", userId: ada.id, ipAddress: "203.0.113.9"))
        try source.events.append(SecurityEvent(time: epoch.addingTimeInterval(-5), kind: "phone.code-sent", userId: ada.id,
                                               phoneNumber: "+1201555••24", detail: "region US"))
        try source.events.append(SecurityEvent(time: epoch.addingTimeInterval(1), kind: "number-blocked"))
        try source.blockedNumbers.block(BlockedNumber(phoneNumber: "+12015550199", blockedAt: epoch.addingTimeInterval(-10), until: nil))
        try source.blockedNumbers.block(BlockedNumber(phoneNumber: "+12015550198", blockedAt: epoch.addingTimeInterval(-20),
                                                      until: epoch.addingTimeInterval(-5)))
        #expect(try source.rateLimits.consume(key: "sms:user:\(ada.id)", limit: 1, window: 3600, now: epoch) == nil)
        return (ada, try #require(try source.users.user(id: bob.id)))
    }

    @Test func everyRowReadsBackEqualThroughThePostgresStores() throws {
        let (ada, bob) = try fillSource()
        #expect(bob.lockoutEnd == epoch.addingTimeInterval(600))

        let counts = try copy()

        #expect(counts == [.users: 2, .registrations: 2, .sessions: 2, .verifications: 3, .recoveryCodes: 3, .securityEvents: 3,
                           .blockedNumbers: 2])
        #expect(try target.users.user(id: ada.id) == ada)
        #expect(try target.users.user(id: bob.id) == bob)
        #expect(try target.users.user(normalizedEmail: "BOB@EXAMPLE.COM") == bob)
        for index in 0..<2 {
            let idHash = String(repeating: "\(index)f", count: 32)
            let copied = try target.sessions.session(idHash: idHash)
            #expect(copied != nil)
            #expect(copied == (try source.sessions.session(idHash: idHash)))
        }
        for (user, purpose) in [(ada, VerificationPurpose.phoneNumber), (ada, .signIn), (bob, .phoneNumber)] {
            let copied = try target.verifications.pending(userId: user.id, purpose: purpose)
            #expect(copied != nil)
            #expect(copied == (try source.verifications.pending(userId: user.id, purpose: purpose)))
        }
        #expect(try target.verifications.pending(userId: bob.id, purpose: .signIn) == nil)
        #expect(try target.recoveryCodes.count(userId: ada.id) == 3)
        #expect(try target.recoveryCodes.redeem(userId: ada.id, hash: "c0de02"))
        #expect(try target.recoveryCodes.count(userId: bob.id) == 0)
        let events = try source.events.events(since: nil, userId: nil)
        #expect(events.count == 3)
        #expect(try target.events.events(since: nil, userId: nil) == events)
        #expect(try target.events.events(userId: ada.id, limit: 10) == (try source.events.events(userId: ada.id, limit: 10)))
        #expect(try target.blockedNumbers.blocked(now: epoch.addingTimeInterval(-30))
            == (try source.blockedNumbers.blocked(now: epoch.addingTimeInterval(-30))))
        #expect(try target.blockedNumbers.isBlocked(phoneNumber: "+12015550199", now: epoch))
        // Registration times, through the one store call that reads them: bob (unconfirmed)
        // registered at exactly epoch − 100.
        #expect(try target.registrations.deleteUnconfirmed(registeredBefore: epoch.addingTimeInterval(-100.5), normalizedEmail: nil) == 0)
        #expect(try target.registrations.deleteUnconfirmed(registeredBefore: epoch.addingTimeInterval(-100), normalizedEmail: nil) == 1)
        #expect(try target.users.user(id: ada.id) == ada)
        // Rate-limit events are not copied: limits start afresh.
        #expect(try target.rateLimits.count(key: "sms:user:\(ada.id)", window: 3600, now: epoch) == 0)
        // The column types are PostgreSQL's own, as ASP.NET Core Identity on Npgsql reads them.
        #expect(try postgres.texts(#"SELECT "LockoutEnd"::text FROM "AspNetUsers" WHERE "Id" = '\#(ada.id)'"#)
            == ["2026-11-26 12:05:00.25+00"])
        #expect(try postgres.texts(#"SELECT "TwoFactorEnabled"::text FROM "AspNetUsers" WHERE "Id" = '\#(ada.id)'"#) == ["true"])
    }

    @Test func aTargetThatHoldsUsersIsRefusedAndLeftAsItWas() throws {
        let (ada, _) = try fillSource()
        let other = makeUser(id: "99999999-4f89-41d3-9a0c-0305e82c3301", email: "carol@example.com")
        try target.users.insert(other)
        try target.events.append(SecurityEvent(time: epoch, kind: "sign-in.failed"))

        #expect(throws: StorageCopyError.targetNotEmpty([.users: 1, .securityEvents: 1])) { try copy() }

        #expect(try target.users.user(id: ada.id) == nil)
        #expect(try target.users.user(id: other.id) == other)
        #expect(try target.events.events(since: nil, userId: nil).count == 1)
    }

    @Test func aFailureHalfWayWritesNothing() throws {
        let importer = try #require(target as? any StorageImporting)
        let ada = makeUser()
        #expect(throws: StorageError.userNotFound) {
            try importer.importAll { write in
                try write(.user(ada))
                try write(.session(SessionRecord(idHash: "ab", userId: "no-such-user", securityStamp: "s", createdAt: epoch,
                                                 lastSeenAt: epoch, expiresAt: epoch, persistent: false)))
            }
        }
        #expect(try target.users.user(id: ada.id) == nil)
        // And the target is still empty, so a corrected copy goes through.
        #expect(try importer.importAll { write in try write(.user(ada)) } == [.users: 1])
    }
}

/// The SQLite side alone: a source whose schema is not this build's is refused, not read half.
@Suite("SQLite export")
struct SQLiteExportTests {
    @Test func aSourceWithPendingMigrationsIsRefused() throws {
        let db = try TestDatabase(engine: .sqlite)
        let storage = try #require(try db.open() as? any StorageExporting)
        let pending = try storage.pendingMigrations()
        #expect(!pending.isEmpty)
        #expect(throws: StorageCopyError.schemaMismatch(pending: pending, unknown: [])) { try storage.exportAll { _ in } }
    }

    @Test func aSourceWrittenByANewerBuildIsRefused() throws {
        let db = try TestDatabase(engine: .sqlite)
        let storage = try #require(try db.migratedStorage() as? any StorageExporting)
        try db.execute("INSERT INTO countersign_migrations (name, applied_at) VALUES ('9999_from_the_future', 'x')")
        #expect(throws: StorageCopyError.schemaMismatch(pending: [], unknown: ["9999_from_the_future"])) {
            try storage.exportAll { _ in }
        }
    }

    @Test func rowsComeUsersFirstAndEventsInTheOrderAppended() throws {
        let db = try TestDatabase(engine: .sqlite)
        let storage = try db.migratedStorage()
        let user = makeUser()
        try storage.events.append(SecurityEvent(time: epoch, kind: "first"))
        try storage.users.insert(user)
        try storage.registrations.recordRegistration(userId: user.id, at: epoch)
        try storage.events.append(SecurityEvent(time: epoch.addingTimeInterval(-1), kind: "second"))
        var rows: [StorageRow] = []
        try #require(storage as? any StorageExporting).exportAll { rows.append($0) }
        #expect(rows == [
            .user(user), .registration(userId: user.id, registeredAt: epoch),
            .securityEvent(SecurityEvent(time: epoch, kind: "first")),
            .securityEvent(SecurityEvent(time: epoch.addingTimeInterval(-1), kind: "second")),
        ])
    }
}
