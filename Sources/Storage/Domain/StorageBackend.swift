import FoundationEssentials

/// Everything a worker keeps in shared storage, behind one object per engine: `SQLiteStorage`
/// (one file, the pool of one machine) and `PostgresStorage` (one database, pools on many
/// machines). Built once per worker process by the storage registry from `storage.provider`
/// and passed in; nothing above this protocol knows which engine it talks to.
///
/// ## The transaction contract
///
/// Every store method is atomic on its own and states what it guarantees when several worker
/// processes (of one pool or of many) call it at once. On top of that, `transaction` groups
/// calls so they commit together, and **serialises them per row they read and write**: inside
/// a transaction, reading a user's pending verification (`VerificationStore.pending`) holds
/// that verification until the transaction ends, so of two transactions that read it and then
/// act on it (two right codes, a wrong code and a send), the second sees what the first
/// committed. SQLite gets this from its single writer (`BEGIN IMMEDIATE`); PostgreSQL from row
/// locks (`SELECT … FOR UPDATE`) at READ COMMITTED. Rate limits take their own locks per key
/// (`RateLimitStore.consumeAll`), uniqueness rests on unique indexes, counters on single
/// conditional `UPDATE … RETURNING` statements — never on two workers not colliding.
///
/// A transaction's body may run more than once (a backend retries it after a deadlock or a
/// serialisation failure), so it must have no effect outside storage: no SMS, no email.
public protocol StorageBackend: AnyObject {
    var users: any UserStore { get }
    var sessions: any SessionStore { get }
    var rateLimits: any RateLimitStore { get }
    var events: any SecurityEventLog { get }
    var verifications: any VerificationStore { get }
    /// The operator's deny list of phone numbers.
    var blockedNumbers: any BlockedNumberStore { get }
    /// Registration times, for expiring unconfirmed accounts.
    var registrations: any RegistrationLog { get }
    var recoveryCodes: any RecoveryCodeStore { get }

    /// Brings the schema up to date; returns the migrations this call applied. Safe to run from
    /// several processes, pools and machines at once: exactly one applies each migration, the
    /// others wait for it and then find nothing to do.
    @discardableResult
    func migrate() throws -> [String]

    /// Migrations not yet applied, in order; changes nothing.
    func pendingMigrations() throws -> [String]

    /// Answers whether storage works now, for `/Health`: throws when it cannot take a write
    /// (SQLite) or answer a query (PostgreSQL) within `timeout` seconds — locked, gone,
    /// unreachable. Changes nothing; safe from any process at any time.
    func ping(timeout: TimeInterval) throws

    /// Runs `body` atomically: every store call inside it commits together or not at all (see
    /// the transaction contract above). Nested calls join the outer transaction.
    @discardableResult
    func transaction<T>(_ body: () throws -> T) throws -> T
}
