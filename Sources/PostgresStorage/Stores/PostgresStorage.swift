import FoundationEssentials
import Crypto
import Storage
import Timekeeping

/// Countersign's storage in a PostgreSQL database (`storage.provider = postgres`): one lazily
/// opened connection per worker process, shared by the stores it vends. Any number of pools,
/// on any number of machines, may share the database; the transaction contract of
/// `StorageBackend` holds across all of them through row locks, advisory locks per rate-limit
/// key, unique indexes and single-statement conditional updates.
public final class PostgresStorage: StorageBackend {
    public let connection: PostgresConnection
    public let migrator: PostgresMigrator
    public let users: any UserStore
    public let sessions: any SessionStore
    public let rateLimits: any RateLimitStore
    public let events: any SecurityEventLog
    public let verifications: any VerificationStore
    public let blockedNumbers: any BlockedNumberStore
    public let registrations: any RegistrationLog
    public let recoveryCodes: any RecoveryCodeStore

    /// Connects at the first statement, not here, so a worker starts even while the database
    /// is down.
    ///
    /// - Parameters:
    ///   - connectionString: `storage.url` (or `storage.url_file`): a libpq URI
    ///     (`postgresql://user@host:5432/db`) or key/value string (`host=/run/postgresql dbname=countersign`).
    ///   - clock: stamps applied migrations.
    ///   - random: makes new concurrency stamps.
    public init(connectionString: String, clock: any WallClock, random: any RandomSource) {
        connection = PostgresConnection(connectionString: connectionString)
        migrator = PostgresMigrator(connection: connection, clock: clock)
        PostgresSchema.register(on: migrator)
        users = PostgresUserStore(connection: connection, random: random)
        sessions = PostgresSessionStore(connection: connection)
        rateLimits = PostgresRateLimitStore(connection: connection)
        events = PostgresSecurityEventLog(connection: connection)
        verifications = PostgresVerificationStore(connection: connection)
        blockedNumbers = PostgresBlockedNumberStore(connection: connection)
        registrations = PostgresRegistrationLog(connection: connection)
        recoveryCodes = PostgresRecoveryCodeStore(connection: connection)
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

    /// A round trip bounded by `timeout`: the statement is cancelled by the server after it
    /// (`statement_timeout`); a server that cannot be reached fails within libpq's connect
    /// timeout.
    public func ping(timeout: TimeInterval) throws {
        let milliseconds = max(1, Int(timeout * 1000))
        try connection.transaction {
            try connection.execute("SET LOCAL statement_timeout = \(milliseconds)")
            _ = try connection.query("SELECT 1") { $0.int(at: 0) }
        }
    }
}
