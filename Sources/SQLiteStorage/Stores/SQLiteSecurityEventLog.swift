public import FoundationEssentials
public import Storage

/// `SecurityEventLog` on `countersign_security_events` (time as REAL Unix seconds), which
/// triggers keep append-only.
public final class SQLiteSecurityEventLog: SecurityEventLog {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func append(_ event: SecurityEvent) throws {
        try connection.run("""
            INSERT INTO countersign_security_events (time, kind, user_id, ip_address, phone_number, detail)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [event.time.timeIntervalSince1970, event.kind, event.userId, event.ipAddress, event.phoneNumber, event.detail])
    }

    public func events(userId: String?, limit: Int) throws -> [SecurityEvent] {
        // SQLite reads a negative LIMIT as "no limit".
        guard limit > 0 else { return [] }
        let select = "SELECT time, kind, user_id, ip_address, phone_number, detail FROM countersign_security_events"
        if let userId {
            return try connection.query("\(select) WHERE user_id = ? ORDER BY id DESC LIMIT ?", [userId, limit], Self.event)
        }
        return try connection.query("\(select) ORDER BY id DESC LIMIT ?", [limit], Self.event)
    }

    public func events(since: Date?, userId: String?) throws -> [SecurityEvent] {
        let from = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let select = "SELECT time, kind, user_id, ip_address, phone_number, detail FROM countersign_security_events"
        if let userId {
            return try connection.query("\(select) WHERE user_id = ? AND time >= ? ORDER BY id", [userId, from], Self.event)
        }
        return try connection.query("\(select) WHERE time >= ? ORDER BY id", [from], Self.event)
    }

    static func event(_ row: Statement) -> SecurityEvent {
        SecurityEvent(
            time: Date(timeIntervalSince1970: row.double(at: 0)),
            kind: row.string(at: 1),
            userId: row.optionalString(at: 2),
            ipAddress: row.optionalString(at: 3),
            phoneNumber: row.optionalString(at: 4),
            detail: row.optionalString(at: 5)
        )
    }
}
