internal import CSQLite

/// An SQLite result code, kept in its extended form (`sqlite3_extended_errcode`), so a caller can
/// tell a UNIQUE violation (2067) from a foreign-key one (787) while still matching on the primary
/// code (19, SQLITE_CONSTRAINT) through `primary`.
public struct SQLiteResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The primary code: the least significant 8 bits.
    public var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xFF) }

    /// SQLite's own English name for the code, e.g. "constraint failed".
    public var description: String {
        "\(rawValue) (\(String(cString: sqlite3_errstr(rawValue))))"
    }

    // The values are spelled out because Swift does not import SQLite's composite macros
    // (`SQLITE_CONSTRAINT | (8<<8)`). https://www.sqlite.org/rescode.html
    public static let ok = SQLiteResultCode(rawValue: 0)
    public static let error = SQLiteResultCode(rawValue: 1)
    public static let busy = SQLiteResultCode(rawValue: 5)
    public static let locked = SQLiteResultCode(rawValue: 6)
    public static let readOnly = SQLiteResultCode(rawValue: 8)
    public static let cantOpen = SQLiteResultCode(rawValue: 14)
    public static let constraint = SQLiteResultCode(rawValue: 19)
    public static let mismatch = SQLiteResultCode(rawValue: 20)
    public static let misuse = SQLiteResultCode(rawValue: 21)
    public static let range = SQLiteResultCode(rawValue: 25)
    public static let row = SQLiteResultCode(rawValue: 100)
    public static let done = SQLiteResultCode(rawValue: 101)

    public static let constraintCheck = SQLiteResultCode(rawValue: 19 | (1 << 8))
    public static let constraintForeignKey = SQLiteResultCode(rawValue: 19 | (3 << 8))
    public static let constraintNotNull = SQLiteResultCode(rawValue: 19 | (5 << 8))
    public static let constraintPrimaryKey = SQLiteResultCode(rawValue: 19 | (6 << 8))
    public static let constraintTrigger = SQLiteResultCode(rawValue: 19 | (7 << 8))
    public static let constraintUnique = SQLiteResultCode(rawValue: 19 | (8 << 8))
}
