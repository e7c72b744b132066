public import FoundationEssentials
public import Storage

/// `BlockedNumberStore` on `countersign_blocked_numbers` (dates as REAL Unix seconds, `until`
/// NULL for a block without end).
public final class SQLiteBlockedNumberStore: BlockedNumberStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func block(_ block: BlockedNumber) throws {
        try connection.run("""
            INSERT INTO countersign_blocked_numbers (phone_number, blocked_at, until) VALUES (?, ?, ?)
            ON CONFLICT (phone_number) DO UPDATE SET blocked_at = excluded.blocked_at, until = excluded.until
            """, [block.phoneNumber, block.blockedAt.timeIntervalSince1970, block.until?.timeIntervalSince1970])
    }

    @discardableResult
    public func unblock(phoneNumber: String) throws -> Bool {
        try connection.run("DELETE FROM countersign_blocked_numbers WHERE phone_number = ?", [phoneNumber]) > 0
    }

    public func isBlocked(phoneNumber: String, now: Date) throws -> Bool {
        try connection.queryFirst("""
            SELECT 1 FROM countersign_blocked_numbers WHERE phone_number = ? AND (until IS NULL OR until > ?)
            """, [phoneNumber, now.timeIntervalSince1970]) { _ in true } ?? false
    }

    public func blocked(now: Date) throws -> [BlockedNumber] {
        try connection.query("""
            SELECT phone_number, blocked_at, until FROM countersign_blocked_numbers
            WHERE until IS NULL OR until > ? ORDER BY blocked_at, phone_number
            """, [now.timeIntervalSince1970]) { row in
            BlockedNumber(phoneNumber: row.string(at: 0), blockedAt: Date(timeIntervalSince1970: row.double(at: 1)),
                          until: row.isNull(at: 2) ? nil : Date(timeIntervalSince1970: row.double(at: 2)))
        }
    }
}
