public import FoundationEssentials
public import Storage

/// `BlockedNumberStore` on `countersign_blocked_numbers` (Unix seconds, `until` NULL for a
/// block without end).
public final class PostgresBlockedNumberStore: BlockedNumberStore {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func block(_ block: BlockedNumber) throws {
        try connection.run("""
            INSERT INTO countersign_blocked_numbers (phone_number, blocked_at, until) VALUES ($1, $2, $3)
            ON CONFLICT (phone_number) DO UPDATE SET blocked_at = excluded.blocked_at, until = excluded.until
            """, [block.phoneNumber, block.blockedAt, block.until])
    }

    @discardableResult
    public func unblock(phoneNumber: String) throws -> Bool {
        try connection.run("DELETE FROM countersign_blocked_numbers WHERE phone_number = $1", [phoneNumber]) > 0
    }

    public func isBlocked(phoneNumber: String, now: Date) throws -> Bool {
        try connection.queryFirst("""
            SELECT 1 FROM countersign_blocked_numbers WHERE phone_number = $1 AND (until IS NULL OR until > $2)
            """, [phoneNumber, now]) { _ in true } ?? false
    }

    public func blocked(now: Date) throws -> [BlockedNumber] {
        try connection.query("""
            SELECT phone_number, blocked_at, until FROM countersign_blocked_numbers
            WHERE until IS NULL OR until > $1 ORDER BY blocked_at, phone_number
            """, [now]) { row in
            BlockedNumber(phoneNumber: row.string(at: 0), blockedAt: row.date(at: 1),
                          until: row.optionalDouble(at: 2).map(Date.init(timeIntervalSince1970:)))
        }
    }
}
