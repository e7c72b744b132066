/// A failure reported by SQLite, with everything needed to understand it from one log line: the
/// extended result code, SQLite's own message (`sqlite3_errmsg`) and the SQL that failed. Bound
/// values are never part of it, so it carries no secrets.
public struct SQLiteError: Error, Equatable, CustomStringConvertible {
    public let code: SQLiteResultCode
    public let message: String
    /// The statement that failed; nil when the failure is not tied to one (opening a file).
    public let sql: String?

    public init(code: SQLiteResultCode, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}
