import Crypto
import FoundationEssentials
import Timekeeping

/// Countersign's storage in one SQLite file: one connection per worker process, shared by the
/// stores it vends. Other layers add their own tables through `migrator` (register before
/// `migrate()`) and their own stores on `connection`, inside `transaction` when they must commit
/// together with these.
public final class SQLiteStorage: StorageBackend {
    public let connection: SQLiteConnection
    public let migrator: Migrator
    public let users: any UserStore
    public let sessions: any SessionStore
    public let rateLimits: any RateLimitStore
    public let events: any SecurityEventLog

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
    }

    @discardableResult
    public func migrate() throws -> [String] {
        try migrator.migrate()
    }

    public func pendingMigrations() throws -> [String] {
        try migrator.pendingMigrations()
    }

    public func ping(timeout: TimeInterval) throws {
        try connection.ping(busyTimeoutMilliseconds: Int(timeout * 1000))
    }

    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }
}
