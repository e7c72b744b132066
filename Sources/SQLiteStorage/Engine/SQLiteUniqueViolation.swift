/// A write refused because it would duplicate a value under a UNIQUE index or PRIMARY KEY
/// (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY). Its own type because it is the one
/// SQLite failure that stores turn into a domain answer ("this email is taken") rather than a 500.
public struct SQLiteUniqueViolation: Error, Equatable, CustomStringConvertible {
    /// The offending columns as SQLite names them, e.g. `["AspNetUsers.NormalizedEmail"]`.
    public let columns: [String]
    public let underlying: SQLiteError

    public init(_ underlying: SQLiteError) {
        self.underlying = underlying
        columns = Self.columns(in: underlying.message)
    }

    /// True when the violated index covers `table.column` (among others, for a compound index).
    public func involves(table: String, column: String) -> Bool {
        columns.contains("\(table).\(column)")
    }

    public var description: String { underlying.description }

    /// SQLite words the message "UNIQUE constraint failed: T.A, T.B" and stable across versions;
    /// anything else yields no columns rather than a guess.
    private static func columns(in message: String) -> [String] {
        let prefixes = ["UNIQUE constraint failed: ", "PRIMARY KEY constraint failed: "]
        guard let prefix = prefixes.first(where: message.hasPrefix) else { return [] }
        return message.dropFirst(prefix.count)
            .split(separator: ",")
            .map { String($0.drop(while: { $0 == " " })) }
    }
}
