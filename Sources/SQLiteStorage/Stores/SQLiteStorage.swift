import FoundationEssentials
import Crypto
import Storage
import Timekeeping
#if canImport(Glibc)
import Glibc
#endif

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
    public let blockedNumbers: any BlockedNumberStore
    public let registrations: any RegistrationLog
    public let recoveryCodes: any RecoveryCodeStore

    /// Opens (creating it if missing) the SQLite file at `path`: the `storage.path` config key
    /// (default `countersign.db`), already resolved against the config file's folder. The
    /// schema is not touched until `migrate()`.
    ///
    /// - Parameters:
    ///   - mode: `storage.mode`, the permissions of the file and its `-wal` and `-shm` files
    ///     (0600 by default: they hold password hashes and security stamps). New files are
    ///     created with it (the umask is narrowed while opening, so there is no moment at which
    ///     a wider mode exists), and existing ones are set to it.
    ///   - clock: stamps applied migrations.
    ///   - random: makes new concurrency stamps.
    public convenience init(path: String, mode: UInt32 = 0o600, clock: WallClock, random: RandomSource) throws {
        let connection: SQLiteConnection
        do {
            // The umask is the process's; a worker opens its storage before serving, on one thread.
            let previous = umask(mode_t(~mode & 0o777))
            defer { umask(previous) }
            connection = try SQLiteConnection(path: path)
        }
        // SQLite creates -wal and -shm with the main file's mode; a file made by an older version
        // (or copied in) is narrowed here.
        if path != ":memory:" {
            for file in [path, path + "-wal", path + "-shm"] where access(file, F_OK) == 0 {
                _ = chmod(file, mode_t(mode))
            }
        }
        self.init(connection: connection, clock: clock, random: random)
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
        blockedNumbers = SQLiteBlockedNumberStore(connection: connection)
        registrations = SQLiteRegistrationLog(connection: connection)
        recoveryCodes = SQLiteRecoveryCodeStore(connection: connection)
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

    public func ping(timeout: TimeInterval) throws {
        try connection.ping(busyTimeoutMilliseconds: Int(timeout * 1000))
    }
}
