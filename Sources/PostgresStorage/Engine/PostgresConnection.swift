internal import CPostgres
#if canImport(Glibc)
import Glibc
#endif
import Storage

/// One connection to PostgreSQL through libpq, owned by one worker process and used from one
/// thread: the owner of a `PGconn*`.
///
/// - Opened lazily, at the first statement, and opened again after a failure: a worker started
///   while the database is down, or that lost it mid-way, recovers by itself at the next
///   request once the server is back. Until then every call throws `StorageError.unavailable`.
/// - Every statement with arguments is prepared once per connection (`PQprepare`) and then
///   executed by name with text parameters, so SQL is parsed and planned once per worker.
/// - Every failure becomes a `PostgresError` with the SQLSTATE, the server's message and the
///   SQL at once.
public final class PostgresConnection {
    /// The `storage.url` it connects with: a URI or key/value connection string.
    private let connectionString: String
    private var handle: OpaquePointer?
    private var preparedNames: [String: String] = [:]
    private var savepointDepth = 0

    /// Does not connect yet; the first statement does.
    public init(connectionString: String) {
        self.connectionString = connectionString
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Whether the connection string parses (libpq's own parser), without connecting: the
    /// message when it does not. For `check-config`.
    public static func problem(with connectionString: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &error) else {
            defer { if let error { PQfreemem(error) } }
            let message = error.map { String(cString: $0) } ?? "cannot be parsed"
            return message.split(separator: "\n").first.map(String.init) ?? message
        }
        PQconninfoFree(options)
        return nil
    }

    // MARK: Statements

    /// Runs a script of one or more statements without arguments (schema changes).
    public func execute(_ script: String) throws {
        let connection = try connected()
        let result = PQexec(connection, script)
        defer { PQclear(result) }
        try check(result, sql: script)
    }

    /// Runs one statement with `$n` arguments; returns how many rows it changed.
    @discardableResult
    public func run(_ sql: String, _ arguments: PostgresArguments = []) throws -> Int {
        let result = try executePrepared(sql, arguments)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs one statement and maps every result row.
    public func query<T>(_ sql: String, _ arguments: PostgresArguments = [], _ map: (PostgresRow) throws -> T) throws -> [T] {
        let result = try executePrepared(sql, arguments)
        defer { PQclear(result) }
        let rows = PQntuples(result)
        let columns = PQnfields(result)
        var mapped: [T] = []
        mapped.reserveCapacity(Int(rows))
        for row in 0..<rows {
            var values: [String?] = []
            values.reserveCapacity(Int(columns))
            for column in 0..<columns {
                values.append(PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column)))
            }
            mapped.append(try map(PostgresRow(values: values)))
        }
        return mapped
    }

    /// The first result row, mapped; nil when there is none.
    public func queryFirst<T>(_ sql: String, _ arguments: PostgresArguments = [], _ map: (PostgresRow) throws -> T) throws -> T? {
        try query(sql, arguments, map).first
    }

    // MARK: Transactions

    public var isInTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    /// Runs `body` in a READ COMMITTED transaction: committed when it returns, rolled back when
    /// it throws. Rows the body reads `FOR UPDATE` (and rate-limit keys it locks) stay locked
    /// until the end, which is what serialises competing workers. A deadlock (40P01) or
    /// serialisation failure (40001) runs the body again, up to 5 times in all; any other
    /// failure is thrown. A call inside a transaction becomes a SAVEPOINT, as on SQLite.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        var attempt = 1
        while true {
            try execute("BEGIN")
            do {
                let result = try body()
                try execute("COMMIT")
                return result
            } catch {
                if isInTransaction { try? execute("ROLLBACK") }
                if let failure = error as? PostgresError, failure.isRetryable, attempt < 5 {
                    attempt += 1
                    continue
                }
                throw error
            }
        }
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "countersign_savepoint_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK TO SAVEPOINT \(name)") }
            throw error
        }
    }

    // MARK: libpq

    /// The open connection, opening it first when there is none or the last one broke.
    private func connected() throws -> OpaquePointer {
        if let handle {
            if PQstatus(handle) == CONNECTION_OK { return handle }
            disconnect()
        }
        // Our defaults first: a value in `storage.url` overrides them (later parameters win).
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = ["2", "countersign", connectionString]
        let connection = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw StorageError.unavailable("PostgreSQL: out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw StorageError.unavailable("PostgreSQL: \(Self.firstLine(message))")
        }
        // Notices ("relation already exists, skipping") are not worth a log line each.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        return connection
    }

    private func disconnect() {
        if let handle { PQfinish(handle) }
        handle = nil
        preparedNames.removeAll()
    }

    private func executePrepared(_ sql: String, _ arguments: PostgresArguments) throws -> OpaquePointer {
        let connection = try connected()
        let name: String
        if let known = preparedNames[sql] {
            name = known
        } else {
            name = "countersign_\(preparedNames.count)"
            let prepared = PQprepare(connection, name, sql, Int32(arguments.count), nil)
            defer { PQclear(prepared) }
            try check(prepared, sql: sql)
            preparedNames[sql] = name
        }
        let texts = arguments.map { $0?.postgresText }
        // libpq passes C strings: a NUL would silently cut the value short. PostgreSQL's text
        // cannot hold one anyway, so refuse it rather than store something else.
        if texts.contains(where: { $0?.utf8.contains(0) == true }) {
            throw PostgresError(sqlState: "22021", message: "a text value holds a NUL character, which PostgreSQL cannot store", sql: sql)
        }
        let result = withOptionalCStrings(texts) { parameters in
            PQexecPrepared(connection, name, Int32(texts.count), parameters, nil, nil, 0)
        }
        do {
            try check(result, sql: sql)
        } catch {
            PQclear(result)
            throw error
        }
        guard let result else { throw StorageError.unavailable("PostgreSQL: out of memory") }
        return result
    }

    /// Throws for a result that is not a success. A broken connection becomes
    /// `StorageError.unavailable` (and is dropped, to be opened again by the next call).
    private func check(_ result: OpaquePointer?, sql: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        if let handle, PQstatus(handle) != CONNECTION_OK {
            let message = String(cString: PQerrorMessage(handle))
            disconnect()
            throw StorageError.unavailable("PostgreSQL: \(Self.firstLine(message))")
        }
        guard let result else {
            throw PostgresError(sqlState: "", message: handle.map { String(cString: PQerrorMessage($0)) } ?? "no result", sql: sql)
        }
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        throw PostgresError(
            sqlState: field("C") ?? "", message: field("M") ?? Self.firstLine(String(cString: PQresultErrorMessage(result))),
            constraint: field("n"), sql: sql)
    }

    private static func firstLine(_ message: String) -> String {
        message.split(separator: "\n").first.map(String.init) ?? message
    }
}

/// C strings for a libpq call that needs an array of them; they live only during `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    withOptionalCStrings(strings.map(Optional.some), body)
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}
