@testable import SQLiteStorage
import Crypto
import Foundation
import Storage
import TestSupport
import Testing
import Timekeeping

@Suite("SQLite migrator")
struct MigratorTests {
    /// These tests look at SQLite's own catalogue, so they always use a SQLite file.
    func sqliteDatabase() throws -> TemporaryDatabase { try TemporaryDatabase(engine: .sqlite) }

    func migratedSQLite(_ db: TemporaryDatabase) throws -> SQLiteStorage {
        let storage = try SQLiteStorage(path: db.path, clock: db.clock, random: SecureRandom())
        try storage.migrate()
        return storage
    }

    let allMigrations = ["0001_aspnet_users", "0002_sessions", "0003_rate_limit_events", "0004_security_events", "0100_phone_verifications",
                         "0200_blocked_numbers", "0201_registrations", "0300_verification_purpose", "0301_recovery_codes",
                         "0302_session_client_address"]

    @Test func aFreshDatabaseHasEveryMigrationPendingAndIsNotTouchedByAsking() throws {
        let db = try sqliteDatabase()
        let storage = try SQLiteStorage(path: db.path, clock: db.clock, random: SecureRandom())
        #expect(try storage.pendingMigrations() == allMigrations)
        #expect(try storage.migrator.appliedMigrations() == [])
        #expect(try storage.connection.query("SELECT name FROM sqlite_master") { $0.string(at: 0) } == [])
    }

    @Test func migrateAppliesEachMigrationOnceAndRecordsIt() throws {
        let db = try sqliteDatabase()
        let storage = try SQLiteStorage(path: db.path, clock: db.clock, random: SecureRandom())
        db.clock.now = epoch
        #expect(try storage.migrate() == allMigrations)
        #expect(try storage.pendingMigrations() == [])
        #expect(try storage.migrator.appliedMigrations() == allMigrations)

        db.clock.advance(by: 60)
        #expect(try storage.migrate() == [])
        let recorded = try storage.connection.query("SELECT name, applied_at FROM countersign_migrations ORDER BY name") {
            [$0.string(at: 0), $0.string(at: 1)]
        }
        #expect(recorded == allMigrations.map { [$0, "2026-11-26 12:00:00+00:00"] })

        // A new process on the same file finds nothing to do.
        let again = try SQLiteStorage(path: db.path, clock: db.clock, random: SecureRandom())
        #expect(try again.pendingMigrations() == [])
        #expect(try again.migrate() == [])
    }

    @Test func aMigrationRegisteredLaterIsAppliedByTheNextMigrate() throws {
        let db = try sqliteDatabase()
        let storage = try migratedSQLite(db)
        storage.migrator.register("0100_phone_codes", sql: "CREATE TABLE phone_codes (user_id TEXT PRIMARY KEY)")
        #expect(try storage.pendingMigrations() == ["0100_phone_codes"])
        #expect(try storage.migrate() == ["0100_phone_codes"])
        #expect(try storage.connection.query("SELECT count(*) FROM phone_codes") { $0.int(at: 0) } == [0])
    }

    @Test func aFailingMigrationLeavesNoTraceAndStopsTheRest() throws {
        let db = try sqliteDatabase()
        let storage = try migratedSQLite(db)
        storage.migrator.register("0100_half_done") { connection in
            try connection.execute("CREATE TABLE half_done (x)")
            try connection.execute("CREATE TABLE half_done (x)")  // fails: already exists
        }
        storage.migrator.register("0101_after", sql: "CREATE TABLE after (x)")
        let error = try #require(throws: SQLiteError.self) { try storage.migrate() }
        #expect(error.message == "table half_done already exists")
        #expect(try storage.pendingMigrations() == ["0100_half_done", "0101_after"])
        let tables = try storage.connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(at: 0) }
        #expect(!tables.contains("half_done"))
        #expect(!tables.contains("after"))
    }

    @Test func processesMigratingAtOnceApplyEachMigrationExactlyOnce() throws {
        let db = try sqliteDatabase()
        let path = db.path
        let applied = onThreads(8) { _ -> Result<[String], SQLiteError> in
            do {
                let storage = try SQLiteStorage(path: path, clock: ManualClock(), random: SecureRandom())
                return .success(try storage.migrate())
            } catch let error as SQLiteError {
                return .failure(error)
            } catch {
                return .failure(SQLiteError(code: .error, message: "\(error)"))
            }
        }
        let names = try applied.flatMap { try $0.get() }
        #expect(names.sorted() == allMigrations)
        let storage = try SQLiteStorage(path: path, clock: db.clock, random: SecureRandom())
        #expect(try storage.connection.queryFirst("SELECT count(*) FROM countersign_migrations") { $0.int(at: 0) } == allMigrations.count)
    }

    @Test func aspNetUsersHasIdentitysColumnsExactly() throws {
        let db = try sqliteDatabase()
        let storage = try migratedSQLite(db)
        let columns = try storage.connection.query("PRAGMA table_info(\"AspNetUsers\")") {
            "\($0.string(at: 1)) \($0.string(at: 2))\($0.bool(at: 3) ? " NOT NULL" : "")\($0.int(at: 5) > 0 ? " PK" : "")"
        }
        #expect(columns == [
            "Id TEXT NOT NULL PK",
            "UserName TEXT",
            "NormalizedUserName TEXT",
            "Email TEXT",
            "NormalizedEmail TEXT",
            "EmailConfirmed INTEGER NOT NULL",
            "PasswordHash TEXT",
            "SecurityStamp TEXT",
            "ConcurrencyStamp TEXT",
            "PhoneNumber TEXT",
            "PhoneNumberConfirmed INTEGER NOT NULL",
            "TwoFactorEnabled INTEGER NOT NULL",
            "LockoutEnd TEXT",
            "LockoutEnabled INTEGER NOT NULL",
            "AccessFailedCount INTEGER NOT NULL",
            "FirstName TEXT NOT NULL",
            "LastName TEXT",
        ])
        let indexes = try storage.connection.query("""
            SELECT il.name, il."unique", ii.name FROM pragma_index_list('AspNetUsers') il, pragma_index_info(il.name) ii
            WHERE il.origin = 'c' ORDER BY il.name
            """) { "\($0.string(at: 0)) unique=\($0.int(at: 1)) on \($0.string(at: 2))" }
        #expect(indexes == ["EmailIndex unique=1 on NormalizedEmail", "UserNameIndex unique=1 on NormalizedUserName"])
    }
}
