import Crypto
import Foundation
import PostgresStorage
import Storage
import TestSupport
import Testing
import Timekeeping

/// What only PostgreSQL has: ASP.NET Core Identity's Npgsql column types, and migrations from
/// many connections at once serialised by the advisory lock. Runs in the PostgreSQL pass of
/// `make test`.
@Suite("PostgreSQL schema", .enabled(if: TestStorageEngine.current == .postgres))
struct PostgresSchemaTests {
    /// The same migrations, by name, as SQLite's: one list of names describes the schema on both.
    var names: [String] {
        get throws {
            let sqlite = try TestDatabase(engine: .sqlite)
            return try withExtendedLifetime(sqlite) { try sqlite.open().pendingMigrations() }
        }
    }

    @Test func aspNetUsersHasNpgsqlsTypes() throws {
        let db = try TestDatabase()
        _ = try db.migratedStorage()
        let columns = try db.texts("""
            SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || \
            CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
            FROM information_schema.columns WHERE table_name = 'AspNetUsers' AND table_schema = current_schema()
            ORDER BY ordinal_position
            """).compactMap { $0 }
        #expect(columns == [
            "Id text NOT NULL",
            "UserName character varying(256)",
            "NormalizedUserName character varying(256)",
            "Email character varying(256)",
            "NormalizedEmail character varying(256)",
            "EmailConfirmed boolean NOT NULL",
            "PasswordHash text",
            "SecurityStamp text",
            "ConcurrencyStamp text",
            "PhoneNumber text",
            "PhoneNumberConfirmed boolean NOT NULL",
            "TwoFactorEnabled boolean NOT NULL",
            "LockoutEnd timestamp with time zone",
            "LockoutEnabled boolean NOT NULL",
            "AccessFailedCount integer NOT NULL",
            "FirstName text NOT NULL",
            "LastName text",
        ])
        let primaryKey = try db.texts("""
            SELECT constraint_name FROM information_schema.table_constraints
            WHERE table_name = 'AspNetUsers' AND constraint_type = 'PRIMARY KEY' AND table_schema = current_schema()
            """)
        #expect(primaryKey == ["PK_AspNetUsers"])
    }

    @Test func connectionsMigratingAtOnceApplyEachMigrationExactlyOnce() throws {
        let db = try TestDatabase()
        let applied = onThreads(8) { _ -> [String] in
            do { return try db.open().migrate() } catch { return ["failed: \(error)"] }
        }
        #expect(applied.flatMap { $0 }.sorted() == (try names))
        #expect(try names.contains("0100_phone_verifications"))
        #expect(try db.scalar("SELECT count(*) FROM countersign_migrations") == (try names).count)
        #expect(try db.open().pendingMigrations() == [])
    }

    @Test func anUnreachableServerIsUnavailableAndTheConnectionRecovers() throws {
        let storage = PostgresStorage(connectionString: "host=127.0.0.1 port=1 connect_timeout=2", clock: ManualClock(),
                                      random: SecureRandom())
        #expect(throws: StorageError.self) { try storage.ping(timeout: 1) }
        #expect(throws: StorageError.self) { try storage.users.user(id: "x") }
    }

    @Test func errorsCarryTheSQLStateAndTheStatement() throws {
        let db = try TestDatabase()
        let connection = PostgresConnection(connectionString: ProcessInfo.processInfo.environment["COUNTERSIGN_TEST_POSTGRES_URL"]!)
        let error = try #require(throws: PostgresError.self) { try connection.run("SELECT * FROM no_such_table WHERE x = $1", [1]) }
        #expect(error.sqlState == "42P01")
        #expect(error.message.contains("no_such_table"))
        #expect(error.sql?.contains("no_such_table") == true)
        _ = db
    }
}
