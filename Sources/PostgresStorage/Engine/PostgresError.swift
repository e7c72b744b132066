/// A failure reported by PostgreSQL or libpq, with what one log line needs to understand it:
/// the SQLSTATE (five characters, e.g. `23505` for a unique violation), the server's message,
/// the constraint it names (if any) and the SQL that failed. Bound values are never part of
/// it, so it carries no secrets.
public struct PostgresError: Error, Equatable, CustomStringConvertible {
    public let sqlState: String
    public let message: String
    public let constraint: String?
    public let sql: String?

    public init(sqlState: String, message: String, constraint: String? = nil, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
        self.sql = sql
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// A deadlock or a serialisation failure: the transaction may simply be run again.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    public var description: String {
        var text = "PostgreSQL error \(sqlState): \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        if let sql { text += " [SQL: \(sql.split(separator: "\n").map { $0.drop { $0 == " " || $0 == "\t" } }.joined(separator: " "))]" }
        return text
    }
}
