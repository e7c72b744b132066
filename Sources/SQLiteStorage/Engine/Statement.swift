internal import CSQLite
public import FoundationEssentials

/// One prepared SQLite statement (`sqlite3_stmt`), finalized when the last reference goes.
///
/// Parameters are numbered from 1 as in SQLite; result columns from 0 as in SQLite. A statement
/// belongs to the connection that prepared it and must not outlive it (the reference is
/// `unowned`, so misuse traps instead of touching a closed handle).
public final class Statement {
    /// The SQL text this statement was prepared from.
    public let sql: String
    unowned let connection: SQLiteConnection
    let handle: OpaquePointer

    /// Prepares exactly one statement; text after the first statement (other than blanks and `;`)
    /// is refused, because SQLite would silently ignore it.
    init(connection: SQLiteConnection, sql: String, persistent: Bool) throws {
        var prepared: OpaquePointer?
        var remainder = ""
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection.handle, start, -1, flags, &prepared, &tail)
            if let tail { remainder = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK else {
            throw connection.lastError(code, sql: sql)
        }
        guard let prepared else {
            throw SQLiteError(code: .misuse, message: "no SQL statement to prepare", sql: sql)
        }
        guard remainder.allSatisfy({ $0 == ";" || $0.isWhitespace }) else {
            sqlite3_finalize(prepared)
            throw SQLiteError(code: .misuse, message: "more than one SQL statement; use execute(_:) for scripts", sql: sql)
        }
        self.sql = sql
        self.connection = connection
        self.handle = prepared
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Parameters

    /// How many parameters the SQL declares (the largest `?NNN` index).
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds a value (nil binds NULL) to the parameter at `index`, counted from 1.
    public func bind(_ value: (any SQLiteValueConvertible)?, at index: Int) throws {
        guard let position = Int32(exactly: index) else {
            throw SQLiteError(code: .range, message: "parameter index \(index) out of range", sql: sql)
        }
        let code: Int32
        switch value?.sqliteValue ?? .null {
        case .null:
            code = sqlite3_bind_null(handle, position)
        case .integer(let number):
            code = sqlite3_bind_int64(handle, position, number)
        case .real(let number):
            code = sqlite3_bind_double(handle, position, number)
        case .text(let text):
            if text.isEmpty {
                // A NULL pointer would bind SQL NULL, not the empty string.
                code = sqlite3_bind_text(handle, position, "", 0, countersign_sqlite_transient())
            } else {
                // The length is given explicitly, so text holding NUL characters is stored whole.
                var text = text
                code = text.withUTF8 { utf8 in
                    utf8.withMemoryRebound(to: CChar.self) { chars in
                        sqlite3_bind_text64(handle, position, chars.baseAddress, UInt64(chars.count),
                                            countersign_sqlite_transient(), UInt8(SQLITE_UTF8))
                    }
                }
            }
        case .blob(let bytes):
            if bytes.isEmpty {
                // A NULL pointer would bind SQL NULL, not an empty blob.
                code = sqlite3_bind_zeroblob(handle, position, 0)
            } else {
                code = bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob64(handle, position, raw.baseAddress, UInt64(raw.count), countersign_sqlite_transient())
                }
            }
        }
        guard code == SQLITE_OK else { throw connection.lastError(code, sql: sql) }
    }

    /// Binds a value to a named parameter. `name` may carry its prefix (`:id`, `@id`, `$id`) or
    /// not (`id`, then tried with each prefix in turn).
    public func bind(_ value: (any SQLiteValueConvertible)?, named name: String) throws {
        let candidates = name.first.map { ":@$".contains($0) } == true ? [name] : [":" + name, "@" + name, "$" + name]
        for candidate in candidates {
            let index = sqlite3_bind_parameter_index(handle, candidate)
            if index > 0 { return try bind(value, at: Int(index)) }
        }
        throw SQLiteError(code: .range, message: "no parameter named \(name)", sql: sql)
    }

    /// Binds every parameter in order, from 1. The count must match, so a forgotten argument is
    /// an error rather than a silent NULL.
    public func bind(_ values: [(any SQLiteValueConvertible)?]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError(code: .range, message: "expected \(parameterCount) arguments, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds by name; see `bind(_:named:)`.
    public func bind(_ values: [String: (any SQLiteValueConvertible)?]) throws {
        for (name, value) in values {
            try bind(value, named: name)
        }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Execution

    /// Runs the statement to its next row: true when a row is ready to read, false when done.
    /// On failure the statement is reset, so it can be used again, and the error is thrown as
    /// `SQLiteUniqueViolation` for a duplicate key, `SQLiteError` otherwise.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            let error = connection.lastError(code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps until done, ignoring rows.
    public func run() throws {
        while try step() {}
    }

    /// Rewinds the statement so it can run again; bindings are kept. SQLite's return code here
    /// only repeats the error of the last `step()`, which was already thrown.
    public func reset() {
        sqlite3_reset(handle)
    }

    // MARK: Columns

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    /// The column as an integer, converted as SQLite does (NULL is 0).
    public func int(at index: Int) -> Int {
        Int(sqlite3_column_int64(handle, Int32(index)))
    }

    public func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(index))
    }

    /// Non-zero is true, as EF Core reads `bool` columns.
    public func bool(at index: Int) -> Bool {
        int64(at: index) != 0
    }

    /// The column as a real number, converted as SQLite does (NULL is 0).
    public func double(at index: Int) -> Double {
        sqlite3_column_double(handle, Int32(index))
    }

    /// The column as text (NULL is the empty string).
    public func string(at index: Int) -> String {
        let position = Int32(index)
        // sqlite3_column_text must come before sqlite3_column_bytes: it may convert the value.
        guard let text = sqlite3_column_text(handle, position) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, position))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes (NULL and the empty blob are both empty).
    public func bytes(at index: Int) -> [UInt8] {
        let position = Int32(index)
        guard let blob = sqlite3_column_blob(handle, position) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, position))
        return [UInt8](UnsafeRawBufferPointer(start: blob, count: count))
    }

    public func data(at index: Int) -> Data {
        Data(bytes(at: index))
    }

    public func optionalString(at index: Int) -> String? {
        isNull(at: index) ? nil : string(at: index)
    }

    public func optionalInt(at index: Int) -> Int? {
        isNull(at: index) ? nil : int(at: index)
    }

    public func optionalDouble(at index: Int) -> Double? {
        isNull(at: index) ? nil : double(at: index)
    }

    /// The column in its own storage class.
    public func value(at index: Int) -> SQLiteValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: .integer(int64(at: index))
        case SQLITE_FLOAT: .real(double(at: index))
        case SQLITE_TEXT: .text(string(at: index))
        case SQLITE_BLOB: .blob(bytes(at: index))
        default: .null
        }
    }
}
