internal import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Arguments bound in order to a statement's parameters (nil binds NULL).
public typealias SQLiteArguments = [(any SQLiteValueConvertible)?]

/// One open SQLite database file: the owner of a `sqlite3*` handle, opened in `init` and closed
/// in `deinit`.
///
/// A worker process opens one connection and uses it from one thread; many processes share the
/// file. That is why the connection is set up for concurrent processes: WAL journal (readers
/// never block the writer), a busy timeout (a writer waits for another instead of failing at
/// once) and `BEGIN IMMEDIATE` transactions (a transaction takes the write lock up front, so two
/// writers queue rather than deadlock upgrading read locks).
public final class SQLiteConnection {
    /// The file this connection opened.
    public let path: String
    let handle: OpaquePointer
    private let busyTimeoutMilliseconds: Int32
    private var cache = StatementCache(capacity: 128)
    private var savepointDepth = 0

    /// Opens, creating it if missing, the database file at `path` (the `storage.path` config
    /// key, resolved by the caller), then sets `journal_mode=WAL`, `synchronous=NORMAL`,
    /// `foreign_keys=ON` and the busy timeout.
    ///
    /// - Parameter busyTimeoutMilliseconds: how long a write waits for another process's write
    ///   lock before failing with SQLITE_BUSY. 5 s by default; tests lower it to see the lock.
    public init(path: String, busyTimeoutMilliseconds: Int = 5000) throws {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard let opened else {
            throw SQLiteError(code: SQLiteResultCode(rawValue: code), message: "cannot open \(path): out of memory")
        }
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(opened))
            sqlite3_close_v2(opened)
            throw SQLiteError(code: SQLiteResultCode(rawValue: code), message: "cannot open \(path): \(message)")
        }
        self.path = path
        self.handle = opened
        self.busyTimeoutMilliseconds = Int32(clamping: busyTimeoutMilliseconds)
        // From here on `deinit` runs if `init` throws, and closes the handle.
        sqlite3_extended_result_codes(handle, 1)
        let timeout = Int32(clamping: busyTimeoutMilliseconds)
        let timeoutCode = sqlite3_busy_timeout(handle, timeout)
        guard timeoutCode == SQLITE_OK else { throw lastError(timeoutCode, sql: nil) }
        // The busy timeout comes first: switching a new file to WAL takes a lock another
        // process may hold at that moment.
        let mode = try switchToWAL(timeoutMilliseconds: busyTimeoutMilliseconds)
        guard mode == "wal" || (mode == "memory" && path == ":memory:") else {
            throw SQLiteError(code: .error, message: "cannot switch \(path) to WAL (journal_mode is \(mode ?? "unknown"))",
                              sql: "PRAGMA journal_mode = WAL")
        }
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA foreign_keys = ON")
    }

    /// `PRAGMA journal_mode = WAL`, retried while another process holds the lock: SQLite
    /// answers SQLITE_BUSY to this switch at once, without waiting for the busy timeout, so two
    /// `countersign migrate` started together on a new file would otherwise see one fail.
    private func switchToWAL(timeoutMilliseconds: Int) throws -> String? {
        var waited = 0
        while true {
            do {
                return try query("PRAGMA journal_mode = WAL") { $0.string(at: 0) }.first
            } catch let error as SQLiteError where error.code.rawValue & 0xFF == SQLiteResultCode.busy.rawValue
                && waited < timeoutMilliseconds {
                usleep(10_000)
                waited += 10
            }
        }
    }

    deinit {
        cache.removeAll()
        // close_v2 never fails: with a statement still alive somewhere it defers the close
        // until that statement is finalized.
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// A new prepared statement, owned by the caller. Prefer `cachedStatement(_:)` for SQL that
    /// runs on every request.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql, persistent: false)
    }

    /// The statement for `sql` from this connection's cache: prepared on first use, then rewound
    /// and cleared on each call. Finish with it (step to the end or `reset()`) before asking for
    /// the same SQL again, since both calls return the same object.
    public func cachedStatement(_ sql: String) throws -> Statement {
        try cache.statement(for: sql) { try Statement(connection: self, sql: $0, persistent: true) }
    }

    /// How many statements the cache holds (for tests and diagnostics).
    public var cachedStatementCount: Int { cache.count }

    /// Runs a script of one or more statements without arguments (schema changes, pragmas).
    public func execute(_ script: String) throws {
        try script.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var prepared: OpaquePointer?
                let code = sqlite3_prepare_v2(handle, current, -1, &prepared, &next)
                guard code == SQLITE_OK else { throw lastError(code, sql: script) }
                guard let prepared else { continue }  // only blanks or a comment were left
                defer { sqlite3_finalize(prepared) }
                var stepCode = sqlite3_step(prepared)
                while stepCode == SQLITE_ROW { stepCode = sqlite3_step(prepared) }
                guard stepCode == SQLITE_DONE else {
                    throw lastError(stepCode, sql: String(cString: sqlite3_sql(prepared)))
                }
            }
        }
    }

    /// Runs one statement (cached) with positional arguments; returns how many rows it changed.
    @discardableResult
    public func run(_ sql: String, _ arguments: SQLiteArguments = []) throws -> Int {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        try statement.run()
        return changes
    }

    /// Runs one statement (cached) and maps every result row.
    public func query<T>(_ sql: String, _ arguments: SQLiteArguments = [], _ row: (Statement) throws -> T) throws -> [T] {
        let statement = try cachedStatement(sql)
        // Rewinding at once ends the statement's read transaction, so no later read on this
        // connection sees an old snapshot.
        defer { statement.reset() }
        try statement.bind(arguments)
        var rows: [T] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// The first result row, mapped; nil when there is none.
    public func queryFirst<T>(_ sql: String, _ arguments: SQLiteArguments = [], _ row: (Statement) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try statement.step() ? row(statement) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    // MARK: Transactions

    /// True inside a transaction (SQLite is not in autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// The outermost call uses `BEGIN IMMEDIATE`, which takes the write lock at once (waiting up
    /// to the busy timeout), so a read-then-write body cannot deadlock with another process.
    /// A call inside a transaction becomes a SAVEPOINT, so stores that make their own writes
    /// atomic can still be combined into one larger transaction by the layer above.
    ///
    /// It `throws` rather than `rethrows`: BEGIN and COMMIT can fail on their own (SQLITE_BUSY
    /// after the timeout, a full disk).
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try run("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back by itself (after SQLITE_FULL, for instance).
            if isInTransaction { _ = try? run("ROLLBACK") }
            throw error
        }
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "countersign_savepoint_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            if isInTransaction {
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
            }
            throw error
        }
    }

    // MARK: Health

    /// Takes the write lock and gives it back at once, waiting at most `busyTimeoutMilliseconds`:
    /// a database another process keeps locked, or a file removed or replaced under us (the open
    /// handle would still answer from the old inode), throws.
    public func ping(busyTimeoutMilliseconds: Int) throws {
        if path != ":memory:" {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                throw SQLiteError(code: .cantOpen, message: "\(path) is missing or not a file")
            }
        }
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
        defer { sqlite3_busy_timeout(handle, self.busyTimeoutMilliseconds) }
        try transaction {
            _ = try queryFirst("SELECT count(*) FROM sqlite_master") { $0.int(at: 0) }
        }
    }

    // MARK: Errors

    /// The error for a failing return code, with SQLite's message for this connection. A
    /// duplicate key becomes `SQLiteUniqueViolation`, so stores can catch it by type.
    func lastError(_ code: Int32, sql: String?) -> any Error {
        let extended = sqlite3_extended_errcode(handle)
        // The extended code refines `code` only when it describes the same failure.
        let resultCode = SQLiteResultCode(rawValue: extended & 0xFF == code & 0xFF ? extended : code)
        let error = SQLiteError(code: resultCode, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        if resultCode == .constraintUnique || resultCode == .constraintPrimaryKey {
            return SQLiteUniqueViolation(error)
        }
        return error
    }
}
