import FoundationEssentials

/// Everything a worker keeps in shared storage, behind one object per backend (SQLite today,
/// PostgreSQL later as new types beside these). Built once per worker process and passed in.
public protocol StorageBackend: AnyObject {
    var users: any UserStore { get }
    var sessions: any SessionStore { get }
    var rateLimits: any RateLimitStore { get }
    var events: any SecurityEventLog { get }

    /// Brings the schema up to date; returns the migrations this call applied. Safe to run from
    /// several processes at once.
    @discardableResult
    func migrate() throws -> [String]

    /// Migrations not yet applied, in order; changes nothing.
    func pendingMigrations() throws -> [String]

    /// Answers whether storage works now, for `/Health`: throws when it cannot take a write
    /// within `timeout` seconds (locked, gone, unreachable). Changes nothing; safe from any
    /// process at any time.
    func ping(timeout: TimeInterval) throws

    /// Runs `body` atomically: every store call inside it commits together or not at all.
    @discardableResult
    func transaction<T>(_ body: () throws -> T) throws -> T
}
