import Crypto
import Storage
import Timekeeping

/// Countersign's storage in one SQLite file: one connection per worker process, shared by the
/// stores it vends. Many processes of one machine share the file: SQLite's single writer
/// (`BEGIN IMMEDIATE`) is what keeps the transaction contract of `StorageBackend` here.
public final class SQLiteStorage: StorageBackend {
    public let connection: SQLiteConnection
    public let migrator: Migrator
    public let users: any UserStore
    public let sessions: any SessionStore
    public let rateLimits: any RateLimitStore
    public let events: any SecurityEventLog
    public let verifications: any VerificationStore

    /// Opens (creating it if missing) the SQLite file at `path`: the `storage.path` config key
    /// (default `countersign.db`), already resolved against the config file's folder. The
    /// schema is not touched until `migrate()`.
    ///
    /// - Parameters:
    ///   - clock: stamps applied migrations.
    ///   - random: makes new concurrency stamps.
    public convenience init(path: String, clock: WallClock, random: RandomSource) throws {
        try self.init(connection: SQLiteConnection(path: path), clock: clock, random: random)
    }

    public init(connection: SQLiteConnection, clock: WallClock, random: RandomSource) {
        self.connection = connection
        migrator = Migrator(connection: connection, clock: clock)
        SQLiteSchema.register(on: migrator)
        users = SQLiteUserStore(connection: connection, random: random)
        sessions = SQLiteSessionStore(connection: connection)
        rateLimits = SQLiteRateLimitStore(connection: connection)
        events = SQLiteSecurityEventLog(connection: connection)
        verifications = SQLiteVerificationStore(connection: connection)
    }

    @discardableResult
    public func migrate() throws -> [String] {
        try migrator.migrate()
    }

    public func pendingMigrations() throws -> [String] {
        try migrator.pendingMigrations()
    }

    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }

    public func ping() throws {
        _ = try connection.query("SELECT 1") { $0.int(at: 0) }
    }
}
